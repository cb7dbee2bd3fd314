"""A form whose fields do not fit the window shows them a page at a time (issue 19: the
address's five fields at 1024x768 in large text). Next checks the page's own fields, then
shows the next page; Back goes to the page before; the step completes once, on its last
page, with all its values. Where the fields fit (1280x800, normal text) nothing changes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication

from kiosk.domain import Address, Language, Refusal
from kiosk.validation import Problem
from tests.gui.gui_support import FakeController, fill_contact, fill_name, go_to_name, make_window
from ui.main_window import MainWindow
from ui.messages import message_for
from ui.screens.register_address import RegisterAddressScreen

ADDRESS = "register_address"
TYPED = {"line1": "1401 E 7th St", "line2": "Apt 2", "city": "Austin", "state": "tx",
         "postal_code": "78702"}


def settle() -> None:
    for _ in range(5):
        QCoreApplication.processEvents()


def small_large_spanish(window: MainWindow) -> None:
    window.set_language(Language.SPANISH)
    window.set_large_text(True)
    window.resize(1024, 768)
    settle()


def to_address(window: MainWindow, qtbot) -> RegisterAddressScreen:  # type: ignore[no-untyped-def]
    go_to_name(window, qtbot)
    fill_name(window)
    fill_contact(window)
    assert window.current_screen_name() == ADDRESS
    screen = window.screens[ADDRESS]
    assert isinstance(screen, RegisterAddressScreen)
    settle()
    return screen


def shown(screen: RegisterAddressScreen) -> list[str]:
    return [name for name, field in screen.fields.items() if field.isVisible()]


def fill_page(screen: RegisterAddressScreen) -> None:
    for name in shown(screen):
        screen.line_edit(name).setText(TYPED[name])


def next_page(screen: RegisterAddressScreen) -> None:
    """The page's fields typed, then Next: the next page (or, on the last, the next step)."""
    fill_page(screen)
    screen.next_button.click()
    settle()


def on_second_page(paged: tuple[MainWindow, RegisterAddressScreen]
                   ) -> tuple[MainWindow, RegisterAddressScreen]:
    """The paged address with its first page typed and Next pressed."""
    window, screen = paged
    next_page(screen)
    assert screen.page == 1
    return window, screen


@pytest.fixture
def paged(qtbot, controller: FakeController) -> tuple[MainWindow, RegisterAddressScreen]:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, controller)
    small_large_spanish(window)
    return window, to_address(window, qtbot)


def test_the_address_comes_a_page_at_a_time_in_large_spanish_at_1024x768(
    paged: tuple[MainWindow, RegisterAddressScreen],
) -> None:
    window, screen = paged
    count = screen.page_count
    assert count >= 2
    assert screen.page == 0
    assert screen.page_label.isVisible()
    assert screen.page_label.text() == f"1 de {count}"
    first = shown(screen)
    assert first and first[0] == "line1"
    assert len(first) < len(TYPED)
    # Each page's inputs and Next are on screen without scrolling.
    pages = [first]
    while screen.page + 1 < screen.page_count:
        next_page(screen)
        assert window.current_screen_name() == ADDRESS
        assert screen.page_label.text() == f"{screen.page + 1} de {count}"
        pages.append(shown(screen))
    # Every field is on exactly one page, in the form's order.
    assert [name for page in pages for name in page] == list(TYPED)


def test_an_error_on_the_first_page_keeps_the_family_there_in_spanish(
    paged: tuple[MainWindow, RegisterAddressScreen],
) -> None:
    window, screen = paged
    screen.next_button.click()
    settle()
    assert window.current_screen_name() == ADDRESS
    assert screen.page == 0
    assert screen.error_text("line1") == message_for(Problem.REQUIRED.value, "line1")
    assert screen.fields["line1"].error_label.isVisible()
    assert screen.line1.hasFocus()
    # Only the page's own fields were checked: a later page shows no error yet.
    later = [name for name in TYPED if name not in shown(screen)]
    assert all(screen.error_text(name) == "" for name in later)
    # Typing clears the error; Next shows the next page.
    fill_page(screen)
    assert screen.error_text("line1") == ""
    screen.next_button.click()
    settle()
    assert screen.page == 1
    assert "line1" not in shown(screen)


def test_back_shows_the_page_before_with_what_was_typed_then_leaves_the_step(
    paged: tuple[MainWindow, RegisterAddressScreen],
) -> None:
    window, screen = on_second_page(paged)
    fill_page(screen)
    window.go_back()  # the header's Back (and Escape)
    settle()
    assert window.current_screen_name() == ADDRESS
    assert screen.page == 0
    assert screen.line1.text() == TYPED["line1"]
    assert screen.fields["line1"].isVisible()
    window.go_back()
    assert window.current_screen_name() == "register_contact"


def test_next_on_the_last_page_completes_the_step_once_with_all_five_values(
    paged: tuple[MainWindow, RegisterAddressScreen],
) -> None:
    window, screen = paged
    completions: list[bool] = []
    screen.completed.connect(lambda: completions.append(True))
    for _ in range(screen.page_count):
        next_page(screen)
    assert completions == [True]
    assert window.current_screen_name() == "register_pin"
    assert window.router.flow.data["address"] == Address(
        line1="1401 E 7th St", line2="Apt 2", city="Austin", state="TX", postal_code="78702")


def test_enter_on_a_page_s_last_field_means_next_for_that_page(
    paged: tuple[MainWindow, RegisterAddressScreen],
) -> None:
    window, screen = paged
    fill_page(screen)
    last = shown(screen)[-1]
    screen.line_edit(last).setFocus()
    screen.line_edit(last).returnPressed.emit()
    settle()
    assert window.current_screen_name() == ADDRESS
    assert screen.page == 1


def test_a_refusal_about_a_field_on_another_page_shows_that_page(
    paged: tuple[MainWindow, RegisterAddressScreen],
) -> None:
    _window, screen = paged
    assert "postal_code" not in shown(screen)
    screen.show_refusal(Refusal("postal_code_invalid", "postal_code"))
    settle()
    assert "postal_code" in shown(screen)
    assert screen.error_text("postal_code") == message_for("postal_code_invalid", "postal_code")


def test_the_idle_wipe_goes_back_to_the_first_page(
    paged: tuple[MainWindow, RegisterAddressScreen],
) -> None:
    window, screen = on_second_page(paged)
    window.idle.timed_out.emit()
    settle()
    assert window.current_screen_name() == "attract"
    assert screen.page == 0
    assert screen.line1.text() == ""


def test_switching_size_and_text_re_pages_keeping_what_was_typed(
    paged: tuple[MainWindow, RegisterAddressScreen],
) -> None:
    window, screen = on_second_page(paged)
    fill_page(screen)
    on_page = shown(screen)
    # The kiosk's own screen in normal text: every field on one page, nothing lost.
    window.set_large_text(False)
    window.resize(1280, 800)
    settle()
    assert screen.page_count == 1
    assert not screen.page_label.isVisible()
    assert set(shown(screen)) == set(TYPED)
    typed = {name: screen.line_edit(name).text() for name in TYPED}
    assert typed["line1"] == TYPED["line1"]
    assert all(typed[name] == TYPED[name] for name in on_page)
    # Back to large text at 1024x768: paged again, the page with the field in use shown.
    screen.line_edit(on_page[0]).setFocus()
    window.set_large_text(True)
    window.resize(1024, 768)
    settle()
    assert screen.page_count >= 2
    assert on_page[0] in shown(screen)
    window.set_language(Language.ENGLISH)
    settle()
    assert screen.page_label.text() == f"{screen.page + 1} of {screen.page_count}"


def test_where_everything_fits_the_form_is_one_page(
    qtbot, controller: FakeController  # type: ignore[no-untyped-def]
) -> None:
    window = make_window(qtbot, controller)  # 1280x800, normal text
    screen = to_address(window, qtbot)
    assert screen.page_count == 1
    assert not screen.page_label.isVisible()
    assert set(shown(screen)) == set(TYPED)
    assert window.screens["register_name"].page_count == 1


def test_the_page_is_said_whole_to_a_screen_reader(
    paged: tuple[MainWindow, RegisterAddressScreen],
) -> None:
    _window, screen = paged
    assert screen.page_label.accessibleName() == f"Parte 1 de {screen.page_count}"
