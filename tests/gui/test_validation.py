"""Each kind of bad input shows its own message next to the field, and stops the step."""

from __future__ import annotations

import pytest

from kiosk.domain import Refusal
from kiosk.validation import Problem
from tests.gui.gui_support import (
    FakeController,
    fill_address,
    fill_contact,
    fill_name,
    go_to_name,
    go_to_review,
)
from ui.main_window import MainWindow
from ui.messages import message_for

NAME = "register_name"
CONTACT = "register_contact"
ADDRESS = "register_address"
PIN = "register_pin"

GOOD = {
    NAME: {"first_name": "Angela", "last_name": "Rivera"},
    CONTACT: {"phone": "5125550142", "email": "angela@example.com"},
    ADDRESS: {"line1": "1 Main St", "city": "Austin", "state": "TX", "postal_code": "78702"},
    PIN: {"pin": "5820", "pin_confirm": "5820"},
}

CASES = [
    (NAME, "first_name", "", Problem.REQUIRED),
    (NAME, "last_name", "x" * 61, Problem.NAME_TOO_LONG),
    (NAME, "last_name", "2145550123luis@example.com", Problem.NAME_INVALID),
    (CONTACT, "phone", "12", Problem.PHONE_INVALID),
    (CONTACT, "phone", "", Problem.REQUIRED),
    (CONTACT, "email", "angela@", Problem.EMAIL_INVALID),
    (ADDRESS, "line1", "   ", Problem.REQUIRED),
    (ADDRESS, "state", "ZZ", Problem.STATE_INVALID),
    (ADDRESS, "postal_code", "787", Problem.POSTAL_CODE_INVALID),
    (PIN, "pin", "58a0", Problem.PIN_NOT_DIGITS),
    (PIN, "pin", "58", Problem.PIN_LENGTH),
    (PIN, "pin", "1234", Problem.PIN_TOO_SIMPLE),
    (PIN, "pin_confirm", "5821", Problem.PIN_MISMATCH),
    (PIN, "pin_confirm", "", Problem.REQUIRED),
]


def go_to(window: MainWindow, qtbot, name: str) -> None:  # type: ignore[no-untyped-def]
    go_to_name(window, qtbot)
    for step, fill in ((NAME, fill_name), (CONTACT, fill_contact), (ADDRESS, fill_address)):
        if step == name:
            return
        fill(window)


@pytest.mark.parametrize(("screen_name", "field", "value", "problem"), CASES)
def test_bad_input_shows_specific_message(
    window: MainWindow, qtbot, screen_name: str, field: str, value: str, problem: Problem
) -> None:
    go_to(window, qtbot, screen_name)
    screen = window.screens[screen_name]
    for name, good in GOOD[screen_name].items():
        getattr(screen, name).setText(good)
    getattr(screen, field).setText(value)
    screen.next_button.click()
    assert window.current_screen_name() == screen_name
    expected = message_for(problem.value, field)
    assert screen.error_text(field) == expected
    assert getattr(screen, field).accessibleDescription() == expected
    assert screen.fields[field].error_label.isVisible()
    # Fixing it clears the message and moves on.
    getattr(screen, field).setText(GOOD[screen_name][field])
    screen.next_button.click()
    assert screen.error_text(field) == ""
    assert window.current_screen_name() != screen_name


def test_phone_message_text_is_plain(window: MainWindow, qtbot) -> None:
    go_to(window, qtbot, CONTACT)
    screen = window.screens[CONTACT]
    screen.phone.setText("12")
    screen.email.setText("angela@example.com")
    screen.next_button.click()
    assert screen.error_text("phone").startswith("That phone number doesn't look right")


def test_phone_registered_failure_shows_message_at_phone(
    window: MainWindow, controller: FakeController, qtbot
) -> None:
    go_to_review(window, qtbot)
    controller.register_failure = ("phone_registered", "phone")
    window.screens["review"].create_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == CONTACT)
    screen = window.screens[CONTACT]
    assert screen.error_text("phone") == (
        "This phone number already has an account. Sign in instead, or ask staff for help."
    )
    # After changing the number, Next goes straight back to review.
    screen.phone.setText("5125550199")
    screen.next_button.click()
    assert window.current_screen_name() == "review"


def test_failure_without_field_shows_notice(window: MainWindow, controller, qtbot) -> None:  # type: ignore[no-untyped-def]
    go_to_review(window, qtbot)
    controller.register_failure = ("offline", "")
    window.screens["review"].create_button.click()
    review = window.screens["review"]
    qtbot.waitUntil(lambda: review.notice_text() != "")
    assert window.current_screen_name() == "review"
    assert review.notice_text() == message_for("offline")
    assert review.create_button.isEnabled()


def test_facility_load_failure_offers_retry(window: MainWindow, controller, qtbot) -> None:  # type: ignore[no-untyped-def]
    controller.request = lambda request: controller.refuse(request, Refusal("timeout"))  # type: ignore[method-assign]
    window.show_screen("facility")
    facility = window.screens["facility"]
    assert facility.notice_text() == message_for("timeout")
    assert facility.retry_button.isVisibleTo(facility)


def test_every_code_has_a_specific_message(qapp) -> None:  # type: ignore[no-untyped-def]
    fallback = message_for("no_such_code")
    fields = [
        "first_name",
        "last_name",
        "phone",
        "email",
        "line1",
        "city",
        "state",
        "postal_code",
        "pin",
        "pin_confirm",
    ]
    for problem in Problem:
        for field in fields:
            assert message_for(problem.value, field) != fallback
    required = {message_for("required", field) for field in fields}
    assert len(required) == len(fields)
    for code in (
        "phone_registered",
        "offline",
        "timeout",
        "server_error",
        "facility_unknown",
        "resident_unknown",
        "invalid_input",
        "kiosk_not_enrolled",
    ):
        assert message_for(code, "email") != fallback
    assert "Email address" in message_for("invalid_input", "email")


def test_an_amount_refused_repeats_the_limits(window) -> None:  # type: ignore[no-untyped-def]
    """Issue 19 (Low): "This amount can't be added" said nothing of what can."""
    from kiosk.domain import DepositQuote, Language, Refusal

    screen = window.screens["deposit_amount"]
    screen.take_answer(None, DepositQuote(0, 0, 0, 500, 30000))
    screen.show_refusal(Refusal("amount_out_of_range", "amount_cents"))
    assert "$5.00" in screen.error_text("deposit_other")
    assert "$300.00" in screen.error_text("deposit_other")
    screen.other.setText("12.5x")
    screen.submit()
    assert "from $5.00 to $300.00" in screen.error_text("deposit_other")
    window.set_language(Language.SPANISH)
    assert "de $5.00 a $300.00" in screen.error_text("deposit_other")


def test_an_amount_takes_dollars_and_cents_from_the_keypad(window) -> None:  # type: ignore[no-untyped-def]
    """Issue 19 (Low): the presets show cents ("$20.00") but only whole dollars could be
    typed, and the keypad had no point. Now "12.50" typed on the keypad is 1,250 cents,
    and an amount past the limits says them at once, before any trip to the server."""
    from kiosk.domain import DepositQuote

    screen = window.screens["deposit_amount"]
    screen.take_answer(None, DepositQuote(0, 0, 0, 500, 30000))
    screen.other.setFocus()
    for key in ("1", "2", "point", "5", "0"):
        screen.keypad.keys[key].click()
    assert screen.other.text() == "12.50"
    completed: list[bool] = []
    screen.completed.connect(lambda: completed.append(True))
    screen.submit()
    assert completed and screen.values() == {"amount_cents": 1250}
    screen.other.setText("300.01")
    screen.submit()
    assert len(completed) == 1 and screen.values() == {}
    assert "from $5.00 to $300.00" in screen.error_text("deposit_other")
    screen.other.setText("12.505")
    screen.submit()
    assert "dollars and cents" in screen.error_text("deposit_other")
