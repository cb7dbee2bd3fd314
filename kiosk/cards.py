"""Checks on a card as typed at the kiosk, before the gateway sees it: the number's digits
and check digit, an expiry as MM/YY that has not passed, the CVC and the ZIP. No I/O."""

from __future__ import annotations

from datetime import date

from kiosk.validation import InvalidInput, Problem, normalize_postal_code


def card_digits(number: str) -> str:
    """The digits of a card number typed with or without spaces; 12-19 with a valid check
    digit (Luhn), else ``card_number_invalid``."""
    digits = "".join(number.split()).replace("-", "")
    if not digits:
        raise InvalidInput("card_number", Problem.REQUIRED)
    if not digits.isascii() or not digits.isdigit() or not 12 <= len(digits) <= 19:
        raise InvalidInput("card_number", Problem.CARD_NUMBER_INVALID)
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    if total % 10:
        raise InvalidInput("card_number", Problem.CARD_NUMBER_INVALID)
    return digits


def card_expiry(text: str, today: date) -> tuple[int, int]:
    """"MM/YY", "MMYY" or "MM/YYYY" -> (month, four-digit year); a card is good through the
    last day of its month."""
    digits = "".join(ch for ch in text if ch.isdigit())
    if not digits:
        raise InvalidInput("card_expiry", Problem.REQUIRED)
    if len(digits) not in (4, 6):
        raise InvalidInput("card_expiry", Problem.CARD_EXPIRY_INVALID)
    month, year = int(digits[:2]), int(digits[2:])
    year += 2000 if year < 100 else 0
    if not 1 <= month <= 12:
        raise InvalidInput("card_expiry", Problem.CARD_EXPIRY_INVALID)
    if (year, month) < (today.year, today.month):
        raise InvalidInput("card_expiry", Problem.CARD_EXPIRED)
    return month, year


def card_cvc(text: str) -> str:
    cvc = text.strip()
    if not cvc:
        raise InvalidInput("card_cvc", Problem.REQUIRED)
    if not cvc.isascii() or not cvc.isdigit() or len(cvc) not in (3, 4):
        raise InvalidInput("card_cvc", Problem.CVC_INVALID)
    return cvc


def card_zip(text: str) -> str:
    try:
        return normalize_postal_code(text)
    except InvalidInput as problem:
        raise InvalidInput("card_zip", problem.problem) from None


def typed_amount(text: str) -> int:
    """A custom amount typed in dollars, with or without cents ("25", "$12.50", "7.5")
    -> integer cents; never through a float (issue 19, Low: presets show cents)."""
    typed = text.strip().removeprefix("$").strip()
    if not typed:
        raise InvalidInput("deposit_other", Problem.REQUIRED)
    dollars, point, cents = typed.partition(".")
    if point and not cents:
        cents = "0"
    if (not dollars.isascii() or not dollars.isdigit() or len(dollars) > 6
            or not cents.isascii() or (cents and not cents.isdigit()) or len(cents) > 2):
        raise InvalidInput("deposit_other", Problem.AMOUNT_INVALID)
    return int(dollars) * 100 + int(cents.ljust(2, "0") or "0")
