"""The card keypad's checks, before anything reaches the gateway."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.cards import card_cvc, card_digits, card_expiry, card_zip, whole_dollars
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
    assert whole_dollars("25") == 2500 and whole_dollars("$40") == 4000
    with pytest.raises(InvalidInput):
        whole_dollars("12.50")
