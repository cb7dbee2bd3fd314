"""Issue 19's staff reason cases: under a long refusal, in large text or at 1024x768, the
reason's field had no room left (the refusal wrapped to three lines or more, over the
button, with the keyboard under it). Where the room is short the refusal now says its
first words on one line, in the button's row, and "More ⓘ" shows the whole text on a
tap; at 1024 px the reason has the window's width over the keyboard, not 270 px beside
it. Where there is room (normal text at 1280x800) the refusal is whole, as before."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, Qt

from kiosk.domain import Language, Refusal
from kiosk.tour import show_sample
from tests.gui.gui_support import tour_window_with_banners
from tests.gui.layout_check import layout_problems, unseen_problems
from ui.main_window import MainWindow
from ui.messages import message_for
from ui.widgets.banners import MORE

REASONS = ["staff_conflict_resolve", "staff_cash_doubt_settle", "staff_outbox_discard"]


@pytest.fixture
def window(qapp) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    with tour_window_with_banners() as win:
        yield win


def _settle() -> None:
    for _ in range(5):
        QCoreApplication.processEvents()


def _refused(window: MainWindow, step: str, language: Language, large: bool,
             size: tuple[int, int]) -> object:
    window.set_language(language)
    window.set_large_text(large)
    window.resize(*size)
    show_sample(window, step)
    screen = window.screens[step]
    screen.show_refusal(Refusal("offline"))
    _settle()
    return screen


@pytest.mark.parametrize("step", REASONS)
def test_a_long_refusal_on_a_short_screen_is_one_line_and_the_reason_fits(
    qtbot, window: MainWindow, step: str  # type: ignore[no-untyped-def]
) -> None:
    screen = _refused(window, step, Language.SPANISH, True, (1024, 768))
    notice = screen.notice  # type: ignore[attr-defined]
    whole = message_for("offline")
    assert notice.one_line()
    assert notice.text().endswith(f"Más {MORE}")
    assert notice.text() != whole
    # Read aloud and the screen's own account of it say the whole refusal.
    assert notice.accessibleName() == whole
    assert screen.notice_text() == whole  # type: ignore[attr-defined]
    # The reason, the button and the keyboard are whole in the window; nothing is cut.
    action = screen.action_button  # type: ignore[attr-defined]
    assert not unseen_problems(window, screen, action)  # type: ignore[arg-type]
    assert not layout_problems(window, skip=(window.countdown,))
    # The reason has the window's width, over the keyboard.
    reason = screen.line_edit("staff_reason")  # type: ignore[attr-defined]
    assert reason.width() > window.width() * 0.8
    keyboard = screen.keyboard  # type: ignore[attr-defined]
    assert reason.mapTo(window, reason.rect().bottomLeft()).y() < keyboard.mapTo(
        window, keyboard.rect().topLeft()).y()


def test_a_tap_shows_the_whole_refusal_and_another_folds_it(
    qtbot, window: MainWindow  # type: ignore[no-untyped-def]
) -> None:
    screen = _refused(window, "staff_conflict_resolve", Language.ENGLISH, True, (1024, 768))
    notice = screen.notice  # type: ignore[attr-defined]
    whole = message_for("offline")
    assert notice.one_line()
    short = notice.text()
    assert short.endswith(f"More {MORE}")
    qtbot.mouseClick(notice, Qt.MouseButton.LeftButton)
    _settle()
    assert notice.text() == whole
    assert notice.wordWrap()
    # Opened, it stays open while the screen lays itself out again.
    assert not notice.one_line()
    qtbot.mouseClick(notice, Qt.MouseButton.LeftButton)
    _settle()
    assert notice.one_line()
    assert notice.text() == short
    # A new refusal starts folded.
    qtbot.mouseClick(notice, Qt.MouseButton.LeftButton)
    screen.show_refusal(Refusal("offline"))  # type: ignore[attr-defined]
    _settle()
    assert notice.one_line()


@pytest.mark.parametrize("step", REASONS)
def test_where_there_is_room_the_refusal_is_whole(window: MainWindow, step: str) -> None:
    screen = _refused(window, step, Language.ENGLISH, False, (1280, 800))
    notice = screen.notice  # type: ignore[attr-defined]
    assert not notice.one_line()
    assert notice.text() == message_for("offline")
    assert notice.wordWrap()
    # On a line of its own, over the button.
    button = screen.action_button  # type: ignore[attr-defined]
    assert notice.mapTo(window, notice.rect().bottomLeft()).y() < button.mapTo(
        window, button.rect().topLeft()).y()
    assert not unseen_problems(window, screen, button)  # type: ignore[arg-type]


def test_the_choice_holds_over_layout_passes(window: MainWindow) -> None:
    """Decided with the refusal measured whole, never with how it shows: one line must
    not make it fit, then be whole again, then one line (it would flicker)."""
    screen = _refused(window, "staff_cash_doubt_settle", Language.SPANISH, True, (1024, 768))
    notice = screen.notice  # type: ignore[attr-defined]
    seen = set()
    for _ in range(4):
        screen._fit()  # type: ignore[attr-defined]
        _settle()
        seen.add((notice.one_line(), notice.text()))
    assert len(seen) == 1 and notice.one_line()
