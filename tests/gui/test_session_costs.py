"""What a family session must not leave behind or pay twice for: translators, style sheet
passes, retranslations, and an idle watcher that runs Python for every paint."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, Qt, QTranslator
from PySide6.QtTest import QTest

from kiosk.domain import Language
from tests.gui.gui_support import FakeController, go_to_name, make_window
from ui.idle import IdleWatcher
from ui.main_window import MainWindow


class EventCounter(QObject):
    """Counts the events of chosen types that reach the objects it is installed on."""

    def __init__(self, *types: QEvent.Type) -> None:
        super().__init__()
        self.types = set(types)
        self.seen: Counter[QEvent.Type] = Counter()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self.types:
            self.seen[event.type()] += 1
        return False


class CountingIdleWatcher(IdleWatcher):
    def __init__(self) -> None:
        super().__init__(3600, 20)
        self.filtered = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        self.filtered += 1
        return super().eventFilter(watched, event)


def _translators() -> int:
    app = QCoreApplication.instance()
    assert app is not None
    return len(app.findChildren(QTranslator))


def test_language_round_trips_reuse_one_translator(window: MainWindow) -> None:
    window.set_language(Language.SPANISH)
    window.set_language(Language.ENGLISH)
    before = _translators()
    for _ in range(5):
        window.set_language(Language.SPANISH)
        window.set_language(Language.ENGLISH)
    assert _translators() == before
    window.set_language(Language.SPANISH)
    assert window.header.back_button.text() == "‹ Atrás"


def test_large_text_is_applied_once(window: MainWindow) -> None:
    styles = EventCounter(QEvent.Type.StyleChange)
    window.installEventFilter(styles)
    window.header.large_text_button.click()
    assert window.theme.large_text
    assert styles.seen[QEvent.Type.StyleChange] == 1
    window.set_large_text(True)  # asked again: nothing to do
    assert styles.seen[QEvent.Type.StyleChange] == 1


def test_wipe_restyles_and_retranslates_only_what_changed(
    qtbot, controller: FakeController  # type: ignore[no-untyped-def]
) -> None:
    window = make_window(qtbot, controller)
    go_to_name(window, qtbot)
    window.screens["register_name"].first_name.setText("Angela")
    seen = EventCounter(QEvent.Type.StyleChange, QEvent.Type.LanguageChange)
    window.installEventFilter(seen)
    window.wipe()
    assert window.current_screen_name() == "attract"
    assert window.screens["register_name"].first_name.text() == ""
    assert seen.seen == Counter()  # English and the normal look were already in force

    window.set_language(Language.SPANISH)
    window.set_large_text(True)
    seen.seen.clear()
    window.wipe()
    assert seen.seen == Counter({QEvent.Type.StyleChange: 1, QEvent.Type.LanguageChange: 1})
    assert window.language() is Language.ENGLISH and not window.theme.large_text
    assert not window.header.large_text_button.isChecked()


def test_idle_watcher_sees_input_and_not_paint(
    qtbot, controller: FakeController  # type: ignore[no-untyped-def]
) -> None:
    window = make_window(qtbot, controller, idle_seconds=0.3, countdown_seconds=5)
    go_to_name(window, qtbot)
    watcher = CountingIdleWatcher()
    handle = window.windowHandle()
    assert handle is not None
    watcher.watch(handle)
    for _ in range(3):  # six restyles of ~400 widgets: thousands of events, none of them input
        window.header.large_text_button.click()
        window.header.large_text_button.click()
    assert watcher.filtered < 50

    # A touch arrives through the window, as from the screen, and restarts the quiet time.
    with qtbot.waitSignal(window.idle.countdown_started, timeout=3000):
        pass
    assert window.countdown.isVisible()
    field = window.screens["register_name"].first_name
    spot = field.mapTo(window, QPoint(5, 5))
    with qtbot.waitSignal(window.idle.countdown_cancelled, timeout=2000):
        QTest.mouseClick(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, spot)
    assert not window.countdown.isVisible()
