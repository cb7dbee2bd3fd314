"""A registration step made of labelled fields, with the in-app keyboard or keypad beside
them and a Next button; it validates before it lets the family move on."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.validation import InvalidInput
from ui.screens.base import Screen
from ui.widgets.common import (
    NARROW_WIDTH,
    SCROLL_BAR,
    room_for,
    side_by_side_or_stacked,
    touch_button,
)
from ui.widgets.field import LabeledField
from ui.widgets.keyboard import OnScreenKeyboard
from ui.widgets.keypad import NumericKeypad
from ui.widgets.screen_stack import ShrinkingScroll, VerticalScroll

T = TypeVar("T")
MAX_SIZE = 16777215  # Qt's QWIDGETSIZE_MAX: no maximum
FIELD_ROOM = 96  # px: a large-text field in high contrast (78 px) and some margin
KEYBOARD = "keyboard"
KEYPAD = "keypad"


class _FieldsScroll(VerticalScroll):
    """The fields' scroll area: it asks for the height it is told it needs
    (``setMinimumHeight``: a field's, or the page's inputs when the heading scrolls),
    not Qt's default, so a screen short of room is never made taller than the window
    (its pad then went under the fold)."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(hint.width(), self.minimumHeight() or hint.height())


class FormScreen(Screen):
    """Base of the register_* screens.

    Subclasses pass ``rows`` (field names per row), which pad each field uses, the
    fields shown masked and whether the keypad has a decimal point (an amount); they
    implement ``validate_fields()`` (raising ``InvalidInput`` for each problem through
    ``self.check``) and ``retranslate_form()``.
    """

    # The pad under the fields below NARROW_WIDTH even where it fits beside them.
    stack_when_narrow = False

    def __init__(
        self,
        rows: list[list[str]],
        pads: dict[str, str],
        secret: frozenset[str] = frozenset(),
        parent: QWidget | None = None,
        *,
        point: bool = False,
    ) -> None:
        super().__init__(parent)
        self.fields: dict[str, LabeledField] = {}
        self._pads = pads
        self._order: list[str] = []
        # While re-checking as the family types, problems are collected here, not shown.
        self._quiet_problems: dict[str, str] | None = None
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("subtitle")
        self.subtitle.setWordWrap(True)
        grid = self._grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(4)
        self._rows = rows
        for names in rows:
            for name in names:
                field = LabeledField(name, self, secret=name in secret)
                field.line_edit.installEventFilter(self)
                field.line_edit.returnPressed.connect(lambda n=name: self._enter_pressed(n))
                field.line_edit.textChanged.connect(lambda _t, n=name: self._recheck(n))
                self.fields[name] = field
                self._order.append(name)
        self._narrow: bool | None = None
        # The rows shown a page at a time when they do not all fit the window (issue 19:
        # five address fields at 1024x768 in large text): row indexes per page.
        self._pages: list[list[list[str]]] = [rows]
        self._page = 0
        self._arrange(narrow=False)
        # Two equal columns whatever is typed or shown in them.
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.next_button = touch_button("primaryButton", self)
        self.next_button.clicked.connect(self.submit)
        self.action_button = self.next_button
        # The step's title and what it asks: above the fields when the pad is under them,
        # above the pad when it is beside them (the room there was left empty, and the
        # fields scrolled under it: issue 19, Medium 6).
        self.heading = QWidget(self)
        self.heading.setObjectName("formHeading")
        heading = self._heading_layout = QVBoxLayout(self.heading)
        heading.setContentsMargins(0, 0, 0, 0)
        heading.setSpacing(12)
        heading.addWidget(self.title)
        heading.addWidget(self.subtitle)
        left = self.column = QVBoxLayout()
        left.setSpacing(12)
        left.addWidget(self.heading)
        left.addLayout(grid)
        left.addStretch(1)
        self.pad_stack = QStackedWidget(self)
        self.keyboard: OnScreenKeyboard | None = None
        self.keypad: NumericKeypad | None = None
        if KEYBOARD in pads.values():
            self.keyboard = OnScreenKeyboard(self.typing_target, self)
            self.pad_stack.addWidget(self._pad_holder(self.keyboard))
        if KEYPAD in pads.values():
            self.keypad = NumericKeypad(self.typing_target, self, point=point)
            self.pad_stack.addWidget(self._pad_holder(self.keypad))
        layout = self._layout = QHBoxLayout(self)
        layout.setContentsMargins(32, 16, 32, 24)
        layout.setSpacing(32)
        # Only the column of fields scrolls (large text, Spanish, a short screen): the
        # keyboard or keypad beside it always stays in view, near the hands.
        column = self._column = QWidget(self)
        column.setObjectName("formColumn")
        column.setLayout(left)
        # The notice and Next stay under the fields, outside their scroll area: the way on
        # is always in view, however tall large text makes the fields (issue 19).
        side = QWidget(self)
        side.setObjectName("formSide")
        side_layout = self.way_on = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.setSpacing(8)
        self.column_scroll = _FieldsScroll(side)
        self.column_scroll.setObjectName("formScroll")
        self.column_scroll.setWidget(column)
        # Short of room (large text on a 768 px screen), the fields scroll in what is left
        # above Next and the pad; at least a field's height, so the focused one shows whole.
        self.column_scroll.setMinimumHeight(FIELD_ROOM)
        # The step's heading (and what a screen adds to it: a staff step's summary) when
        # it and the page's fields do not both fit over Next: it scrolls in what the
        # fields leave above them, the fields and Next stay whole (issue 19: a name field
        # under the keyboard and a two-line subtitle at 1024x768 in large text).
        self.heading_scroll = ShrinkingScroll(side)
        self.heading_scroll.setObjectName("formHeadingScroll")
        scrolled = QWidget(self.heading_scroll)
        scrolled.setObjectName("formHeadingScrolled")
        self._scrolled_heading = QVBoxLayout(scrolled)
        self._scrolled_heading.setContentsMargins(0, 0, 0, 0)
        self.heading_scroll.setWidget(scrolled)
        self.heading_scroll.hide()
        self._heading_scrolls = False
        side_layout.addWidget(self.heading_scroll, 1)
        side_layout.addWidget(self.column_scroll, 1)
        # What a screen says beyond its fields (how many PIN tries are left): under the
        # heading beside the pad when there is room, else above the notice.
        self.aside = QWidget(self)
        self.aside.setObjectName("formAside")
        aside = QVBoxLayout(self.aside)
        aside.setContentsMargins(0, 0, 0, 0)
        aside.setSpacing(8)
        side_layout.addWidget(self.aside)
        side_layout.addWidget(self.notice)
        side_layout.addWidget(self.busy_indicator)
        # "1 of 2" when the fields are shown a page at a time: beside Next when the pad is
        # under the fields (the column has the window's width), over it when the pad is
        # beside them. It never widens the column: whether the pad fits beside the fields
        # must not depend on whether they are paged (they would flip back and forth).
        self.page_label = QLabel(self)
        self.page_label.setObjectName("formPage")
        self.page_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.page_label.hide()
        side_layout.addWidget(self.page_label)
        next_row = self._next_row = QHBoxLayout()
        next_row.setContentsMargins(0, 0, 0, 0)
        next_row.setSpacing(16)
        next_row.addWidget(self.next_button, 2)
        side_layout.addLayout(next_row)
        layout.addWidget(side, 5)
        # The pad is never squeezed below the height its keys need (the fields scroll
        # instead); beside the fields it sits at the bottom, near the hands, under the
        # heading.
        self.pad_stack.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        pad_side = QWidget(self)
        pad_side.setObjectName("padSide")
        pad_layout = self._pad_side = QVBoxLayout(pad_side)
        pad_layout.setContentsMargins(0, 0, 0, 0)
        pad_layout.setSpacing(8)
        # The title and what it asks, when they fit above the pad.
        self._beside = QWidget(self)
        self._beside.setObjectName("formHeadingBeside")
        beside = self._beside_layout = QVBoxLayout(self._beside)
        beside.setContentsMargins(0, 0, 0, 0)
        beside.setSpacing(12)
        self._beside.hide()
        pad_layout.addWidget(self._beside)
        # The last rows of fields, when they fit above the pad too (issue 19: the room
        # there stayed empty while the column's last fields scrolled).
        self._more = QWidget(self)
        self._more.setObjectName("formFieldsBeside")
        more = self._more_grid = QGridLayout(self._more)
        more.setContentsMargins(0, 0, 0, 0)
        more.setHorizontalSpacing(16)
        more.setVerticalSpacing(4)
        more.setColumnStretch(0, 1)
        more.setColumnStretch(1, 1)
        self._more.hide()
        pad_layout.addWidget(self._more)
        pad_layout.addStretch(1)
        pad_layout.addWidget(self.pad_stack)
        layout.addWidget(pad_side, 6)
        self._current = self._order[0]

    def _arrange(self, *, narrow: bool, split: int | None = None) -> None:
        """Side by side fields (state and ZIP) share a row on a wide screen; on a narrow
        one (1024 px: the keyboard's ten 64 px keys take most of it) each field gets a
        row of its own and the margins shrink, so no label or error needs to be cut.
        Only the shown page's rows are laid out (the others are hidden); the rows from
        ``split`` on (counted in the page) go above the pad (``_fit``), two fields a row."""
        rows = self._page_rows()
        split = len(rows) if split is None else min(split, len(rows))
        # Under the pad the column has the window's width: a row's fields share it.
        share = not narrow or not self._beside_pad()
        state = (narrow, share, split, str(self._pages), self._page)
        if state == getattr(self, "_arranged", None):
            return
        self._arranged = state
        self._narrow = narrow
        self._split = split
        for field in self.fields.values():
            self._grid.removeWidget(field)
            if hasattr(self, "_more_grid"):
                self._more_grid.removeWidget(field)
        shown = {name for names in rows for name in names}
        for name, field in self.fields.items():
            field.setVisible(name in shown)
        row = 0
        for names in rows[:split]:
            for column, name in enumerate(names):
                if not share or len(names) == 1:
                    self._grid.addWidget(self.fields[name], row, 0, 1, 2)
                    row += 1
                else:
                    # Top-aligned: a long error wrapping under one field of the row does
                    # not push its neighbour's label and field down.
                    self._grid.addWidget(self.fields[name], row, column,
                                         Qt.AlignmentFlag.AlignTop)
            if share and len(names) > 1:
                row += 1
        for row, names in enumerate(rows[split:]):
            for column, name in enumerate(names):
                span = 2 if len(names) == 1 else 1
                self._more_grid.addWidget(self.fields[name], row, column, 1, span,
                                          Qt.AlignmentFlag.AlignTop)
        if hasattr(self, "_more"):
            self._more.setVisible(split < len(rows))
            # The column's size follows its new rows now, not after the next layout pass
            # (a check in between found them squeezed to the old height).
            self._grid.invalidate()
            self._column.adjustSize()
        if hasattr(self, "page_label"):
            self._show_page_label()
        if hasattr(self, "_layout"):
            margin = 12 if narrow else 32
            self._layout.setContentsMargins(
                margin, 12 if narrow else 16, margin, 16 if narrow else 24
            )
            self._layout.setSpacing(16 if narrow else 32)

    def _beside_pad(self) -> bool:
        return (not hasattr(self, "_layout")
                or self._layout.direction() == QBoxLayout.Direction.LeftToRight)

    def add_way_on(self, widget: QWidget, *, after_next: bool = False,
                   beside_next: bool = False) -> None:
        """A button of the screen's own under the fields, over Next (or under it, or
        before it in Next's row: a second action that must show whenever Next does)."""
        if beside_next:
            self._next_row.insertWidget(0, widget, 1)
            return
        index = next(i for i in range(self.way_on.count())
                     if (item := self.way_on.itemAt(i)) is not None
                     and item.layout() is self._next_row)
        self.way_on.insertWidget(index + 1 if after_next else index, widget)

    def _page_rows(self) -> list[list[str]]:
        return self._pages[self._page]

    def _page_fields(self, page: int | None = None) -> list[str]:
        rows = self._pages[self._page if page is None else page]
        return [name for names in rows for name in names]

    def _page_of(self, name: str) -> int:
        for page in range(len(self._pages)):
            if name in self._page_fields(page):
                return page
        return 0

    def _place_page_label(self, beside: bool) -> None:
        if beside and self.way_on.indexOf(self.page_label) < 0:
            self._next_row.removeWidget(self.page_label)
            index = next(i for i in range(self.way_on.count())
                         if (item := self.way_on.itemAt(i)) is not None
                         and item.layout() is self._next_row)
            self.way_on.insertWidget(index, self.page_label)
        elif not beside and self._next_row.indexOf(self.page_label) < 0:
            self.way_on.removeWidget(self.page_label)
            self._next_row.insertWidget(0, self.page_label, 1)

    def _show_page_label(self) -> None:
        paged = len(self._pages) > 1
        self.page_label.setText(
            QCoreApplication.translate("FormScreen", "%1 of %2")
            .replace("%1", str(self._page + 1)).replace("%2", str(len(self._pages)))
            if paged else "")
        self.page_label.setAccessibleName(
            QCoreApplication.translate("FormScreen", "Part %1 of %2")
            .replace("%1", str(self._page + 1)).replace("%2", str(len(self._pages)))
            if paged else "")
        self.page_label.setVisible(paged)

    def _fit(self) -> None:
        room = room_for(self)
        self._arrange(narrow=room < NARROW_WIDTH, split=self._split)
        # The column is as wide as the heading needs wherever the heading is, so whether
        # the pad fits beside the fields never depends on where the heading went (it
        # would flip back and forth).
        self._column.setMinimumWidth(max(
            self.title.minimumSizeHint().width(), self.subtitle.minimumSizeHint().width()))
        # A screen may want its pad under its fields on a narrow screen, whatever fits
        # beside: a staff reason's field then has the window's width, not 270 px.
        whole = 0 if self.stack_when_narrow and room < NARROW_WIDTH else self._whole_width(room)
        side_by_side_or_stacked(self._layout, whole, (5, 6))
        beside = self._layout.direction() == QBoxLayout.Direction.LeftToRight
        self._place_page_label(beside)
        if self.keypad is not None:
            self.keypad.set_wide(not beside)
        if self.keyboard is not None:
            margins = self._layout.contentsMargins()
            self.keyboard.set_wide(not beside and self.keyboard.commands_need()
                                   <= room - margins.left() - margins.right() - SCROLL_BAR)
        left = self._room_above_pad() if beside else -1
        # The title, then what it asks, then the aside, as far as they fit above the pad
        # in that order; what does not stays above the fields (the aside above Next).
        fits = True
        for index, label in enumerate((self.title, self.subtitle)):
            need = self._with_gap(self._height(label))
            fits = fits and need <= left
            if fits:
                left -= need
            # Over the fields, before what a screen adds to the heading (a summary).
            over = sum(1 for before in (self.title, self.subtitle)[:index]
                       if self._heading_layout.indexOf(before) >= 0)
            self._place(label, self._beside_layout if fits else self._heading_layout,
                        index if fits else over)
        self._beside.setVisible(self._beside_layout.count() > 0)
        self.heading.setVisible(self._heading_layout.count() > 0)
        need = self._with_gap(self._height(self.aside))
        fits = fits and need <= left
        if fits:
            left -= need
            self._place(self.aside, self._pad_side, 1)
        else:
            self._place(self.aside, self.way_on, self._notice_index())
        if fits:
            left -= self._pad_side.spacing()
        # The fields a page at a time when they do not all fit (issue 19), the page shown
        # still the one with the field in use (a resize, a language or text size switch).
        narrow = room < NARROW_WIDTH
        above_pad = left if fits else -1
        self._heading_scrolls = False
        # Measured whole while deciding, so the decision never depends on how the notice
        # shows now (it would flip between the two).
        self._notice_whole = True
        self._repage(beside=beside, narrow=narrow, above_pad=above_pad)
        compact = False
        if self._page_short(beside=beside, narrow=narrow, above_pad=above_pad):
            # The heading over the fields and the page's fields do not both fit: the
            # heading scrolls on its own, in what the fields leave.
            self._heading_scrolls = True
            self._repage(beside=beside, narrow=narrow, above_pad=above_pad)
            # Still short with the heading scrolling: the notice (a refusal) says its
            # first words on one line, the whole text behind a tap (issue 19: a staff
            # reason under a long refusal in large text at 1024x768).
            compact = (not self.notice.isHidden()
                       and self._page_short(beside=beside, narrow=narrow, above_pad=above_pad))
        self._notice_whole = False
        self.notice.set_compact(compact)
        self._place_notice(in_next_row=compact)
        if compact:
            self._repage(beside=beside, narrow=narrow, above_pad=above_pad)
        # Then the page's last rows of fields, as many as fit above the pad (one row at
        # least stays in the column); reading on from the column to the room above the pad.
        rows = self._page_rows()
        split = len(rows)
        if fits:
            while split > 1:
                need = self._row_height(rows[split - 1]) + self._more_grid.verticalSpacing()
                if need > left:
                    break
                left -= need
                split -= 1
        self._arrange(narrow=narrow, split=split)
        self._place_heading(rows[:split], narrow)

    def _notice_index(self) -> int:
        """Where the notice stands over Next (in ``way_on``), wherever it is now."""
        index = self.way_on.indexOf(self.notice)
        return index if index >= 0 else self.way_on.indexOf(self.busy_indicator)

    def _place_notice(self, *, in_next_row: bool) -> None:
        """The notice over Next, or on one line in Next's row, before the buttons (a
        refusal on a screen short of room: a line of its own was the room the field
        needed)."""
        if in_next_row and self._next_row.indexOf(self.notice) < 0:
            self.way_on.removeWidget(self.notice)
            self._next_row.insertWidget(0, self.notice, 3)
            self.notice.setVisible(self._notice_problem is not None)
        elif not in_next_row and self.way_on.indexOf(self.notice) < 0:
            self._next_row.removeWidget(self.notice)
            self.way_on.insertWidget(self.way_on.indexOf(self.busy_indicator), self.notice)
            self.notice.setVisible(self._notice_problem is not None)

    def _whole_width(self, room: int) -> int:
        """The screen's width without its own scroll bar (``side_by_side_or_stacked``
        keeps room for it): a screen made too tall for a moment, its scroll bar shown,
        must not put the pad under the fields for good (they are taller so, and the
        scroll bar stays)."""
        viewport = self.parentWidget()
        area = viewport.parentWidget() if viewport is not None else None
        if isinstance(area, QAbstractScrollArea) and area.viewport() is viewport:
            bar = area.verticalScrollBar()
            if bar.isVisible():
                room += bar.width()
        return room

    def _repage(self, *, beside: bool, narrow: bool, above_pad: int) -> None:
        pages = self._paginate(beside=beside, narrow=narrow, above_pad=above_pad)
        if pages != self._pages:
            self._pages = pages
            self._page = self._page_of(self._current)
        self._page = min(self._page, len(self._pages) - 1)

    def _units(self, rows: list[list[str]], *, beside: bool, narrow: bool) -> list[list[str]]:
        """Rows, or single fields in a narrow column beside the pad (a line each)."""
        return ([[name] for names in rows for name in names] if narrow and beside
                else rows)

    def _page_short(self, *, beside: bool, narrow: bool, above_pad: int) -> bool:
        """Whether the shown page's inputs (and its errors) need scrolling under a
        heading that stays over them."""
        if self._heading_layout.count() == 0 and not self._aside_under():
            return False
        units = self._units(self._page_rows(), beside=beside, narrow=narrow)
        column = self._column_room(beside, paged=len(self._pages) > 1)
        pages, fits = self._pages_in(units, column, narrow, above_pad, errors=True)
        return len(pages) > 1 or not fits

    def _aside_under(self) -> bool:
        """Whether the aside (a wrong PIN's "3 more wrong tries…") stands under the
        fields, over Next, with something in it: read-only, it may scroll with the
        heading when the fields need its room."""
        return (self.way_on.indexOf(self.aside) >= 0
                and self._height_at(self.aside, self._column_width(self._beside_pad())) > 0)

    def _column_extras(self, beside: bool) -> int:
        """The height of what a screen adds to the column over its fields (the deposit's
        preset amounts), with the gap under each."""
        width = self._column_width(beside)
        height = 0
        for index in range(self.column.count()):
            item = self.column.itemAt(index)
            widget = item.widget() if item is not None else None
            if widget is None or widget is self.heading or widget.isHidden():
                continue
            height += (widget.heightForWidth(width) if widget.hasHeightForWidth()
                       else widget.sizeHint().height()) + self.column.spacing()
        return height

    def _place_heading(self, rows: list[list[str]], narrow: bool) -> None:
        """The heading over the fields in the column, or in a scroll area of its own over
        it (``_heading_scrolls``); the column then holds the page's inputs whole."""
        scrolls = self._heading_scrolls
        if scrolls:
            self._place(self.heading, self._scrolled_heading, 0)
            if self.way_on.indexOf(self.aside) >= 0:
                # What the screen says beyond its fields scrolls under the heading.
                self._place(self.aside, self._scrolled_heading, 1)
                self.aside.show()  # moved twice in one pass: Qt does not show it again
        else:
            self._place(self.heading, self.column, 0)
        self.heading_scroll.setVisible(scrolls)
        if not scrolls:
            self.column_scroll.setMinimumHeight(FIELD_ROOM)
            self.heading_scroll.setMaximumHeight(MAX_SIZE)
            return
        beside = self._beside_pad()
        width = self._column_width(beside)
        need = 0
        units = self._units(rows, beside=beside, narrow=narrow)
        spacing = self._grid.verticalSpacing()
        for index, names in enumerate(units):
            full, shown = self._column_row_height(names, narrow, errors=True)
            need += (shown if index == len(units) - 1 else full + spacing)
        # Never more than the window leaves over Next and the pad: they stay whole too.
        room = self._column_room(beside, paged=len(self._pages) > 1)
        if not beside:
            room -= max((self._pad_height(name) for names in rows for name in names),
                        default=0)
        above = self.column.contentsMargins().top() + self._column_extras(beside)
        self.column_scroll.setMinimumHeight(max(above + min(need, room), 1))
        # Never taller than the heading: the room left goes to the fields' error lines.
        tall = self._height_at(self.heading, width + SCROLL_BAR)
        if self._scrolled_heading.indexOf(self.aside) >= 0:
            tall += self._height_at(self.aside, width + SCROLL_BAR)
            tall += self._scrolled_heading.spacing() if tall else 0
        self.heading_scroll.setMaximumHeight(max(tall, 1))

    def _paginate(self, *, beside: bool, narrow: bool,
                  above_pad: int) -> list[list[list[str]]]:
        """The rows of fields in pages that each fit the window without scrolling: in the
        column over Next first, then above the pad (``above_pad`` px, -1 for none). One
        page, all rows, when they fit. In a narrow column beside the pad, where each field
        has a line of its own, a row's fields may go on different pages."""
        everything = [self._rows]
        units = ([[name] for names in self._rows for name in names] if narrow and beside
                 else self._rows)
        if len(units) < 2:
            return everything
        column = self._column_room(beside, paged=False)
        if len(self._pages_in(units, column, narrow, above_pad, errors=True)[0]) == 1:
            return everything
        # Paged, "1 of 2" stands beside Next (or over it): counted.
        column = self._column_room(beside, paged=True)
        # Pages only when each fits with no error shown: a field too tall for any page
        # would scroll on its page as on one, and Next would be touched for nothing. An
        # error may then make a field too tall for a page: it has a page of its own.
        if not self._pages_in(units, column, narrow, above_pad, errors=False)[1]:
            return everything
        return self._pages_in(units, column, narrow, above_pad, errors=True)[0]

    def _pages_in(self, units: list[list[str]], column: int, narrow: bool, above_pad: int,
                  *, errors: bool) -> tuple[list[list[list[str]]], bool]:
        """``units`` (rows, or single fields) in pages of ``column`` px (and ``above_pad``),
        and whether each fits: a unit too tall for any page has a page of its own."""
        spacing = self._grid.verticalSpacing()
        # Under the fields, the pad is as tall as the tallest one the page's fields use.
        under = not self._beside_pad()
        pages: list[list[list[str]]] = []
        fits = True
        index = 0
        while index < len(units):
            page: list[list[str]] = []
            used = 0
            pad = 0
            while index < len(units):
                names = units[index]
                full, shown = self._column_row_height(names, narrow, errors=errors)
                above = used + (spacing if page else 0)
                row_pad = max([pad] + [self._pad_height(n) for n in names]) if under else 0
                if page and above + shown + row_pad > column:
                    break
                fits = fits and above + shown + row_pad <= column
                used, pad = above + full, row_pad
                page.append(names)
                index += 1
            room = above_pad
            while index < len(units):
                need = self._row_height(units[index]) + self._more_grid.verticalSpacing()
                if need > room:
                    break
                room -= need
                page.append(units[index])
                index += 1
            pages.append(page)
        return pages, fits

    def _column_width(self, beside: bool) -> int:
        """The width of the fields' column (worked out, as ``_pad_side_width``)."""
        margins = self._layout.contentsMargins()
        room = room_for(self) - margins.left() - margins.right()
        if beside:
            # What the pad's side leaves (it may take more than its share: the pad's keys).
            room -= self._layout.spacing() + self._pad_side_width()
        inner = self.column.contentsMargins()
        return room - inner.left() - inner.right() - SCROLL_BAR

    def _column_row_height(self, names: list[str], narrow: bool, *,
                           errors: bool) -> tuple[int, int]:
        """A row of fields' height in the column (one under the other when narrow), and
        how much of it must show when it is the page's last row: down to its last input,
        or its error when it shows one (``errors``; the room kept under a field for an
        error it does not have may be under the fold)."""
        beside = self._beside_pad()
        width = self._column_width(beside)
        if (narrow and beside) or len(names) == 1:
            heights = [self._field_height(name, width, errors=errors) for name in names]
            spacing = self._grid.verticalSpacing()
            above = sum(full for full, _ in heights[:-1]) + spacing * (len(heights) - 1)
            return above + heights[-1][0], above + heights[-1][1]
        width = (width - self._grid.horizontalSpacing()) // 2
        heights = [self._field_height(name, width, errors=errors) for name in names]
        return max(full for full, _ in heights), max(shown for _, shown in heights)

    def _field_height(self, name: str, width: int, *, errors: bool) -> tuple[int, int]:
        """A field's height at ``width``, and its label and input's (with its error when
        it shows one and ``errors``)."""
        field = self.fields[name]
        layout = field.layout()
        spacing = max(layout.spacing(), 0) if layout is not None else 0
        # The input's touch-sized minimum (64 px) is more than its hint in normal text.
        edit = field.line_edit
        shown = (field.label.heightForWidth(width) + spacing
                 + max(edit.sizeHint().height(), edit.minimumHeight()))
        error = field.error_label.heightForWidth(width)
        if errors and field.problem_code() is not None:
            return shown + spacing + error, shown + spacing + error
        return shown + spacing + field.error_label.minimumSizeHint().height(), shown

    def _column_room(self, beside: bool, *, paged: bool) -> int:
        """The height the column's fields have without scrolling, less the pad when it is
        under them (``_pages_in`` takes it off, as tall as the page's fields need): the
        window's, less the heading when it stays over them and what stands under them
        (the aside, the notice, a button of the screen's, Next)."""
        parent = self.parentWidget()
        height = parent.height() if parent is not None else self.height()
        margins = self._layout.contentsMargins()
        room = height - margins.top() - margins.bottom()
        if not beside:
            room -= self._layout.spacing()
        width = self._column_width(beside) + SCROLL_BAR
        gap = self.way_on.spacing()
        for index in range(self.way_on.count()):
            item = self.way_on.itemAt(index)
            widget = item.widget() if item is not None else None
            if item is None or widget in (self.column_scroll, self.heading_scroll):
                continue
            if item.layout() is self._next_row:
                need = self.next_button.sizeHint().height()
                if paged and not beside:
                    need = max(need, self.page_label.fontMetrics().height())
                if self._next_row.indexOf(self.notice) >= 0 and not self.notice.isHidden():
                    if getattr(self, "_notice_whole", False):
                        # Deciding: measured whole, on a line of its own over Next.
                        room -= self.notice.whole_height(width) + gap
                    else:
                        need = max(need, self.notice.heightForWidth(width // 2)
                                   if self.notice.hasHeightForWidth()
                                   else self.notice.sizeHint().height())
            elif widget is self.page_label:
                if not paged or not beside:
                    continue
                need = self.page_label.fontMetrics().height()
            elif widget is self.aside:
                # Measured by what it holds: moved here from the heading's scroll area,
                # it is hidden until Qt shows it again.
                if self._heading_scrolls:
                    continue  # it scrolls under the heading
                need = self._height_at(widget, width)
            elif widget is None or widget.isHidden():
                continue
            elif widget is self.notice and getattr(self, "_notice_whole", False):
                need = self.notice.whole_height(width)
            else:
                need = (widget.heightForWidth(width) if widget.hasHeightForWidth()
                        else widget.sizeHint().height())
            # A shown piece takes its gap even when it is empty (the aside).
            room -= need + gap
        # What must show is down to the page's last input (its error line, the column's
        # bottom margin and stretch may be under the fold).
        room -= self.column.contentsMargins().top() + self._column_extras(beside)
        if self._heading_scrolls:
            room -= gap  # the heading takes what the fields leave
        elif self._heading_layout.count() > 0:
            room -= self._height_at(self.heading, width) + self.column.spacing()
        return room

    def _pad_height(self, name: str) -> int:
        pad = self.keyboard if self._pads.get(name) == KEYBOARD else self.keypad
        return pad.sizeHint().height() if pad is not None else 0

    def _height_at(self, widget: QWidget, width: int) -> int:
        if not any(child.isVisibleTo(widget) for child in widget.findChildren(QWidget)):
            return 0
        return (widget.heightForWidth(width) if widget.hasHeightForWidth()
                else widget.sizeHint().height())

    def _with_gap(self, height: int) -> int:
        """A piece's height above the pad with the gap under it (nothing for no piece)."""
        return height + self._pad_side.spacing() if height > 0 else 0

    def _row_height(self, names: list[str]) -> int:
        """A row of fields' height above the pad, two fields sharing its width."""
        width = self._pad_side_width()
        if len(names) > 1:
            width = (width - self._more_grid.horizontalSpacing()) // 2
        heights = []
        for name in names:
            field = self.fields[name]
            heights.append(field.heightForWidth(width) if field.hasHeightForWidth()
                           else field.sizeHint().height())
        return max(heights)

    def _room_above_pad(self) -> int:
        """The height beside the fields above the pad (a tall keypad under a title wrapped
        by large text may leave too little: then the heading stays above the fields, which
        scroll)."""
        parent = self.parentWidget()
        height = parent.height() if parent is not None else self.height()
        margins = self._layout.contentsMargins()
        room = height - margins.top() - margins.bottom()
        # The gap between the stretch and the pad (each piece above adds its own).
        return room - self.pad_stack.sizeHint().height() - self._pad_side.spacing()

    def _pad_side_width(self) -> int:
        """The width the pad's side gets beside the fields: its share of the room (the
        layout's 5:6), never less than the pad needs. Worked out, not read from its
        geometry, which still holds the last layout's (the whole width, when stacked)."""
        pad_side = self._pad_side.parentWidget()
        if pad_side is None:
            return 0
        margins = self._layout.contentsMargins()
        room = room_for(self) - margins.left() - margins.right() - self._layout.spacing()
        return max(pad_side.minimumSizeHint().width(), room * 6 // 11)

    def _height(self, widget: QWidget) -> int:
        """What ``widget`` needs at the pad side's width (0 when nothing in it shows)."""
        width = self._pad_side_width()
        if width <= 0:
            return 1 << 20
        if isinstance(widget, QLabel):
            if not widget.text() or widget.isHidden():
                return 0
        elif not any(child.isVisibleTo(widget) for child in widget.findChildren(QWidget)):
            return 0
        return (widget.heightForWidth(width) if widget.hasHeightForWidth()
                else widget.sizeHint().height())

    @staticmethod
    def _place(widget: QWidget, where: QVBoxLayout, index: int) -> None:
        if where.indexOf(widget) >= 0:
            return
        parent = widget.parentWidget()
        layout = parent.layout() if parent is not None else None
        if layout is not None:
            layout.removeWidget(widget)
        where.insertWidget(min(index, where.count()), widget)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._fit()
        super().resizeEvent(event)

    def event(self, event: QEvent) -> bool:
        # Something in the column changed its size (an error, the "Sign in instead"
        # button): the column and the pad may no longer fit side by side.
        if event.type() == QEvent.Type.LayoutRequest:
            self._fit()
        return super().event(event)

    def _pad_holder(self, pad: QWidget) -> QWidget:
        # Keeps the pad at the bottom, near the hands, whatever the column's height.
        holder = QWidget(self)
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.addStretch(1)
        column.addWidget(pad)
        return holder

    # -- pages ----------------------------------------------------------------------------

    @property
    def page_count(self) -> int:
        return len(self._pages)

    @property
    def page(self) -> int:
        """The page of fields shown (0 when they all fit: one page)."""
        return self._page

    def show_page(self, page: int) -> None:
        """Show the fields of ``page`` (the tests' and the fits check's way there too)."""
        page = max(0, min(page, len(self._pages) - 1))
        first = self._page_fields(page)[0]
        self._page = page
        self._select_field(first)
        self._fit()
        # A page starts at its top, the step's title in view.
        self.column_scroll.verticalScrollBar().setValue(0)

    def back_within_step(self) -> bool:
        """Back on a later page shows the page before it; on the first the step is left."""
        if self._page == 0:
            return False
        self.show_page(self._page - 1)
        self.fields[self._page_fields()[0]].line_edit.setFocus()
        return True

    # -- typing ---------------------------------------------------------------------------

    def line_edit(self, field: str) -> QLineEdit:
        return self.fields[field].line_edit

    def typing_target(self) -> QLineEdit | None:
        """The field the pads type into: the focused one of this screen, else the last used."""
        focused = self.focusWidget()
        for name, field in self.fields.items():
            if field.line_edit is focused:
                self._select_field(name)
                return field.line_edit
        return self.fields[self._current].line_edit

    def _select_field(self, name: str) -> None:
        self._current = name
        pad = self.keyboard if self._pads.get(name) == KEYBOARD else self.keypad
        holder = pad.parentWidget() if pad is not None else None
        if holder is not None:
            self.pad_stack.setCurrentWidget(holder)
        # The pads' stack is as tall as the pad shown, not the tallest (a phone's keypad
        # in two rows under the fields, not the keyboard's room: issue 19).
        for index in range(self.pad_stack.count()):
            page = self.pad_stack.widget(index)
            if page is None:
                continue
            shown = page is self.pad_stack.currentWidget()
            policy = QSizePolicy.Policy.Preferred if shown else QSizePolicy.Policy.Ignored
            if page.sizePolicy().verticalPolicy() != policy:
                page.setSizePolicy(QSizePolicy.Policy.Preferred, policy)
                self.pad_stack.updateGeometry()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn:
            for name, field in self.fields.items():
                if field.line_edit is watched:
                    self._select_field(name)
                    if field.problem_code() is not None:
                        self.column_scroll.keep_in_view(field)
                    else:
                        # Its input whole is enough: the room kept under it for an error
                        # may stay under the fold, the step's title over it in view (a
                        # page of one field at 1024x768 in large text, issue 19).
                        self.column_scroll.keep_in_view(field.line_edit, 0)
        return super().eventFilter(watched, event)

    def first_focus(self) -> QWidget | None:
        for name in self._order:
            if self.fields[name].problem_code() is not None:
                return self.fields[name].line_edit
        return self.fields[self._page_fields()[0]].line_edit

    def on_enter(self) -> None:
        first = self.first_focus()
        for name, field in self.fields.items():
            if field.line_edit is first:
                self._show_field(name)
        super().on_enter()

    def _show_field(self, name: str) -> None:
        """Select ``name``, on its page."""
        page = self._page_of(name)
        if page != self._page:
            self.show_page(page)
        self._select_field(name)

    def _enter_pressed(self, name: str) -> None:
        # Enter moves to the next field of the page, and on its last one it means Next.
        index = self._order.index(name)
        following = self._order[index + 1] if index + 1 < len(self._order) else None
        if following is not None and following in self._page_fields():
            self.fields[following].line_edit.setFocus()
            self._select_field(following)
        else:
            self.submit()

    # -- validation -----------------------------------------------------------------------

    def check(self, rule: Callable[[], T]) -> T | None:
        """Run one ``kiosk.validation`` rule; on ``InvalidInput`` mark its field, give None."""
        try:
            return rule()
        except InvalidInput as problem:
            self.show_problem(problem.problem.value, problem.field)
            return None

    def validate_fields(self) -> bool:
        raise NotImplementedError

    def _recheck(self, name: str) -> None:
        """A field showing an error was changed: clear the error once the input is valid
        (a new error waits for Next, so typing is not interrupted by red text)."""
        field = self.fields[name]
        if field.problem_code() is None or self._quiet_problems is not None:
            return
        self._quiet_problems = {}
        try:
            self.validate_fields()
            still_wrong = name in self._quiet_problems
        finally:
            self._quiet_problems = None
        if not still_wrong:
            field.clear_problem()

    def submit(self) -> None:
        if not self.next_button.isEnabled():
            return
        if self._page + 1 < len(self._pages):
            self._next_page()
            return
        self.clear_problems()
        if self.validate_fields():
            self.completed.emit()
        else:
            first = self.first_focus()
            for name, field in self.fields.items():
                if field.line_edit is first:
                    self._show_field(name)
            if first is not None:
                first.setFocus()

    def _next_page(self) -> None:
        """Next on a page before the last: the page's own fields are checked (their errors
        shown there, and the family stays), then the next page shows. The step completes
        once, on the last page, with all its values."""
        self._quiet_problems = {}
        try:
            self.validate_fields()
            problems = self._quiet_problems
        finally:
            self._quiet_problems = None
        names = self._page_fields()
        for name in names:
            self.fields[name].clear_problem()
        super().clear_problems()
        wrong = [name for name in names if name in problems]
        for name in wrong:
            self.show_problem(problems[name], name)
        if wrong:
            self.fields[wrong[0]].line_edit.setFocus()
            return
        self.show_page(self._page + 1)
        self.fields[self._page_fields()[0]].line_edit.setFocus()

    def owns_field(self, field: str) -> bool:
        return field in self.fields

    def show_problem(self, code: str, field: str = "") -> None:
        if self._quiet_problems is not None:
            self._quiet_problems[field] = code
        elif field in self.fields:
            self.fields[field].set_problem(code)
            if self.isVisible() and self._page_of(field) != self._page:
                # A refusal about a field on another page (the server's): show it there.
                self.show_page(self._page_of(field))
            self.problem_shown.emit(self.fields[field].error_text())
        else:
            super().show_problem(code, field)

    def clear_problems(self) -> None:
        for field in self.fields.values():
            field.clear_problem()
        super().clear_problems()

    def error_text(self, field: str) -> str:
        return self.fields[field].error_text()

    def reset(self) -> None:
        for field in self.fields.values():
            field.reset()
        if self.keyboard is not None:
            self.keyboard.reset()
        self._page = 0
        self._select_field(self._order[0])
        self._fit()
        super().reset()

    def retranslate_form(self) -> None:
        raise NotImplementedError

    def retranslateUi(self) -> None:
        self.retranslate_form()
        self.next_button.setText(QCoreApplication.translate("FormScreen", "Next ›"))
        self.next_button.setAccessibleName(QCoreApplication.translate("FormScreen", "Next step"))
        self.subtitle.setAccessibleName(self.subtitle.text())
        self.subtitle.setVisible(bool(self.subtitle.text()))
        if hasattr(self, "page_label"):
            self._show_page_label()
        super().retranslateUi()
