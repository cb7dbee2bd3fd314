"""Issue 19, Medium 6 and the fits list: at the kiosk's own 1280x800 screen, in normal
text and with both status banners showing, a form's fields and Next, the signed-in home's
Sign out and the subscriptions list's "Use a new card" are whole on screen without
scrolling. The form's title and what it asks sit above the keyboard or keypad, in the room
that was left empty there, so the fields get the column's whole height; and a column that
wraps text no longer asks for its scrolled content's height (the whole screen then
scrolled, taking the wrong-PIN screen's Next out of view)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from kiosk.domain import Language
from kiosk.tour import error_states, show_sample
from tests.gui.gui_support import tour_window_with_banners
from tests.gui.layout_check import unseen_problems
from ui.main_window import MainWindow


@pytest.fixture
def window(qapp) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    with tour_window_with_banners() as win:
        win.resize(1280, 800)
        yield win


def _unseen(window: MainWindow) -> list[str]:
    screen = window.stack.currentWidget()
    assert screen is not None
    return unseen_problems(window, screen, getattr(screen, "action_button", None))


@pytest.mark.parametrize("language", [Language.ENGLISH, Language.SPANISH], ids=["en", "es"])
@pytest.mark.parametrize("step", ["register_address", "sign_in", "account_home",
                                  "manage_list", "card_entry", "register_contact"])
def test_the_step_and_its_errors_fit_at_1280x800(
    window: MainWindow, language: Language, step: str
) -> None:
    window.set_language(language)
    show_sample(window, step)
    unseen = [f"{step}: {p}" for p in _unseen(window)]
    for state in error_states(window, step):
        unseen += [f"{step} ({state}): {p}" for p in _unseen(window)]
    assert not unseen, "\n".join(unseen)


def test_a_form_beside_its_pad_has_its_heading_above_the_pad(window: MainWindow) -> None:
    show_sample(window, "register_address")
    screen = window.screens["register_address"]
    title, pad = screen.title, screen.pad_stack  # type: ignore[attr-defined]
    fields = screen.fields["line1"]  # type: ignore[attr-defined]
    title_at = title.mapTo(window, title.rect().topLeft())
    pad_at = pad.mapTo(window, pad.rect().topLeft())
    field_at = fields.mapTo(window, fields.rect().topLeft())
    assert title_at.x() >= pad_at.x() > field_at.x()
    assert title_at.y() < pad_at.y()


def test_the_banners_take_one_line_in_large_text_and_say_the_rest_on_a_tap(
    window: MainWindow, qtbot
) -> None:  # type: ignore[no-untyped-def]
    """In large text at 1024x768 both banners' sentences wrapped to three lines, and the
    strip keeps its room shown or not: about 100 px taken from every step's fields. Each
    now says its short words on one line; a tap shows the whole sentence, and Read aloud
    always has it (its accessible name)."""
    window.set_language(Language.SPANISH)
    window.set_large_text(True)
    window.resize(1024, 768)
    show_sample(window, "register_contact")
    banners = window.banners
    offline, payments = banners.offline_banner, banners.payments_banner
    line = offline.fontMetrics().lineSpacing()
    for banner in (offline, payments):
        assert banner.height() < 2 * line + 24, banner.text()
        assert banner.text().endswith("ⓘ")
    assert offline.accessibleName().startswith("Sin conexión: puede crear una cuenta")
    qtbot.mouseClick(offline, Qt.MouseButton.LeftButton)
    assert offline.text() == offline.accessibleName()
    qtbot.mouseClick(offline, Qt.MouseButton.LeftButton)
    assert offline.text().endswith("ⓘ")
    # Where the whole sentence fits on one line, it is said whole.
    window.set_large_text(False)
    window.set_language(Language.ENGLISH)
    window.resize(1280, 800)
    assert payments.text() == "Card payments are unavailable on this kiosk"


@pytest.mark.parametrize("step", ["register_contact", "register_address"])
def test_a_pad_under_the_fields_takes_less_height(window: MainWindow, step: str) -> None:
    """Under the fields (large text at 1024 px), the keypad lays its digits in one row and
    its two commands in another, the keyboard its six command keys in one row, and the
    pads' stack is as tall as the pad shown: four rows of large keys (and the keyboard's
    room kept for the e-mail field) left no field in view on the contact step."""
    window.set_language(Language.SPANISH)
    window.set_large_text(True)
    window.resize(1024, 768)
    show_sample(window, step)
    screen = window.screens[step]
    pad = screen.keypad if step == "register_contact" else screen.keyboard  # type: ignore[attr-defined]
    assert pad.isVisible()
    rows = {key.y() for key in pad.keys.values() if key.isVisible()}
    assert len(rows) == (2 if step == "register_contact" else 4), sorted(rows)
    stack = screen.pad_stack  # type: ignore[attr-defined]
    assert stack.height() <= pad.height() + 8
    # The first field and Next are whole on screen (the rest is in fits_known.txt).
    first = "phone" if step == "register_contact" else "line1"
    unseen = _unseen(window)
    assert not [p for p in unseen if f"#{first} " in p or "primaryButton" in p], unseen
