"""Validation of what a family types, with one specific message per problem.

Phone numbers go through ``phonenumbers`` and e-mail through ``email-validator``; no
home-made patterns. Messages are keys the UI translates (see ``ui.messages``).

Both libraries are imported on first use, not with this module: the window imports it for
its messages before the first screen, and the two take a quarter of a second to import
(``kiosk.app.open_parts`` imports them on a worker right after the first frame).
"""

from __future__ import annotations

import enum
import itertools
import unicodedata

US_STATES = frozenset(
    (
        "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE "
        "NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI"
    ).split()
)
PIN_MIN_DIGITS = 4
PIN_MAX_DIGITS = 8
NAME_MAX = 60


class Problem(enum.StrEnum):
    """A specific, user-actionable input problem. The value is a stable code."""

    REQUIRED = "required"
    NAME_TOO_LONG = "name_too_long"
    NAME_INVALID = "name_invalid"  # the server's code for the same rule
    PHONE_INVALID = "phone_invalid"
    EMAIL_INVALID = "email_invalid"
    POSTAL_CODE_INVALID = "postal_code_invalid"
    STATE_INVALID = "state_invalid"
    PIN_NOT_DIGITS = "pin_not_digits"
    PIN_LENGTH = "pin_length"
    PIN_TOO_SIMPLE = "pin_too_simple"
    PIN_MISMATCH = "pin_mismatch"
    AMOUNT_INVALID = "amount_invalid"
    COUNT_INVALID = "count_invalid"
    CARD_NUMBER_INVALID = "card_number_invalid"
    CARD_EXPIRY_INVALID = "card_expiry_invalid"
    CARD_EXPIRED = "card_expired"
    CVC_INVALID = "cvc_invalid"


class InvalidInput(ValueError):
    """Raised with the field and the problem so the screen can say exactly what is wrong."""

    def __init__(self, field: str, problem: Problem) -> None:
        super().__init__(f"{field}: {problem.value}")
        self.field = field
        self.problem = problem


def clean_text(value: str, field: str) -> str:
    """Text a family typed (an address line, a city): spaces tidied, not blank, bounded."""
    text = " ".join(value.split())
    if not text:
        raise InvalidInput(field, Problem.REQUIRED)
    if len(text) > NAME_MAX:
        raise InvalidInput(field, Problem.NAME_TOO_LONG)
    return text


def clean_name(value: str, field: str) -> str:
    """A person's first or last name: tidy text that is letters (see ``is_person_name``)."""
    name = clean_text(value, field)
    if not is_person_name(name):
        raise InvalidInput(field, Problem.NAME_INVALID)
    return name


# Apostrophes (straight and typographic), hyphens and periods: "O'Neil", "Jean-Luc", "Jr.".
NAME_PUNCTUATION = frozenset("'’-‐.")


def is_person_name(name: str) -> bool:
    """Letters of any script (with their accents), spaces, apostrophes, hyphens and periods,
    and at least one letter: the central API's rule, checked here so the family hears it on
    the name step, not after the review."""
    letters = 0
    for char in unicodedata.normalize("NFC", name):
        category = unicodedata.category(char)
        if category.startswith("L"):
            letters += 1
        elif not (char == " " or char in NAME_PUNCTUATION or category.startswith("M")):
            return False
    return letters > 0


def normalize_phone(value: str, region: str = "US") -> str:
    """Return the number in E.164, or raise ``InvalidInput('phone', ...)``."""
    if not value.strip():
        raise InvalidInput("phone", Problem.REQUIRED)
    import phonenumbers

    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidInput("phone", Problem.PHONE_INVALID) from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidInput("phone", Problem.PHONE_INVALID)
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def normalize_email(value: str) -> str:
    if not value.strip():
        raise InvalidInput("email", Problem.REQUIRED)
    from email_validator import EmailNotValidError, validate_email

    try:
        # No DNS look-up: the lobby may be offline, and the server checks again.
        result = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidInput("email", Problem.EMAIL_INVALID) from exc
    return str(result.normalized)


def normalize_state(value: str) -> str:
    state = value.strip().upper()
    if not state:
        raise InvalidInput("state", Problem.REQUIRED)
    if state not in US_STATES:
        raise InvalidInput("state", Problem.STATE_INVALID)
    return state


def normalize_postal_code(value: str) -> str:
    code = value.strip()
    if not code:
        raise InvalidInput("postal_code", Problem.REQUIRED)
    digits = code.replace("-", "")
    if not digits.isdigit() or len(digits) not in (5, 9) or (len(digits) == 9 and "-" not in code):
        raise InvalidInput("postal_code", Problem.POSTAL_CODE_INVALID)
    return code


def check_pin(pin: str, confirmation: str | None = None) -> str:
    """A PIN is 4-8 digits, not all one digit and not a straight run (1234, 9876)."""
    if not pin:
        raise InvalidInput("pin", Problem.REQUIRED)
    if not pin.isascii() or not pin.isdigit():
        raise InvalidInput("pin", Problem.PIN_NOT_DIGITS)
    if not PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS:
        raise InvalidInput("pin", Problem.PIN_LENGTH)
    steps = {int(b) - int(a) for a, b in itertools.pairwise(pin)}
    if len(steps) == 1 and steps <= {-1, 0, 1}:
        raise InvalidInput("pin", Problem.PIN_TOO_SIMPLE)
    if confirmation is not None and confirmation != pin:
        raise InvalidInput("pin_confirm", Problem.PIN_MISMATCH)
    return pin
