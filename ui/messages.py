"""One clear, translated sentence for every problem code a screen can be told about:
the ``kiosk.validation.Problem`` values per field, and the server's codes."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from kiosk.validation import NAME_MAX, PIN_MAX_DIGITS, PIN_MIN_DIGITS, Problem


def field_label(field: str) -> str:
    """The on-screen label of a form field, as the family reads it."""
    # Each literal is written out so pyside6-lupdate can find it.
    labels = {
        "first_name": QCoreApplication.translate("Messages", "First name"),
        "last_name": QCoreApplication.translate("Messages", "Last name"),
        "phone": QCoreApplication.translate("Messages", "Mobile phone number"),
        "email": QCoreApplication.translate("Messages", "Email address"),
        "line1": QCoreApplication.translate("Messages", "Street address"),
        "line2": QCoreApplication.translate("Messages", "Apartment or unit (optional)"),
        "city": QCoreApplication.translate("Messages", "City"),
        "state": QCoreApplication.translate("Messages", "State"),
        "postal_code": QCoreApplication.translate("Messages", "ZIP code"),
        "pin": QCoreApplication.translate("Messages", "New PIN (4 to 8 numbers)"),
        "pin_confirm": QCoreApplication.translate("Messages", "Enter the same PIN again"),
        "current_pin": QCoreApplication.translate("Messages", "Your PIN"),
        "deposit_other": QCoreApplication.translate("Messages", "Other amount, in dollars"),
        "card_number": QCoreApplication.translate("Messages", "Card number"),
        "card_expiry": QCoreApplication.translate("Messages", "Expires (MM/YY)"),
        "card_cvc": QCoreApplication.translate("Messages", "Code (CVC)"),
        "card_zip": QCoreApplication.translate("Messages", "Billing ZIP code"),
        "calls_per_month": QCoreApplication.translate(
            "Messages", "In-state phone calls in a month"
        ),
        "average_minutes": QCoreApplication.translate("Messages", "Minutes in a usual call"),
        "video_sessions_per_month": QCoreApplication.translate(
            "Messages", "Video visits in a month"
        ),
        "facility_id": QCoreApplication.translate("Messages", "Facility"),
        "resident_id": QCoreApplication.translate("Messages", "Your loved one"),
        "badge": QCoreApplication.translate("Messages", "Badge number"),
        "staff_pin": QCoreApplication.translate("Messages", "Staff PIN"),
        "staff_reason": QCoreApplication.translate("Messages", "Reason"),
    }
    return labels.get(field, field)


def _required(field: str) -> str:
    texts = {
        "first_name": QCoreApplication.translate("Messages", "Please enter your first name."),
        "last_name": QCoreApplication.translate("Messages", "Please enter your last name."),
        "phone": QCoreApplication.translate("Messages", "Please enter your mobile phone number."),
        "email": QCoreApplication.translate("Messages", "Please enter your email address."),
        "line1": QCoreApplication.translate("Messages", "Please enter your street address."),
        "city": QCoreApplication.translate("Messages", "Please enter your city."),
        "state": QCoreApplication.translate("Messages", "Please enter your state."),
        "postal_code": QCoreApplication.translate("Messages", "Please enter your ZIP code."),
        "pin": QCoreApplication.translate("Messages", "Please choose a PIN."),
        "pin_confirm": QCoreApplication.translate("Messages", "Please enter your PIN again."),
        "current_pin": QCoreApplication.translate("Messages", "Please enter your PIN."),
        "deposit_other": QCoreApplication.translate("Messages", "Please enter an amount."),
        "card_number": QCoreApplication.translate("Messages", "Please enter the card number."),
        "card_expiry": QCoreApplication.translate(
            "Messages", "Please enter the month and year the card expires."
        ),
        "card_cvc": QCoreApplication.translate(
            "Messages", "Please enter the 3 or 4 numbers on the back of the card."
        ),
        "card_zip": QCoreApplication.translate(
            "Messages", "Please enter the card's billing ZIP code."
        ),
        "badge": QCoreApplication.translate("Messages", "Please enter your badge number."),
        "staff_pin": QCoreApplication.translate("Messages", "Please enter your staff PIN."),
        "staff_reason": QCoreApplication.translate("Messages", "Please type a reason."),
    }
    return texts.get(field, QCoreApplication.translate("Messages", "Please fill this in."))


def _validation_message(problem: Problem, field: str) -> str:
    if problem is Problem.REQUIRED:
        return _required(field)
    if problem is Problem.NAME_TOO_LONG:
        return QCoreApplication.translate(
            "Messages", "This is too long. Please use {count} letters or fewer."
        ).format(count=NAME_MAX)
    if problem is Problem.NAME_INVALID:
        return QCoreApplication.translate(
            "Messages",
            "Please use letters only. Spaces, hyphens (-) and apostrophes (') are fine.",
        )
    if problem is Problem.PHONE_INVALID:
        return QCoreApplication.translate(
            "Messages",
            "That phone number doesn't look right. Enter all 10 digits, with the area code.",
        )
    if problem is Problem.EMAIL_INVALID:
        return QCoreApplication.translate(
            "Messages",
            "That email address doesn't look right. It should look like name@example.com.",
        )
    if problem is Problem.POSTAL_CODE_INVALID:
        return QCoreApplication.translate(
            "Messages", "Please enter a 5-digit ZIP code, like 78701."
        )
    if problem is Problem.STATE_INVALID:
        return QCoreApplication.translate(
            "Messages", "Please enter the 2-letter state code, like TX or CA."
        )
    if problem is Problem.AMOUNT_INVALID:
        return QCoreApplication.translate(
            "Messages", "Please enter whole dollars, like 25."
        )
    if problem is Problem.COUNT_INVALID:
        return QCoreApplication.translate("Messages", "Please enter a whole number.")
    if problem is Problem.CARD_NUMBER_INVALID:
        return QCoreApplication.translate(
            "Messages", "That card number doesn't look right. Please check each number."
        )
    if problem is Problem.CARD_EXPIRY_INVALID:
        return QCoreApplication.translate(
            "Messages", "Please enter the expiry date as month and year, like 08/29."
        )
    if problem is Problem.CARD_EXPIRED:
        return QCoreApplication.translate(
            "Messages", "This card has expired. Please use another card."
        )
    if problem is Problem.CVC_INVALID:
        return QCoreApplication.translate(
            "Messages", "The security code is the 3 or 4 numbers on the back of the card."
        )
    if problem is Problem.PIN_NOT_DIGITS:
        return QCoreApplication.translate("Messages", "Your PIN can only have numbers.")
    if problem is Problem.PIN_LENGTH:
        return QCoreApplication.translate(
            "Messages", "Your PIN must be {low} to {high} numbers long."
        ).format(low=PIN_MIN_DIGITS, high=PIN_MAX_DIGITS)
    if problem is Problem.PIN_TOO_SIMPLE:
        return QCoreApplication.translate(
            "Messages",
            "That PIN is too easy to guess. Don't use one number repeated or numbers in a row, "
            "like 1111 or 1234.",
        )
    return QCoreApplication.translate(
        "Messages", "The two PINs don't match. Please enter the same PIN again."
    )


def _server_message(code: str, field: str) -> str | None:
    if code == "phone_registered":
        return QCoreApplication.translate(
            "Messages",
            "This phone number already has an account. Sign in instead, or ask staff for help.",
        )
    if code == "pin_incorrect" and field == "staff_pin":
        return QCoreApplication.translate("Messages", "The badge number or PIN is not right.")
    if code == "account_locked" and field == "staff_pin":
        return QCoreApplication.translate(
            "Messages", "Too many wrong PINs: this badge is locked for a while.")
    if code == "staff_offline":
        return QCoreApplication.translate(
            "Messages", "The server cannot be reached, and this badge has not signed in here"
            " in the last 15 minutes. Staff sign-in needs the server.")
    if code == "staff_required":
        return QCoreApplication.translate(
            "Messages", "Staff mode has ended. Please sign in to staff mode again.")
    if code == "outbox_not_discardable":
        return QCoreApplication.translate(
            "Messages", "Only a failed entry or a conflict can be discarded.")
    if code == "pin_incorrect":
        return QCoreApplication.translate(
            "Messages", "The phone number or PIN is not right."
        )
    if code == "account_locked":
        return QCoreApplication.translate(
            "Messages", "Too many wrong PINs: signing in is paused for a while."
        )
    if code == "signed_out":
        return QCoreApplication.translate(
            "Messages", "You were signed out. Please sign in again."
        )
    if code == "card_declined":
        return QCoreApplication.translate(
            "Messages",
            "Your bank declined this card, so nothing was charged. Please try another card,"
            " or call the number on the back of your card.",
        )
    if code == "insufficient_funds":
        return QCoreApplication.translate(
            "Messages",
            "There is not enough money on this card, so nothing was charged. Try a smaller"
            " amount or another card.",
        )
    if code == "no_card_on_file":
        return QCoreApplication.translate(
            "Messages", "There is no card on your account yet. Please add a card to pay."
        )
    if code == "quote_changed":
        return QCoreApplication.translate(
            "Messages",
            "The total changed since you saw it, so nothing was charged. Please go back and"
            " check the new total.",
        )
    if code == "amount_out_of_range":
        return QCoreApplication.translate(
            "Messages", "This amount can't be added. Please choose another amount."
        )
    if code == "card_brand_unsupported":
        return QCoreApplication.translate(
            "Messages", "This kind of card can't be used here. Please use another card."
        )
    if code == "already_subscribed":
        return QCoreApplication.translate(
            "Messages",
            "You already have this kind of subscription for this phone. See it under"
            " My subscriptions.",
        )
    if code in ("period_ended", "subscription_ended"):
        return QCoreApplication.translate(
            "Messages", "This subscription has already ended, so it can't be changed."
        )
    if code == "already_renewed":
        return QCoreApplication.translate(
            "Messages", "The next month is already paid. Nothing was charged."
        )
    if code == "usage_invalid":
        return QCoreApplication.translate(
            "Messages", "These numbers can't be priced. Please check them."
        )
    if code == "plan_not_offered":
        return QCoreApplication.translate(
            "Messages", "This plan is not offered for your loved one. Please choose another."
        )
    if code in ("terms_changed", "terms_not_accepted"):
        return QCoreApplication.translate(
            "Messages", "Please read and accept the terms before paying."
        )
    if code == "offline":
        return QCoreApplication.translate(
            "Messages",
            "The kiosk can't reach the network right now. Please try again in a moment, "
            "or ask staff for help.",
        )
    if code == "timeout":
        return QCoreApplication.translate(
            "Messages", "The answer took too long to arrive. Please try again."
        )
    if code == "server_error":
        return QCoreApplication.translate(
            "Messages", "Something went wrong on our side. Please try again, or ask staff for help."
        )
    if code == "facility_unknown":
        return QCoreApplication.translate(
            "Messages", "We couldn't find that facility. Please choose it again."
        )
    if code == "resident_unknown":
        return QCoreApplication.translate(
            "Messages", "We couldn't find that person. Please search again."
        )
    if code == "resident_already_linked":
        return QCoreApplication.translate(
            "Messages", "This person is already one of your loved ones. Please search again."
        )
    if code == "too_many_residents":
        return QCoreApplication.translate(
            "Messages",
            "Your account has as many loved ones as it can hold. Please ask staff for help.",
        )
    if code == "nothing_to_refund":
        return QCoreApplication.translate(
            "Messages", "Your balance is $0.00, so there is nothing to refund."
        )
    if code == "no_usage_history":
        return QCoreApplication.translate(
            "Messages",
            "There is no full month of your calls yet, so we can't price your history."
            " Please enter your own estimate instead.",
        )
    if code == "invalid_input":
        if field:
            return QCoreApplication.translate(
                "Messages", "Please check this entry: {field}."
            ).format(field=field_label(field))
        return QCoreApplication.translate("Messages", "Please check what you entered.")
    if code == "kiosk_not_enrolled":
        return QCoreApplication.translate(
            "Messages", "This kiosk is not set up yet. Please ask staff for help."
        )
    if code == "keyring_unavailable":
        return QCoreApplication.translate(
            "Messages", "This kiosk can't connect: it has no safe place to keep its key. "
            "Please ask staff for help."
        )
    return None


def message_for(code: str, field: str = "") -> str:
    """The sentence to show for ``code`` (a ``Problem`` value or a server code) on ``field``."""
    try:
        problem = Problem(code)
    except ValueError:
        server = _server_message(code, field)
        if server is not None:
            return server
        return QCoreApplication.translate(
            "Messages", "Something went wrong. Please ask staff for help."
        )
    return _validation_message(problem, field)
