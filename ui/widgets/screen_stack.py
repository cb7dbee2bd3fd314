"""The stack of screens, each in its own scroll area: when large text or a long
translation makes a screen taller than the window, it scrolls instead of being squeezed
(squeezed layouts clip text and draw error lines over fields)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QFrame,
    QLabel,
    QLayout,
    QLayoutItem,
    QScrollArea,
    QScroller,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)


class VerticalScroll(QScrollArea):
    """A frameless scroll area for a column that may be taller than the screen: it
    scrolls up and down only, is never narrower than its column needs, and keeps the
    focused control in view."""

    def __init__(self, parent: QWidget | None = None, *, touch: bool = True) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._touch = False
        if touch:
            self.enable_touch()

    def enable_touch(self) -> None:
        """A finger drags the column on a touch screen (mouse presses stay clicks).

        ``touch=False`` leaves this for later: the kiosk's first frame (docs/performance.md
        "The kiosk's first paint"). Asking for the viewport from Python the first time
        costs 15-20 ms: PySide works out the type of a widget Qt created by loading every
        QtWidgets class it might be (and their enums)."""
        if self._touch:
            return
        self._touch = True
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        if self.widget() is not None:
            self.viewport().setAutoFillBackground(False)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        inner = self.widget()
        if inner is None:
            return hint
        width = (max(inner.minimumSizeHint().width(), inner.minimumWidth())
                 + self.verticalScrollBar().sizeHint().width())
        return QSize(max(hint.width(), width), hint.height())

    def sizeHint(self) -> QSize:
        # Asks for no more height than its minimum: it scrolls whatever it is given. A
        # column around it that wraps text lays out by height-for-width, which adds up the
        # preferred heights; the whole content's height here made the screen taller than
        # the window, so the screen scrolled and took its way on out of view (issue 19).
        hint = super().sizeHint()
        return QSize(hint.width(), self.minimumSizeHint().height())

    def setWidget(self, widget: QWidget) -> None:
        super().setWidget(widget)
        # QScrollArea makes its widget paint the palette's (light) window colour; the
        # style sheet's background (black in high contrast) must show through instead.
        widget.setAutoFillBackground(False)
        if self._touch:  # else when ``enable_touch`` runs (the style sheet's background
            # reaches the viewport meanwhile: QScrollArea#screenScroll is transparent)
            self.viewport().setAutoFillBackground(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The column's minimum width changed (an error, a button shown): so did ours, and
        # the screen may have to put the keyboard under the column.
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)

    def keep_in_view(self, widget: QWidget, margin: int = 16) -> None:
        if self.isAncestorOf(widget):
            self.ensureWidgetVisible(widget, margin, margin)


class ShrinkingScroll(VerticalScroll):
    """A scroll area that asks for no height: it takes what the widgets over and under
    it leave (a screen's heading over fields or a keyboard that would not fit under it,
    issue 19). It is as wide as what it holds needs. Give it a stretch and, as its
    maximum height, its content's, so it takes no more than that where there is room."""

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), 1)


class ScreenStack(QStackedWidget):
    """Shows one screen at a time; ``setCurrentWidget`` and ``currentWidget`` take and give
    the screens themselves, not the scroll areas around them.

    Screens never scroll sideways: a layout must fit the width (the layout test checks),
    and the focused control is scrolled into view.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screens")
        self._scrolls: dict[QWidget, QScrollArea] = {}
        # Each screen's page: its scroll area and, under it, the footer that never scrolls.
        self._pages: dict[QWidget, QWidget] = {}
        # Pages restyled while hidden, whose layouts still hold the old size hints.
        self._stale: set[QWidget] = set()
        self._watching_focus = False

    def _watch_focus(self) -> None:
        """One connection for all the screens' scroll areas (not one each: every focus
        change would call dozens of Python slots). Made with the first screen that scrolls
        by touch: following the focus up its parents asks for a viewport from Python, the
        cost the first frame leaves for later (``VerticalScroll.enable_touch``)."""
        if self._watching_focus:
            return
        self._watching_focus = True
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
            self._focus_changed(None, app.focusWidget())  # the focus given meanwhile

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Scroll every scroll area around the newly focused control to show it."""
        if new is None or not self.isAncestorOf(new):
            return
        parent = new.parentWidget()
        while parent is not None and parent is not self:
            if isinstance(parent, VerticalScroll):
                parent.keep_in_view(new)
            parent = parent.parentWidget()

    def add_screen(self, screen: QWidget, *, touch_later: bool = False) -> None:
        """``touch_later``: the screen's scroll area takes a finger's drag only once
        ``enable_touch(screen)`` is called (the kiosk's first frame, ``VerticalScroll``)."""
        # Every label on a screen wraps rather than clips (a long Spanish section title in
        # large text is wider than a 1024 px window).
        for label in screen.findChildren(QLabel):
            label.setWordWrap(True)
        page = QWidget(self)
        page.setObjectName("screenPage")
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        scroll = VerticalScroll(page, touch=not touch_later)
        if not touch_later:
            self._watch_focus()
        scroll.setObjectName("screenScroll")
        # Taken out before the screen goes into its scroll area (which lays it out).
        footer = _pinned_footer(screen, page)
        scroll.setWidget(screen)
        column.addWidget(scroll, 1)
        if footer is not None:
            column.addWidget(footer)
        self._scrolls[screen] = scroll
        self._pages[screen] = page
        self.addWidget(page)

    def restyled(self) -> None:
        """The look changed (large text, high contrast). Qt does not pass a hidden widget's
        new size hint up to its layouts (``updateGeometry`` is a no-op while hidden), so a
        screen first shown after the change would keep the old sizes: a large-text field
        squeezed to its old height. Each hidden screen re-reads its sizes when next shown."""
        current = super().currentWidget()
        self._stale = {page for page in self._pages.values() if page is not current}

    def setCurrentWidget(self, widget: QWidget) -> None:
        page = self._pages.get(widget)
        if page is not None and page is not super().currentWidget():
            # A step shown anew starts at its title, however far the last visit (perhaps
            # another family's) scrolled it: the focus change that follows scrolls on
            # from there only as far as the focused field needs.
            self._scrolls[widget].verticalScrollBar().setValue(0)
        super().setCurrentWidget(page if page is not None else widget)
        if page is not None and page in self._stale:
            self._stale.discard(page)
            # Shown now, so each widget's new size hint reaches its layout: the layouts'
            # cached hints are dropped too (invalidating the layouts alone kept a
            # high-contrast field at its old height after a language change).
            for child in page.findChildren(QWidget):
                child.updateGeometry()
            for layout in page.findChildren(QLayout):
                layout.invalidate()

    def currentWidget(self) -> QWidget | None:
        current = super().currentWidget()
        for screen, page in self._pages.items():
            if page is current:
                return screen
        return current

    def enable_touch(self, screen: QWidget) -> None:
        scroll = self._scrolls.get(screen)
        if isinstance(scroll, VerticalScroll):
            scroll.enable_touch()
        self._watch_focus()

    def scroll_of(self, screen: QWidget) -> QScrollArea | None:
        return self._scrolls.get(screen)


def _pinned_footer(screen: QWidget, page: QWidget) -> QWidget | None:
    """The screen's way on, kept in view (issue 19): when the screen's own layout is a
    column whose last stretch is followed by its notice and primary button (or a row
    holding it), those last items move to a footer under the scroll area, with the
    screen's side margins. A tall screen (large text, Spanish, both banners) then scrolls
    its content, never its primary button or its error line. Screens laid out otherwise
    keep theirs."""
    layout = screen.layout()
    primary = getattr(screen, "action_button", None)
    if not isinstance(layout, QBoxLayout) or primary is None:
        return None
    if layout.direction() != QBoxLayout.Direction.TopToBottom:
        return None
    items: list[QLayoutItem] = [
        item for i in range(layout.count()) if (item := layout.itemAt(i)) is not None
    ]
    stretches = [i for i, item in enumerate(items) if item.spacerItem() is not None]
    if not stretches:
        return None
    tail = items[stretches[-1] + 1:]
    widgets = [item.widget() for item in tail]
    if not tail or any(w is None for w in widgets):
        return None
    if not any(w is primary or (w is not None and w.isAncestorOf(primary)) for w in widgets):
        return None
    footer = QWidget(page)
    footer.setObjectName("screenFooter")
    column = QVBoxLayout(footer)
    margins = layout.contentsMargins()
    column.setContentsMargins(margins.left(), 4, margins.right(), margins.bottom())
    column.setSpacing(layout.spacing())
    layout.setContentsMargins(margins.left(), margins.top(), margins.right(), 0)
    for widget in widgets:
        assert widget is not None
        layout.removeWidget(widget)
        widget.setParent(footer)
        column.addWidget(widget)
    return footer
