"""Issue 19, High 2: no English on a Spanish screen. Every step of every journey and each
of its error states (the tour's own rendering: kiosk.tour.show_sample / error_states, with
the server's answers as it gives them in Spanish) is walked widget by widget, and any text
with an English word in it fails (tests/gui/english_check.py; proper names, amounts and
numbers pass). The pictures are rendered from the same states (make tour)."""

from __future__ import annotations

from kiosk.domain import Language
from kiosk.flows.catalog import step_names
from kiosk.tour import default_window_factory, error_states, show_sample
from tests.gui.english_check import english_problems, english_words


def test_the_checker_finds_english() -> None:
    assert english_words("Call Subscription - 100 calls") == ["Call", "Subscription", "calls"]
    assert english_words("Suscripción de llamadas: 100 llamadas · $45.00") == []
    assert english_words("Harbor County Jail · (512) 555-0142 · Visa •••• 4242") == []


def test_no_spanish_screen_shows_english(qapp) -> None:  # type: ignore[no-untyped-def]
    window = default_window_factory()
    window.resize(1280, 800)
    window.show()
    window.set_language(Language.SPANISH)
    problems: list[str] = []
    try:
        for name in step_names():
            show_sample(window, name)
            problems += [f"{name}: {p}" for p in english_problems(window)]
            for state in error_states(window, name):
                problems += [f"{name} ({state}): {p}" for p in english_problems(window)]
        window.show_screen("register_name")
        window.idle.countdown_started.emit(20)
        problems += [f"idle: {p}" for p in english_problems(window)]
    finally:
        window.set_language(Language.ENGLISH)
        window.close()
        window.deleteLater()
    assert not problems, f"{len(problems)} English texts:\n" + "\n".join(sorted(set(problems)))
