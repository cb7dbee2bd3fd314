"""Read aloud: each screen's title, the focused control and every error are spoken in
the screen's language, through Qt's mock speech engine (what it says is collected word
by word from its sayingWord signal)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from kiosk.domain import Language
from tests.gui.gui_support import FakeController, go_to_name
from ui.main_window import MainWindow
from ui.speech import QtSpeaker, preferred_engine


class Heard:
    """The words the mock engine said, one string per utterance."""

    def __init__(self, speaker: QtSpeaker) -> None:
        engine: Any = speaker.engine
        assert engine is not None, "Qt's mock speech engine is missing"
        self.engine = engine
        self.utterances: dict[int, list[str]] = {}
        engine.sayingWord.connect(self._word)

    def _word(self, word: str, utterance: int, _start: int, _length: int) -> None:
        self.utterances.setdefault(utterance, []).append(word)

    def text(self) -> str:
        return " | ".join(" ".join(words) for _, words in sorted(self.utterances.items()))

    def clear(self) -> None:
        self.utterances.clear()


@pytest.fixture
def speaking_window(qtbot, controller: FakeController) -> tuple[MainWindow, Heard]:  # type: ignore[no-untyped-def]
    speaker = QtSpeaker("mock")
    if not speaker.available():
        pytest.skip("QtTextToSpeech (PySide6-Addons) cannot load here")
    window = MainWindow(controller, idle_seconds=3600, speaker=speaker)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window, Heard(speaker)


def _words(text: str) -> str:
    # The mock engine splits words at anything but ASCII letters and digits ("Cómo" is
    # said as "C", "mo"): compare the same way.
    return " " + " ".join(re.sub(r"[^A-Za-z0-9]+", " ", text).split()) + " "


def _wait_said(qtbot, heard: Heard, *phrases: str) -> None:  # type: ignore[no-untyped-def]
    def said() -> bool:
        return all(_words(p) in _words(heard.text()) for p in phrases)

    try:
        qtbot.waitUntil(said, timeout=8000)
    except Exception as error:  # pytest-qt: TimeoutError
        raise AssertionError(f"heard {heard.text()!r}, not all of {phrases}") from error


def test_read_aloud_speaks_title_focus_and_errors_in_spanish(  # type: ignore[no-untyped-def]
    qtbot, speaking_window: tuple[MainWindow, Heard]
) -> None:
    window, heard = speaking_window
    assert window.header.read_aloud_button.isEnabled()
    go_to_name(window, qtbot)
    assert heard.text() == ""  # off by default: nothing is said
    window.set_language(Language.SPANISH)
    window.header.read_aloud_button.click()
    assert window.read_aloud.enabled
    _wait_said(qtbot, heard, "¿Cómo se llama?", "Nombre")
    heard.clear()
    window.screens["register_name"].submit()  # both names empty
    _wait_said(qtbot, heard, "Escriba su nombre.", "Escriba su apellido.")


def test_read_aloud_off_and_after_a_wipe_says_nothing(  # type: ignore[no-untyped-def]
    qtbot, speaking_window: tuple[MainWindow, Heard]
) -> None:
    window, heard = speaking_window
    window.set_read_aloud(True)
    _wait_said(qtbot, heard, "Stay connected")
    window.wipe()
    assert not window.read_aloud.enabled
    assert not window.header.read_aloud_button.isChecked()


def test_without_an_engine_the_toggle_is_disabled(qtbot, controller: FakeController) -> None:  # type: ignore[no-untyped-def]
    class NoSpeech:
        def available(self) -> bool:
            return False

        def start(self) -> bool:
            return False

        def speak(self, text: str, language: Language, *, interrupt: bool = False) -> None:
            raise AssertionError("nothing may be spoken")

        def stop(self) -> None:
            pass

    window = MainWindow(controller, idle_seconds=3600, speaker=NoSpeech())
    qtbot.addWidget(window)
    assert not window.header.read_aloud_button.isEnabled()
    window.set_read_aloud(True)
    assert not window.read_aloud.enabled
    assert not window.header.read_aloud_button.isChecked()


def test_a_kiosk_without_an_engine_disables_the_toggle_when_first_turned_on(  # type: ignore[no-untyped-def]
    qtbot, controller: FakeController
) -> None:
    speaker = QtSpeaker("no-such-engine")
    window = MainWindow(controller, idle_seconds=3600, speaker=speaker)
    qtbot.addWidget(window)
    assert window.header.read_aloud_button.isEnabled()  # nothing loaded at start-up
    window.header.read_aloud_button.click()
    assert not window.read_aloud.enabled
    assert not window.header.read_aloud_button.isChecked()
    assert not window.header.read_aloud_button.isEnabled()


def test_speech_dispatcher_is_preferred_on_linux_and_mock_is_never_chosen() -> None:
    assert preferred_engine(["mock", "flite", "speechd"], "linux") == "speechd"
    assert preferred_engine(["mock", "flite"], "linux") == "flite"
    assert preferred_engine(["mock"], "linux") is None
    assert preferred_engine(["winrt", "sapi"], "win32") == "winrt"
