"""Kiosk mode (docs/deployment.md, "Lockdown"): the window fills the whole display with no
frame and cannot be closed; the keys that would leave it (Alt+F4, the system key, Alt+Tab,
Ctrl+Q/W) do nothing, while Esc stays the kiosk's own "Back" and never leaves full screen;
the pointer can be hidden on touch builds. Only a supervisor, in staff mode, may leave
(``Lockdown.release``); the service manager restarts the kiosk if it ever exits otherwise."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QCloseEvent, QCursor, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

# Keys swallowed in kiosk mode. The on-screen keyboards do not send these.
_SWALLOWED_KEYS = frozenset({
    Qt.Key.Key_F4, Qt.Key.Key_Meta, Qt.Key.Key_Super_L,
    Qt.Key.Key_Super_R, Qt.Key.Key_Tab, Qt.Key.Key_Menu,
})


def _leaves_kiosk(event: QKeyEvent) -> bool:
    key = Qt.Key(event.key())
    modifiers = event.modifiers()
    if key in (Qt.Key.Key_Meta, Qt.Key.Key_Super_L, Qt.Key.Key_Super_R, Qt.Key.Key_Menu):
        return True
    if modifiers & (Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier):
        return key in _SWALLOWED_KEYS  # Alt+F4, Alt+Tab, Super+anything listed
    return bool(modifiers & Qt.KeyboardModifier.ControlModifier) and key in (
        Qt.Key.Key_Q, Qt.Key.Key_W)


class Lockdown(QObject):
    """Installed on the application: holds ``window`` full screen and closed to leaving."""

    def __init__(self, window: QWidget, *, hide_cursor: bool = False) -> None:
        super().__init__(window)
        self._window = window
        self.locked = True
        self.swallowed = 0  # how many leaving keys or close requests were refused
        window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        window.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        screen = window.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            window.setGeometry(screen.geometry())
        self._cursor_hidden = hide_cursor
        if hide_cursor:
            QGuiApplication.setOverrideCursor(QCursor(Qt.CursorShape.BlankCursor))
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def show(self) -> None:
        self._window.showFullScreen()

    def release(self) -> None:
        """A supervisor leaves kiosk mode: keys and closing work again."""
        self.locked = False
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        if self._cursor_hidden:
            QGuiApplication.restoreOverrideCursor()
            self._cursor_hidden = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.locked:
            return False
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) and (
            isinstance(event, QKeyEvent) and _leaves_kiosk(event)
        ):
            if event.type() == QEvent.Type.KeyPress:
                self.swallowed += 1
            return True
        if watched is self._window and event.type() == QEvent.Type.Close:
            assert isinstance(event, QCloseEvent)
            event.ignore()
            self.swallowed += 1
            return True
        return False
