"""The stack of screens, each in its own scroll area: when large text or a long
translation makes a screen taller than the window, it scrolls instead of being squeezed
(squeezed layouts clip text and draw error lines over fields)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QLayout,
    QScrollArea,
    QScroller,
    QStackedWidget,
    QWidget,
)


class VerticalScroll(QScrollArea):
    """A frameless scroll area for a column that may be taller than the screen: it
    scrolls up and down only, is never narrower than its column needs, and keeps the
    focused control in view."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # A finger drags the column on a touch screen (mouse presses stay clicks).
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.TouchGesture)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        inner = self.widget()
        if inner is None:
            return hint
        width = inner.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
        return QSize(max(hint.width(), width), hint.height())

    def setWidget(self, widget: QWidget) -> None:
        super().setWidget(widget)
        # QScrollArea makes its widget paint the palette's (light) window colour; the
        # style sheet's background (black in high contrast) must show through instead.
        widget.setAutoFillBackground(False)
        self.viewport().setAutoFillBackground(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The column's minimum width changed (an error, a button shown): so did ours, and
        # the screen may have to put the keyboard under the column.
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)

    def keep_in_view(self, widget: QWidget) -> None:
        if self.isAncestorOf(widget):
            self.ensureWidgetVisible(widget, 16, 16)


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
        # Screens restyled while hidden, whose layouts still hold the old size hints.
        self._stale: set[QScrollArea] = set()
        # One connection for all the screens' scroll areas (not one each: every focus
        # change would call dozens of Python slots).
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Scroll every scroll area around the newly focused control to show it."""
        if new is None or not self.isAncestorOf(new):
            return
        parent = new.parentWidget()
        while parent is not None and parent is not self:
            if isinstance(parent, VerticalScroll):
                parent.keep_in_view(new)
            parent = parent.parentWidget()

    def add_screen(self, screen: QWidget) -> None:
        # Every label on a screen wraps rather than clips (a long Spanish section title in
        # large text is wider than a 1024 px window).
        for label in screen.findChildren(QLabel):
            label.setWordWrap(True)
        scroll = VerticalScroll(self)
        scroll.setObjectName("screenScroll")
        scroll.setWidget(screen)
        self._scrolls[screen] = scroll
        self.addWidget(scroll)

    def restyled(self) -> None:
        """The look changed (large text, high contrast). Qt does not pass a hidden widget's
        new size hint up to its layouts (``updateGeometry`` is a no-op while hidden), so a
        screen first shown after the change would keep the old sizes: a large-text field
        squeezed to its old height. Each hidden screen re-reads its sizes when next shown."""
        current = super().currentWidget()
        self._stale = {scroll for scroll in self._scrolls.values() if scroll is not current}

    def setCurrentWidget(self, widget: QWidget) -> None:
        scroll = self._scrolls.get(widget)
        if scroll is not None and scroll in self._stale:
            self._stale.discard(scroll)
            for layout in scroll.findChildren(QLayout):
                layout.invalidate()
        super().setCurrentWidget(scroll if scroll is not None else widget)

    def currentWidget(self) -> QWidget | None:
        current = super().currentWidget()
        if isinstance(current, QScrollArea):
            inner = current.widget()
            if inner is not None:
                return inner
        return current
