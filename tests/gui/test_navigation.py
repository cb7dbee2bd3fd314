"""Moving forward and back through the registration, Edit from review, and the outcome."""

from __future__ import annotations

from kiosk.domain import Language, RegistrationOutcome
from tests.gui.gui_support import FakeController, fill_contact, fill_name, go_to_name, go_to_review
from ui.main_window import MainWindow


def test_forward_through_every_step_registers(
    window: MainWindow, controller: FakeController, qtbot
) -> None:
    go_to_review(window, qtbot)
    assert controller.facility_loads == 1
    assert controller.searches == [("fac-1", "Rivera")]
    review = window.screens["review"]
    assert "Angela Rivera" in review.section_values["register_name"].text()
    assert "(512) 555-0142" in review.section_values["register_contact"].text()
    assert "5820" not in "".join(label.text() for label in review.section_values.values())
    review.create_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "done")
    (registration,) = controller.registrations
    assert registration.phone_e164 == "+15125550142"
    assert registration.address.state == "TX"
    assert registration.pin == "5820"
    assert (registration.facility_id, registration.resident_id) == ("fac-1", "res-1")
    assert registration.language is Language.ENGLISH
    assert window.screens["done"].title.text() == "Your account is ready"
    # Typed details, the PIN above all, are gone once the account exists.
    assert window.screens["register_pin"].pin.text() == ""
    window.screens["done"].finish_button.click()
    assert window.current_screen_name() == "attract"


def test_queued_registration_says_it_was_saved(window, controller, qtbot) -> None:  # type: ignore[no-untyped-def]
    controller.outcome = RegistrationOutcome.QUEUED
    go_to_review(window, qtbot)
    window.screens["review"].create_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "done")
    done = window.screens["done"]
    assert done.title.text() == "Saved"
    assert "checked when it reconnects" in done.body.text()


def test_back_keeps_what_was_typed(window: MainWindow, qtbot) -> None:
    go_to_name(window, qtbot)
    fill_name(window)
    assert window.current_screen_name() == "register_contact"
    assert window.header.step_label.text() == "Step 4 of 7"
    window.header.back_button.click()
    assert window.current_screen_name() == "register_name"
    assert window.screens["register_name"].first_name.text() == "Angela"
    for expected in ("resident", "facility", "home", "attract"):
        window.header.back_button.click()
        assert window.current_screen_name() == expected
    assert window.header.back_button.isHidden()


def test_edit_from_review_returns_to_review(window: MainWindow, qtbot) -> None:
    go_to_review(window, qtbot)
    window.screens["review"].edit_buttons["register_contact"].click()
    assert window.current_screen_name() == "register_contact"
    window.screens["register_contact"].email.setText("new@example.com")
    fill_contact_keep_email(window)
    assert window.current_screen_name() == "review"
    assert "new@example.com" in window.screens["review"].section_values["register_contact"].text()


def fill_contact_keep_email(window: MainWindow) -> None:
    window.screens["register_contact"].next_button.click()


def test_enter_moves_to_next_field_then_next_screen(window: MainWindow, qtbot) -> None:
    go_to_name(window, qtbot)
    screen = window.screens["register_name"]
    screen.first_name.setText("Angela")
    screen.last_name.setText("Rivera")
    screen.first_name.returnPressed.emit()
    assert window.current_screen_name() == "register_name"
    screen.last_name.returnPressed.emit()
    assert window.current_screen_name() == "register_contact"


def test_attract_screen_starts_on_touch(window: MainWindow, qtbot) -> None:
    from PySide6.QtCore import Qt

    qtbot.mouseClick(window.screens["attract"], Qt.MouseButton.LeftButton)
    assert window.current_screen_name() == "home"


def test_fill_contact_helper_moves_on(window: MainWindow, qtbot) -> None:
    go_to_name(window, qtbot)
    fill_name(window)
    fill_contact(window)
    assert window.current_screen_name() == "register_address"


def test_a_step_shown_again_starts_at_its_top(window: MainWindow, qtbot) -> None:
    """A family who scrolled a tall step (large text, a small screen) leaves it scrolled;
    the next time that step is shown, to them or to the next family, it starts at its
    title, not half-way down past the field it asks for. Seen as the layout test's cases
    changing with the order pytest-xdist ran them in."""
    window.set_large_text(True)
    window.resize(1024, 600)
    window.show_screen("review")
    qtbot.waitUntil(lambda: window.current_screen_name() == "review")
    review = window.screens["review"]
    bar = window.stack.scroll_of(review).verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    window.show_screen("attract")
    window.show_screen("review")
    assert bar.value() == 0
