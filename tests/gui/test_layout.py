"""Every step of every journey, in English and Spanish, at normal and large text and at
the kiosk screen sizes we ship to: no label, button or error line may be elided, clipped
or overlap another widget (issue 10). One window is shared and its screens reused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kiosk.domain import Language
from kiosk.flows.catalog import step_names
from kiosk.tour import default_window_factory, error_states, show_sample
from tests.gui.layout_check import layout_problems
from ui.main_window import MainWindow
from ui.widgets.common import TOUCH_MIN
from ui.widgets.keyboard import OnScreenKeyboard
from ui.widgets.keypad import NumericKeypad

SIZES = ((1920, 1080), (1280, 1024), (1280, 800), (1024, 768))


@pytest.fixture(scope="module")
def tour_window(qapp) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    window = default_window_factory()
    window.show()
    # Both banners on: the tallest header a family can meet.
    window.banners.set_online(False)
    window.banners.set_payments_available(False)
    yield window
    window.close()
    window.deleteLater()


def _problems(window: MainWindow, where: str) -> list[str]:
    return [f"{where}: {p}" for p in layout_problems(window, skip=(window.countdown,))]


def _small_keys(window: MainWindow, where: str) -> list[str]:
    """Keys of the shown keyboards and keypads smaller than a finger (both layers)."""
    small: list[str] = []
    for pad_type in (OnScreenKeyboard, NumericKeypad):
        for pad in window.findChildren(pad_type):
            if not pad.isVisible():
                continue
            for name, key in pad.keys.items():
                size = key.size() if key.isVisible() else key.minimumSize()
                if size.width() < TOUCH_MIN or size.height() < TOUCH_MIN:
                    small.append(f"{where}: key {name!r} is {size.width()}x{size.height()}")
    return small


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("large_text", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("language", [Language.ENGLISH, Language.SPANISH], ids=["en", "es"])
def test_every_step_fits(
    tour_window: MainWindow, language: Language, large_text: bool, size: tuple[int, int]
) -> None:
    window = tour_window
    window.set_high_contrast(False)
    window.set_language(language)
    window.set_large_text(large_text)
    window.resize(*size)
    problems = _every_step_problems(window)
    assert not problems, _report(problems)


# High contrast changes borders and weights, not sizes: it is checked where room is
# tightest (large text at the two smallest screens) in both languages, not at every size.
@pytest.mark.parametrize("size", SIZES[2:], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("language", [Language.ENGLISH, Language.SPANISH], ids=["en", "es"])
def test_every_step_fits_in_high_contrast(
    tour_window: MainWindow, language: Language, size: tuple[int, int]
) -> None:
    window = tour_window
    window.set_language(language)
    window.set_large_text(True)
    window.set_high_contrast(True)
    window.resize(*size)
    try:
        problems = _every_step_problems(window)
    finally:
        window.set_high_contrast(False)
    assert not problems, _report(problems)


def _report(problems: list[str]) -> str:
    return f"{len(problems)} layout problems:\n" + "\n".join(problems[:60])


def _every_step_problems(window: MainWindow) -> list[str]:
    problems: list[str] = []
    for name in step_names():
        show_sample(window, name)
        problems += _problems(window, name)
        problems += _small_keys(window, name)
        for state in error_states(window, name):
            problems += _problems(window, f"{name} ({state})")
    return problems
