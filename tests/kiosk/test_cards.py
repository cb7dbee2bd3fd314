"""The card keypad's checks, before anything reaches the gateway."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.cards import card_cvc, card_digits, card_expiry, card_zip, typed_amount
from kiosk.validation import InvalidInput, Problem

TODAY = date(2026, 1, 15)


def test_card_numbers_with_spaces_and_a_check_digit() -> None:
    assert card_digits("4242 4242 4242 4242") == "4242424242424242"
    assert card_digits("5555-5555-5555-4444") == "5555555555554444"
    for wrong in ("4242 4242 4242 4241", "1234", "4242x4242424242424"):
        with pytest.raises(InvalidInput) as problem:
            card_digits(wrong)
        assert problem.value.problem is Problem.CARD_NUMBER_INVALID
    with pytest.raises(InvalidInput):
        card_digits("  ")


def test_expiry_is_good_through_its_month() -> None:
    assert card_expiry("01/26", TODAY) == (1, 2026)
    assert card_expiry("1230", TODAY) == (12, 2030)
    assert card_expiry("08/2029", TODAY) == (8, 2029)
    with pytest.raises(InvalidInput) as problem:
        card_expiry("12/25", TODAY)
    assert problem.value.problem is Problem.CARD_EXPIRED
    for wrong in ("13/29", "1/2", "abc"):
        with pytest.raises(InvalidInput):
            card_expiry(wrong, TODAY)


def test_cvc_zip_and_amounts() -> None:
    assert card_cvc("123") == "123" and card_cvc("1234") == "1234"
    with pytest.raises(InvalidInput):
        card_cvc("12")
    assert card_zip("78702") == "78702"
    with pytest.raises(InvalidInput) as problem:
        card_zip("787")
    assert problem.value.field == "card_zip"
    assert typed_amount("25") == 2500 and typed_amount("$40") == 4000


@pytest.mark.parametrize(("typed", "cents"), [
    ("12.50", 1250), ("$12.5", 1250), ("7.05", 705), ("20.", 2000), (" 300.00 ", 30000),
    ("0.99", 99),
])
def test_an_amount_is_typed_in_dollars_and_cents(typed: str, cents: int) -> None:
    """Issue 19 (Low): the presets show cents, and only whole dollars could be typed."""
    assert typed_amount(typed) == cents


@pytest.mark.parametrize("typed", ["12.505", "12,50", "1.2.3", ".", "abc", "1234567",
                                   "１２", "-5", "5.-1"])
def test_an_amount_that_is_not_dollars_and_cents_is_refused(typed: str) -> None:
    with pytest.raises(InvalidInput) as problem:
        typed_amount(typed)
    assert problem.value.field == "deposit_other"
