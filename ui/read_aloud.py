"""The "Read aloud" mode: says each screen's title, the control that takes the focus and
every error, in the language on screen (docs/accessibility.md)."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QWidget

from ui.i18n import current_language
from ui.screens.base import Screen
from ui.speech import Speaker


def describe(widget: QWidget) -> str:
    """What to say for a focused control: its accessible name (else its text), and for a
    field its error, if it shows one."""
    name = widget.accessibleName()
    if not name and isinstance(widget, QAbstractButton | QLabel | QLineEdit):
        name = widget.text() if not isinstance(widget, QLineEdit) else ""
    parts = [name, widget.accessibleDescription()]
    return ". ".join(part for part in parts if part)


class ReadAloud(QObject):
    """Listens to the window's screens and focus while ``enabled``; talks to ``speaker``.

    A new screen interrupts whatever was being said; the focused control and errors are
    queued after it. A child of the window, so its connection to the application's focus
    signal ends with the window.
    """

    def __init__(self, speaker: Speaker, window: QWidget, screens: Mapping[str, Screen]) -> None:
        super().__init__(window)
        self.speaker = speaker
        self._window = window
        self._screens = screens
        self.enabled = False
        self._last_focus: QWidget | None = None
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
            # The application outlives the window: stop listening when the window goes.
            window.destroyed.connect(lambda: app.focusChanged.disconnect(self._focus_changed))

    def add_screen(self, screen: Screen) -> None:
        """Say ``screen``'s errors (the window calls this as it builds each screen)."""
        screen.problem_shown.connect(self._problem)

    def available(self) -> bool:
        return self.speaker.available()

    def set_enabled(self, on: bool, current: str = "") -> None:
        self.enabled = on and self.available() and self.speaker.start()
        if not self.enabled:
            self.speaker.stop()
        elif current:
            self.screen_entered(current)

    def _say(self, text: str, *, interrupt: bool = False) -> None:
        if self.enabled and text:
            self.speaker.speak(text, current_language(), interrupt=interrupt)

    def screen_entered(self, name: str) -> None:
        screen = self._screens.get(name)
        if screen is None or not self.enabled:
            return
        self._say(screen.title.text(), interrupt=True)
        focused = QApplication.focusWidget()
        self._last_focus = None
        if focused is not None and screen.isAncestorOf(focused):
            self._focus_changed(None, focused)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if not self.enabled:
            return
        if new is None or new is self._last_focus or not self._window.isAncestorOf(new):
            return
        self._last_focus = new
        self._say(describe(new))

    def _problem(self, text: str) -> None:
        self._say(text)
