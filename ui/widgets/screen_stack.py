"""The stack of screens, each in its own scroll area: when large text or a long
translation makes a screen taller than the window, it scrolls instead of being squeezed
(squeezed layouts clip text and draw error lines over fields)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QScrollArea,
    QStackedWidget,
    QWidget,
)


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
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    def add_screen(self, screen: QWidget) -> None:
        scroll = QScrollArea(self)
        scroll.setObjectName("screenScroll")
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(screen)
        self._scrolls[screen] = scroll
        self.addWidget(scroll)

    def setCurrentWidget(self, widget: QWidget) -> None:
        super().setCurrentWidget(self._scrolls.get(widget, widget))

    def currentWidget(self) -> QWidget | None:
        current = super().currentWidget()
        if isinstance(current, QScrollArea):
            inner = current.widget()
            if inner is not None:
                return inner
        return current

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        current = super().currentWidget()
        if new is not None and isinstance(current, QScrollArea) and current.isAncestorOf(new):
            current.ensureWidgetVisible(new, 16, 16)
