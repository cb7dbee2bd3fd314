"""One clear, translated sentence for every problem code a screen can be told about:
the ``kiosk.validation.Problem`` values per field, and the server's codes."""

from __future__ import annotations

from collections.abc import Callable

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
            "Messages", "Please enter dollars and cents, like 25 or 12.50."
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


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks ``text`` for pyside6-lupdate, like Qt's own (which is typed as returning
    ``object``), and gives it back untranslated: it is translated when shown."""
    del context
    return text


# The server's problem codes (central/: every ProblemError, card refusal and decline code)
# and the kiosk's own (offline, payments_unavailable, ...), each with the sentence a family
# reads. The words are marked for pyside6-lupdate here and translated when shown, in the
# language of that moment. tests/gui/test_messages.py checks that every code the server can
# send has words here, in English and Spanish.
_SIGNED_OUT = QT_TRANSLATE_NOOP("Messages", "You were signed out. Please sign in again.")
_NOT_ENROLLED = QT_TRANSLATE_NOOP(
    "Messages", "This kiosk is not set up yet. Please ask staff for help.")
_OUR_SIDE = QT_TRANSLATE_NOOP(
    "Messages", "Something went wrong on our side. Please try again, or ask staff for help.")
_BUSY = QT_TRANSLATE_NOOP(
    "Messages", "The server is busy right now. Please try again in a moment.")
_AMOUNT = QT_TRANSLATE_NOOP(
    "Messages", "This amount can't be added. Please choose another amount.")
_NO_CARD = QT_TRANSLATE_NOOP(
    "Messages", "There is no card on your account yet. Please add a card to pay.")
_READER_NOT_READY = QT_TRANSLATE_NOOP(
    "Messages", "The card reader is not ready. Please ask staff for help.")
_CARD_UNUSABLE = QT_TRANSLATE_NOOP(
    "Messages", "This card can't be used. Please enter the card again.")
_ENDED = QT_TRANSLATE_NOOP(
    "Messages", "This subscription has already ended, so it can't be changed.")
_TERMS = QT_TRANSLATE_NOOP("Messages", "Please read and accept the terms before paying.")
# Codes only staff tools, the call platform or the card processor's webhook are sent: a
# kiosk that hears one was asked to do what it cannot.
_NOT_HERE = QT_TRANSLATE_NOOP("Messages", "This kiosk can't do that. Please ask staff for help.")

_SERVER_WORDS: dict[str, str] = {
    # -- signing up and signing in
    "phone_registered": QT_TRANSLATE_NOOP(
        "Messages",
        "This phone number already has an account. Sign in instead, or ask staff for help."),
    "phone_not_registered": QT_TRANSLATE_NOOP(
        "Messages",
        "There is no account with this phone number. Please check the number, or create an"
        " account."),
    "kiosk_locked": QT_TRANSLATE_NOOP(
        "Messages",
        "Too many wrong PINs were typed at this kiosk: signing in is paused here for a few"
        " minutes. Please ask staff for help."),
    "signed_out": _SIGNED_OUT,
    "session_invalid": _SIGNED_OUT,
    "session_expired": _SIGNED_OUT,
    "session_required": _SIGNED_OUT,
    "account_unknown": _SIGNED_OUT,
    "not_your_account": _SIGNED_OUT,
    # -- staff mode
    "staff_offline": QT_TRANSLATE_NOOP(
        "Messages", "The server cannot be reached, and this badge has not signed in here"
        " in the last 15 minutes. Staff sign-in needs the server."),
    "staff_required": QT_TRANSLATE_NOOP(
        "Messages", "Staff mode has ended. Please sign in to staff mode again."),
    "outbox_not_discardable": QT_TRANSLATE_NOOP(
        "Messages", "Only a failed entry or a conflict can be discarded."),
    "note_not_in_doubt": QT_TRANSLATE_NOOP(
        "Messages", "This note was settled already. The list shows the notes still in doubt."),
    # -- cards and AdvanceConnect
    "card_declined": QT_TRANSLATE_NOOP(
        "Messages",
        "Your bank declined this card, so nothing was charged. Please try another card,"
        " or call the number on the back of your card."),
    "insufficient_funds": QT_TRANSLATE_NOOP(
        "Messages",
        "There is not enough money on this card, so nothing was charged. Try a smaller"
        " amount or another card."),
    "authentication_required": QT_TRANSLATE_NOOP(
        "Messages",
        "Your bank wants you to approve this payment in its app, which this kiosk can't do,"
        " so nothing was charged. Please use another card."),
    "gateway_unavailable": QT_TRANSLATE_NOOP(
        "Messages",
        "The card service is not answering right now. Please try again in a minute:"
        " you will not be charged twice."),
    "card_brand_unsupported": QT_TRANSLATE_NOOP(
        "Messages", "This kind of card can't be used here. Please use another card."),
    "card_token_invalid": _CARD_UNUSABLE,
    "card_token_in_use": _CARD_UNUSABLE,
    "payment_method_unknown": _CARD_UNUSABLE,
    "no_card_on_file": _NO_CARD,
    # -- the card reader (docs/payments.md "The card reader")
    "reader_not_registered": _READER_NOT_READY,
    "reader_unknown": _READER_NOT_READY,
    "reader_in_use": _READER_NOT_READY,
    "reader_on_other_gateway": _READER_NOT_READY,
    "readers_unsupported": _READER_NOT_READY,
    "reader_payment_unknown": _READER_NOT_READY,
    "keyed_entry_not_allowed": QT_TRANSLATE_NOOP(
        "Messages", "Please use the card reader: card numbers can't be typed here."),
    "reader_unavailable": _READER_NOT_READY,
    "reader_busy": QT_TRANSLATE_NOOP(
        "Messages", "The card reader is finishing the last payment. Please try again in a"
        " moment."),
    "save_card_required": QT_TRANSLATE_NOOP(
        "Messages", "Automatic renewal charges the card you pay with now. Please agree to"
        " keep the card, or go back and choose to renew it yourself."),
    "payment_method_required": _NO_CARD,
    "amount_out_of_range": _AMOUNT,
    "amount_below_minimum": _AMOUNT,
    "amount_above_maximum": _AMOUNT,
    "nothing_to_refund": QT_TRANSLATE_NOOP(
        "Messages", "Your balance is $0.00, so there is nothing to refund."),
    "no_linked_resident": QT_TRANSLATE_NOOP(
        "Messages", "Please add a loved one to your account first."),
    # -- subscriptions and the advisor
    "already_subscribed": QT_TRANSLATE_NOOP(
        "Messages",
        "You already have this kind of subscription for this phone. See it under"
        " My subscriptions."),
    "period_ended": _ENDED,
    "subscription_ended": _ENDED,
    "subscription_unknown": QT_TRANSLATE_NOOP(
        "Messages", "We couldn't find this subscription. Please go back and choose it again."),
    "already_renewed": QT_TRANSLATE_NOOP(
        "Messages", "The next month is already paid. Nothing was charged."),
    "not_manual_renewal": QT_TRANSLATE_NOOP(
        "Messages", "This subscription renews by itself, so there is nothing to pay now."),
    "renewal_in_progress": QT_TRANSLATE_NOOP(
        "Messages", "A payment for the next month is already being made. Please wait a"
        " minute, then look at your subscription again."),
    "cancellation_pending": QT_TRANSLATE_NOOP(
        "Messages", "This subscription is set to end. Resume it first, then renew it."),
    "usage_invalid": QT_TRANSLATE_NOOP(
        "Messages", "These numbers can't be priced. Please check them."),
    "plan_not_offered": QT_TRANSLATE_NOOP(
        "Messages", "This plan is not offered for your loved one. Please choose another."),
    "terms_changed": _TERMS,
    "terms_not_accepted": _TERMS,
    "no_usage_history": QT_TRANSLATE_NOOP(
        "Messages",
        "There is no full month of your calls yet, so we can't price your history."
        " Please enter your own estimate instead."),
    # -- facilities and loved ones
    "facility_unknown": QT_TRANSLATE_NOOP(
        "Messages", "We couldn't find that facility. Please choose it again."),
    "resident_unknown": QT_TRANSLATE_NOOP(
        "Messages", "We couldn't find that person. Please search again."),
    "resident_already_linked": QT_TRANSLATE_NOOP(
        "Messages", "This person is already one of your loved ones. Please search again."),
    "too_many_residents": QT_TRANSLATE_NOOP(
        "Messages",
        "Your account has as many loved ones as it can hold. Please ask staff for help."),
    # -- the network, the server, this kiosk
    "offline": QT_TRANSLATE_NOOP(
        "Messages",
        "The kiosk can't reach the network right now. Please try again in a moment, "
        "or ask staff for help."),
    "timeout": QT_TRANSLATE_NOOP(
        "Messages", "The answer took too long to arrive. Please try again."),
    "rate_limited": _BUSY,
    "request_in_flight": _BUSY,
    "pin_check_busy": _BUSY,
    "server_error": _OUR_SIDE,
    "unknown_path_id": _OUR_SIDE,  # the kiosk never sends one: a fault of ours
    "database_unavailable": _OUR_SIDE,
    "deposit_not_posted": _OUR_SIDE,
    "quoted_total_required": _OUR_SIDE,
    "malformed_json": _OUR_SIDE,
    "invalid_idempotency_key": _OUR_SIDE,
    "idempotency_key_reused": _OUR_SIDE,
    "not_found": _OUR_SIDE,
    "method_not_allowed": _OUR_SIDE,
    "http_error": _OUR_SIDE,
    "kiosk_not_enrolled": _NOT_ENROLLED,
    "unauthorized": _NOT_ENROLLED,
    "token_revoked": _NOT_ENROLLED,
    "enrollment_code_invalid": _NOT_ENROLLED,
    "enrollment_unconfirmed": _NOT_ENROLLED,
    "kiosk_unknown": _NOT_ENROLLED,
    "not_a_kiosk": _NOT_ENROLLED,
    "payments_unavailable": QT_TRANSLATE_NOOP(
        "Messages", "Card payments are unavailable on this kiosk. Please ask staff where "
        "to pay."),
    "cash_unavailable": QT_TRANSLATE_NOOP(
        "Messages", "The note acceptor is not working right now, so no cash can be taken. "
        "Please ask staff for help, or add money with a card."),
    "keyring_unavailable": QT_TRANSLATE_NOOP(
        "Messages", "This kiosk can't connect: it has no safe place to keep its key. "
        "Please ask staff for help."),
    "plan_price_invalid": QT_TRANSLATE_NOOP(
        "Messages", "This plan can't be bought right now because it has no price yet, so "
        "nothing was charged. Please choose another plan, or ask staff for help."),
    "charge_unfinished": QT_TRANSLATE_NOOP(
        "Messages", "Your card was charged, and we are still finishing this. Please don't "
        "pay again: check your account in a few minutes, or ask staff for help."),
    "amount_below_card_minimum": QT_TRANSLATE_NOOP(
        "Messages", "This amount is too small to pay by card, so nothing was charged. "
        "Please choose a larger amount."),
    "gateway_refused": QT_TRANSLATE_NOOP(
        "Messages", "The card processor refused this payment, so nothing was charged. "
        "Please try another card, or ask staff for help."),
    "cash_not_refundable": QT_TRANSLATE_NOOP(
        "Messages", "Cash can't be given back at a kiosk. Your balance can be refunded on "
        "request: please ask staff."),
    "account_not_at_this_facility": QT_TRANSLATE_NOOP(
        "Messages", "This account can't take cash at this kiosk. Please ask staff for help."),
    # The kiosk's own cash reports and the supervisor's cash-box tools
    **dict.fromkeys(("notes_do_not_add_up", "nothing_credited", "cash_deposit_unknown"),
                    _OUR_SIDE),
    **dict.fromkeys(("cassette_already_counted", "date_invalid"), _NOT_HERE),
    "charge_needs_attention": QT_TRANSLATE_NOOP(
        "Messages", "Your card was charged, but we could not finish this. Please don't pay "
        "again: staff will finish it or give the money back. Ask staff for help."),
    # -- staff tools, the call platform, the card processor's webhook
    **dict.fromkeys((
        "call_not_authorized", "call_unknown", "single_call_already_attempted",
        "single_call_already_paid", "single_call_not_offered", "not_the_call_platform",
        "compliance_violation", "conflict_unknown", "cursor_invalid", "demo_clock_off",
        "facility_not_enrolled", "facility_not_yours", "plan_allotment_invalid",
        "plan_duplicated", "plan_id_taken", "rate_duplicated", "charge_unknown",
        "charge_not_waiting", "charge_not_taken", "charge_in_use",
        "rate_missing", "role_required", "rule_set_unknown", "stripe_webhook_off",
        "webhook_signature_invalid",
    ), _NOT_HERE),
}


def _pin_incorrect(field: str) -> str:
    if field == "staff_pin":
        return QCoreApplication.translate("Messages", "The badge number or PIN is not right.")
    return QCoreApplication.translate("Messages", "The phone number or PIN is not right.")


def _account_locked(field: str) -> str:
    if field == "staff_pin":
        return QCoreApplication.translate(
            "Messages", "Too many wrong PINs: this badge is locked for a while.")
    return QCoreApplication.translate(
        "Messages", "Too many wrong PINs: signing in is paused for a while.")


def _quote_changed(field: str) -> str:
    if field == "quoted_total_cents":
        return QCoreApplication.translate(
            "Messages",
            "The price changed since you saw it, so nothing was charged. Choose again to see"
            " the new price.")
    return QCoreApplication.translate(
        "Messages",
        "The total changed since you saw it, so nothing was charged. Please go back and"
        " check the new total.")


def _check_entry(field: str) -> str:
    if field:
        return QCoreApplication.translate(
            "Messages", "Please check this entry: {field}.").format(field=field_label(field))
    return QCoreApplication.translate("Messages", "Please check what you entered.")


def _pin_invalid(field: str) -> str:
    return _validation_message(Problem.PIN_LENGTH, field)


# The few codes whose words depend on the field, or that name it.
_SERVER_FORMATS: dict[str, Callable[[str], str]] = {
    "pin_incorrect": _pin_incorrect,
    "account_locked": _account_locked,
    "quote_changed": _quote_changed,
    "invalid_input": _check_entry,
    "text_invalid": _check_entry,
    "pin_invalid": _pin_invalid,
}


def _server_message(code: str, field: str) -> str | None:
    format_words = _SERVER_FORMATS.get(code)
    if format_words is not None:
        return format_words(field)
    words = _SERVER_WORDS.get(code)
    return None if words is None else QCoreApplication.translate("Messages", words)


def known_codes() -> frozenset[str]:
    """Every code with words of its own: the validation problems and the server's codes."""
    return frozenset({p.value for p in Problem} | _SERVER_WORDS.keys() | _SERVER_FORMATS.keys())


def known_message(code: str) -> str | None:
    """The sentence for a server or kiosk ``code`` when there is one (staff read why an
    outbox entry stopped in the language on screen), else None."""
    return _server_message(code, "")


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
