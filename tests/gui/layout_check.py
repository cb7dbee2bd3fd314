"""Finds text a family could not read: a label, button or error line smaller than its
text needs (elided or clipped), a widget cut off by its parent, or two widgets that
overlap. Used by the layout test on every step of every journey."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QLabel,
    QLineEdit,
    QProgressBar,
    QScrollBar,
    QWidget,
)

from kiosk.tour import each_page as pages_of
from ui.widgets.keyboard import OnScreenKeyboard
from ui.widgets.keypad import NumericKeypad

DIRECT = Qt.FindChildOption.FindDirectChildrenOnly
TOLERANCE = 1  # px: rounding between a size hint and the layout's integer geometry


def _name(widget: QWidget) -> str:
    text = ""
    if isinstance(widget, QLabel | QAbstractButton):
        text = widget.text().replace("\n", " ")[:40]
    return f"{type(widget).__name__}#{widget.objectName()} {text!r}"


def _shown(widget: QWidget, top: QWidget) -> bool:
    return widget.isVisibleTo(top) and widget.width() > 0 and widget.height() > 0


def _in_scroll_viewport(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    grand = parent.parentWidget() if parent is not None else None
    return isinstance(grand, QAbstractScrollArea) and grand.viewport() is parent


def text_problems(widget: QWidget) -> list[str]:
    """Whether ``widget``'s own text fits the room the layout gave it."""
    problems: list[str] = []
    if isinstance(widget, QLabel):
        if not widget.text() or (widget.pixmap() is not None and not widget.pixmap().isNull()):
            return problems
        if widget.wordWrap():
            need_h = widget.heightForWidth(widget.width())
            need_w = widget.minimumSizeHint().width()
            if need_h > widget.height() + TOLERANCE:
                problems.append(
                    f"{_name(widget)} needs {need_h} px height, has {widget.height()}"
                )
            if need_w > widget.width() + TOLERANCE:
                problems.append(
                    f"{_name(widget)} has a word {need_w} px wide in {widget.width()} px"
                )
            return problems
    elif isinstance(widget, QAbstractButton) and widget.findChild(QLabel) is not None:
        return problems  # its text is a label inside it, checked as a label
    elif not isinstance(widget, QAbstractButton | QLineEdit) or (
        isinstance(widget, QAbstractButton) and not widget.text()
    ):
        return problems
    hint = widget.sizeHint()
    if isinstance(widget, QLineEdit):
        # A line edit scrolls its text sideways: it needs its minimum width, and the
        # height its font needs (Qt's minimum hint can be 2 px more than its own hint).
        hint.setWidth(widget.minimumSizeHint().width())
    if hint.width() > widget.width() + TOLERANCE:
        problems.append(f"{_name(widget)} needs {hint.width()} px width, has {widget.width()}")
    # A line edit's hint may change by 2 px after it is first shown (Qt keeps the old one
    # in the layout); that eats its 4 px inner padding, not its text.
    slack = TOLERANCE + 2 if isinstance(widget, QLineEdit) else TOLERANCE
    if hint.height() > widget.height() + slack:
        problems.append(f"{_name(widget)} needs {hint.height()} px height, has {widget.height()}")
    return problems


def clipping_problems(widget: QWidget, top: QWidget) -> list[str]:
    """Whether an ancestor cuts ``widget`` off (a scroll area's viewport may: it scrolls)."""
    rect = QRect(widget.rect())
    current = widget
    while current is not top:
        parent = current.parentWidget()
        if parent is None:
            break
        if _in_scroll_viewport(current):
            # It scrolls up and down, never sideways: it must fit the viewport's width.
            rect = rect.translated(current.pos())
            if rect.left() < -TOLERANCE or rect.right() > parent.width() + TOLERANCE:
                return [f"{_name(widget)} at {rect.getRect()} is wider than the window"]
            return []
        rect = rect.translated(current.pos())
        bounds = parent.rect().adjusted(-TOLERANCE, -TOLERANCE, TOLERANCE, TOLERANCE)
        if not bounds.contains(rect):
            return [f"{_name(widget)} at {rect.getRect()} is cut off by {_name(parent)}"]
        current = parent
    return []


def overlap_problems(parent: QWidget, top: QWidget) -> list[str]:
    """Whether two shown children of ``parent`` cover each other."""
    children = [
        child
        for child in parent.findChildren(QWidget, options=DIRECT)
        if _shown(child, top) and not isinstance(child, QScrollBar) and not child.isWindow()
    ]
    problems: list[str] = []
    for i, first in enumerate(children):
        for second in children[i + 1 :]:
            overlap = first.geometry().intersected(second.geometry())
            if overlap.width() > TOLERANCE and overlap.height() > TOLERANCE:
                problems.append(f"{_name(first)} overlaps {_name(second)} by {overlap.getRect()}")
    return problems


def layout_problems(top: QWidget, skip: tuple[QWidget, ...] = ()) -> list[str]:
    """Every problem in the shown part of ``top`` (``skip``: overlays that float on purpose)."""
    problems: list[str] = []
    stack = [top]
    while stack:
        widget = stack.pop()
        if widget in skip:
            continue
        if widget is not top:
            if isinstance(widget, QProgressBar | QScrollBar):
                continue
            problems.extend(text_problems(widget))
            problems.extend(clipping_problems(widget, top))
        problems.extend(overlap_problems(widget, top))
        for child in widget.findChildren(QWidget, options=DIRECT):
            if _shown(child, top) and not child.isWindow():
                stack.append(child)
    return problems


def _seen_rect(widget: QWidget, top: QWidget) -> QRect:
    """The part of ``widget`` (in its own coordinates' size) that ``top`` shows: its rect
    cut by every ancestor's, scroll areas' viewports included."""
    rect = QRect(widget.rect())
    current = widget
    while current is not top:
        parent = current.parentWidget()
        if parent is None:
            return QRect()
        rect = rect.translated(current.pos()).intersected(parent.rect())
        current = parent
    return rect


def unseen_problems(top: QWidget, screen: QWidget, primary: QWidget | None) -> list[str]:
    """The kiosk's rule for a step (issue 19): its primary button, every input and the pad
    they are typed on are whole on screen without scrolling; read-only text may scroll.
    Every scroll area of ``top`` is put back at its top first, as the family first sees
    the step."""
    for area in top.findChildren(QAbstractScrollArea):
        if area.isVisibleTo(top):
            area.verticalScrollBar().setValue(0)
    targets: list[QWidget] = [
        edit for edit in screen.findChildren(QLineEdit) if _shown(edit, top)
    ]
    # The keyboard or keypad the inputs are typed on: an input in view over a pad under
    # the fold cannot be filled in (a form's heading scrolls so that both show).
    targets += [pad for pad_type in (OnScreenKeyboard, NumericKeypad)
                for pad in screen.findChildren(pad_type) if _shown(pad, top)]
    if primary is not None and primary.isVisibleTo(top):
        targets.append(primary)
    problems: list[str] = []
    for widget in targets:
        seen = _seen_rect(widget, top)
        if seen.size() != widget.size():
            problems.append(
                f"{_name(widget)} shows {seen.width()}x{seen.height()} of "
                f"{widget.width()}x{widget.height()} without scrolling"
            )
    return problems


def each_page(screen: QWidget, settle: Callable[[], None]) -> Iterator[str]:
    """Show each page of a step whose fields come a page at a time (``kiosk.tour.each_page``),
    yielding what to add to the step's name in a report: nothing for the first page (or a
    step of one page), " page 2 of 4" for the others."""
    count = getattr(screen, "page_count", 1)
    for page in pages_of(screen, settle):
        yield "" if page == 0 else f" page {page + 1} of {count}"
