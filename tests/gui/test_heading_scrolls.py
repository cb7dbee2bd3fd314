"""Issue 19, the last of it: where a step's title, what it asks and a staff step's summary
leave no room for its field over Next and the keyboard (large text at 1024x768, with both
banners), the heading scrolls on its own above the fields, and the field, the button and
the keyboard stay whole without scrolling. Read-only text may scroll; inputs and the
action may not (``tests/gui/layout_check.unseen_problems``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QWidget

from kiosk.domain import Language
from kiosk.tour import default_window_factory, error_states, pages, show_sample
from tests.gui.gui_support import tour_window_with_banners
from tests.gui.layout_check import unseen_problems
from tests.gui.test_layout import settle
from ui.main_window import MainWindow


@pytest.fixture
def window(qapp) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    with tour_window_with_banners() as win:
        win.set_language(Language.SPANISH)
        win.set_large_text(True)
        win.resize(1024, 768)
        yield win


def _in_window(window: MainWindow, widget: QWidget) -> bool:
    """Whether ``widget`` is whole inside the window and inside every ancestor (a
    scroll area's viewport included: no scrolling)."""
    rect = QRect(widget.rect())
    current = widget
    while current is not window:
        parent = current.parentWidget()
        assert parent is not None
        rect = rect.translated(current.pos())
        if not parent.rect().contains(rect):
            return False
        current = parent
    return True


@pytest.mark.parametrize("step", ["staff_conflict_resolve", "staff_outbox_discard",
                                  "staff_cash_doubt_settle"])
def test_a_staff_reason_under_a_long_summary_stays_whole_and_the_summary_scrolls(
    window: MainWindow, step: str
) -> None:
    show_sample(window, step)
    settle()
    screen = window.screens[step]
    reason = screen.reason  # type: ignore[attr-defined]
    about = screen.about  # type: ignore[attr-defined]
    assert about.isVisible() and about.text()
    assert _in_window(window, reason)
    assert _in_window(window, screen.action_button)  # type: ignore[arg-type]
    keyboard = screen.keyboard  # type: ignore[attr-defined]
    assert all(_in_window(window, key) for key in keyboard.keys.values() if key.isVisible())
    # The summary is in the heading's own scroll area, over the reason: it scrolls there.
    heading = screen.heading_scroll  # type: ignore[attr-defined]
    assert heading.isVisible() and heading.isAncestorOf(about)
    assert heading.verticalScrollBar().maximum() > 0
    assert not unseen_problems(window, screen, screen.action_button)


def test_the_name_step_shows_its_field_whole_under_a_scrolling_heading(
    window: MainWindow,
) -> None:
    """The name's field no page could hold: 18 px left under the keyboard, Next and a
    title with a two-line subtitle, for a field that needs 130."""
    show_sample(window, "register_name")
    settle()
    screen = window.screens["register_name"]
    for page in range(screen.page_count):  # type: ignore[attr-defined]
        screen.show_page(page)  # type: ignore[attr-defined]
        settle()
        shown = [f for f in screen.fields.values() if f.isVisible()]  # type: ignore[attr-defined]
        assert shown
        for field in shown:
            assert _in_window(window, field.line_edit)
        assert _in_window(window, screen.next_button)  # type: ignore[attr-defined]
        assert screen.heading_scroll.isAncestorOf(screen.title)  # type: ignore[attr-defined]
        assert not unseen_problems(window, screen, screen.action_button)


def test_where_everything_fits_the_heading_stays_over_the_fields(qapp) -> None:  # type: ignore[no-untyped-def]
    """Normal text at 1280x800: no scroll area of its own for the heading."""
    win = default_window_factory()
    win.show()
    win.resize(1280, 800)
    try:
        for step in ("register_name", "staff_conflict_resolve"):
            show_sample(win, step)
            settle()
            screen = win.screens[step]
            assert not screen.heading_scroll.isVisible()  # type: ignore[attr-defined]
            assert not screen.heading_scroll.isAncestorOf(screen.title)  # type: ignore[attr-defined]
    finally:
        win.close()
        win.deleteLater()


@pytest.mark.parametrize("step", ["transactions", "advisor_result"])
def test_a_long_list_scrolls_and_its_button_stays_under_it(
    window: MainWindow, step: str
) -> None:
    """The payments list and the advisor's chart scrolled with their "Back to my account"
    below them: the button now stands in the screen's footer, under the scroll area."""
    show_sample(window, step)
    settle()
    screen = window.screens[step]
    button = screen.action_button
    assert button is not None
    scroll = window.stack.scroll_of(screen)
    assert scroll is not None and not scroll.isAncestorOf(button)
    assert _in_window(window, button)
    assert not unseen_problems(window, screen, button)


def test_the_deposit_amounts_share_one_row_over_the_field_when_the_keypad_is_under(
    window: MainWindow,
) -> None:
    show_sample(window, "deposit_amount")
    settle()
    screen = window.screens["deposit_amount"]
    presets = list(screen.preset_buttons.values())  # type: ignore[attr-defined]
    assert len({button.y() for button in presets}) == 1
    assert _in_window(window, screen.line_edit("deposit_other"))  # type: ignore[attr-defined]
    assert not unseen_problems(window, screen, screen.action_button)
    # Beside the keypad (normal text at 1280x800) they stay two a row.
    window.set_large_text(False)
    window.resize(1280, 800)
    settle()
    assert len({button.y() for button in presets}) == 2


def test_the_tour_shows_every_page_of_a_paged_step(window: MainWindow) -> None:
    """The tour drew only a paged step's first page; each page is a picture of its own
    now (``register_address-p2-es-large-1024x768.png``)."""
    show_sample(window, "register_address")
    settle()
    screen = window.screens["register_address"]
    count = screen.page_count  # type: ignore[attr-defined]
    assert count >= 2
    seen: list[list[str]] = []
    names = []
    for page in pages(window, "register_address"):
        names.append(page)
        seen.append([n for n, f in screen.fields.items() if f.isVisible()])  # type: ignore[attr-defined]
    assert names == [""] + [f"-p{n}" for n in range(2, count + 1)]
    assert [name for page in seen for name in page] == list(screen.fields)  # type: ignore[attr-defined]
    assert screen.page == 0  # type: ignore[attr-defined]


def test_the_resident_search_shows_the_keyboard_to_type_and_the_matches_once_found(
    qapp, qtbot  # type: ignore[no-untyped-def]
) -> None:
    """At 1024x768 the search's column and the keyboard under it needed 840 px of 631:
    the keyboard's lower rows were under the fold. Under the column there is room for
    the keyboard or the matches: the matches once a search found some, the keyboard again
    when the field is touched. Beside the column (1280x800) both show, as before."""
    from PySide6.QtCore import Qt

    win = default_window_factory()
    win.show()
    win.banners.set_online(False)
    win.banners.set_payments_available(False)
    win.resize(1024, 768)
    try:
        show_sample(win, "resident")
        settle()
        screen: Any = win.screens["resident"]
        assert screen.matches and screen.results.isVisible()
        assert not screen.keyboard.isVisible()
        assert _in_window(win, screen.query) and _in_window(win, screen.search_button)
        assert not unseen_problems(win, screen, screen.action_button)
        qtbot.mouseClick(screen.query, Qt.MouseButton.LeftButton)
        settle()
        assert screen.keyboard.isVisible() and not screen.results.isVisible()
        assert _in_window(win, screen.keyboard) and _in_window(win, screen.query)
        assert not unseen_problems(win, screen, screen.action_button)
        screen.set_matches(list(screen.matches))  # the search answered
        settle()
        assert screen.results.isVisible() and not screen.keyboard.isVisible()
        win.resize(1280, 800)
        settle()
        assert screen.results.isVisible() and screen.keyboard.isVisible()
        assert not unseen_problems(win, screen, screen.action_button)
        # Large Spanish at 1280x800: beside the keyboard the column's title took four
        # lines and the screen scrolled; the keyboard goes under the column instead, and
        # while the family types the question scrolls over the field (it left the
        # keyboard's last row under the fold).
        win.set_language(Language.SPANISH)
        win.set_large_text(True)
        settle()
        show_sample(win, "resident")
        settle()
        assert screen.results.isVisible() and not screen.keyboard.isVisible()
        assert not unseen_problems(win, screen, screen.action_button)
        query_at = screen.query.mapTo(win, screen.query.rect().topLeft())
        qtbot.mouseClick(screen.query, Qt.MouseButton.LeftButton)
        settle()
        keyboard_at = screen.keyboard.mapTo(win, screen.keyboard.rect().topLeft())
        assert keyboard_at.y() > query_at.y()
        assert screen.heading_scroll.isAncestorOf(screen.title)
        assert not unseen_problems(win, screen, screen.action_button)
        win.resize(1024, 768)  # and there, in large text, while typing
        settle()
        assert screen.keyboard.isVisible()
        assert not unseen_problems(win, screen, screen.action_button)
    finally:
        win.close()
        win.deleteLater()


def test_a_wrong_pin_says_the_tries_left_over_the_pin_which_stays_whole(
    window: MainWindow,
) -> None:
    """Sign-in's PIN under "3 more wrong tries…" (five lines in large Spanish beside the
    keypad) was under the fold: the tries left, read-only, now scroll with the heading
    over the fields; the PIN, its error, Next and the keypad stay whole."""
    show_sample(window, "sign_in")
    settle()
    screen: Any = window.screens["sign_in"]
    for state in error_states(window, "sign_in"):
        if state == "error":
            break
    settle()
    assert screen.aside.isVisible() and screen.heading_scroll.isAncestorOf(screen.aside)
    assert _in_window(window, screen.line_edit("current_pin"))
    assert _in_window(window, screen.next_button) and _in_window(window, screen.keypad)
    assert not unseen_problems(window, screen, screen.action_button)


def test_a_staff_list_keeps_its_buttons_under_a_refusal(window: MainWindow) -> None:
    """The outbox's "Retry now" was under the fold under a three-line refusal in large
    Spanish at 1024x768: the staff lists' buttons and notice are the screen's footer now."""
    show_sample(window, "staff_outbox")
    settle()
    screen: Any = window.screens["staff_outbox"]
    for state in error_states(window, "staff_outbox"):
        if state == "error":
            break
    settle()
    assert screen.notice.isVisible()
    scroll = window.stack.scroll_of(screen)
    assert scroll is not None and not scroll.isAncestorOf(screen.retry_button)
    assert _in_window(window, screen.retry_button) and _in_window(window, screen.notice)
    assert not unseen_problems(window, screen, screen.action_button)
