"""What a family types is checked with phonenumbers / email-validator, one code per problem."""

from __future__ import annotations

import pytest

from kiosk.validation import (
    InvalidInput,
    Problem,
    check_pin,
    clean_name,
    is_person_name,
    normalize_email,
    normalize_phone,
    normalize_postal_code,
    normalize_state,
)


@pytest.mark.parametrize(
    ("typed", "e164"),
    [("(713) 555-0142", "+17135550142"), ("713.555.0142", "+17135550142"),
     ("+1 512 555 0143", "+15125550143"), ("+52 55 1234 5678", "+525512345678")],
)
def test_phone_is_normalised_to_e164(typed: str, e164: str) -> None:
    assert normalize_phone(typed) == e164


@pytest.mark.parametrize(
    ("typed", "problem"),
    [("", Problem.REQUIRED), ("12", Problem.PHONE_INVALID), ("call me", Problem.PHONE_INVALID),
     ("(000) 555-0142", Problem.PHONE_INVALID)],
)
def test_bad_phone_says_why(typed: str, problem: Problem) -> None:
    with pytest.raises(InvalidInput) as bad:
        normalize_phone(typed)
    assert (bad.value.field, bad.value.problem) == ("phone", problem)


def test_email_is_checked_without_the_network() -> None:
    assert normalize_email(" Rosa@Example.org ") == "Rosa@example.org"
    with pytest.raises(InvalidInput) as bad:
        normalize_email("rosa@")
    assert bad.value.problem is Problem.EMAIL_INVALID


@pytest.mark.parametrize(
    ("pin", "problem"),
    [("", Problem.REQUIRED), ("12a4", Problem.PIN_NOT_DIGITS), ("١٢٣٤", Problem.PIN_NOT_DIGITS),
     ("123", Problem.PIN_LENGTH), ("123456789", Problem.PIN_LENGTH),
     ("1111", Problem.PIN_TOO_SIMPLE), ("1234", Problem.PIN_TOO_SIMPLE),
     ("9876", Problem.PIN_TOO_SIMPLE)],
)
def test_weak_or_malformed_pins_are_refused(pin: str, problem: Problem) -> None:
    with pytest.raises(InvalidInput) as bad:
        check_pin(pin)
    assert bad.value.problem is problem


def test_pin_confirmation_must_match() -> None:
    assert check_pin("4826", "4826") == "4826"
    with pytest.raises(InvalidInput) as bad:
        check_pin("4826", "4862")
    assert (bad.value.field, bad.value.problem) == ("pin_confirm", Problem.PIN_MISMATCH)


def test_names_are_trimmed_and_bounded() -> None:
    assert clean_name("  María   José ", "first_name") == "María José"
    with pytest.raises(InvalidInput):
        clean_name("   ", "first_name")
    with pytest.raises(InvalidInput) as long:
        clean_name("x" * 61, "last_name")
    assert long.value.problem is Problem.NAME_TOO_LONG


def test_address_parts() -> None:
    assert normalize_state(" tx ") == "TX"
    assert normalize_postal_code("77002-1234") == "77002-1234"
    with pytest.raises(InvalidInput):
        normalize_state("ZZ")
    for bad in ("7700", "770021234", "abcde"):
        with pytest.raises(InvalidInput):
            normalize_postal_code(bad)


@pytest.mark.parametrize("name", ["O'Neil", "Jean-Luc", "Núñez", "María José", "Jr.",
                                  "Nguyễn", "Łukasz", "D’Angelo", "Zoë"])
def test_names_of_any_language_are_accepted(name: str) -> None:
    assert clean_name(name, "first_name") == name


@pytest.mark.parametrize("typed", ["2145550123luis@example.com", "Rosa 5", "Ana\u200b",
                                   "---", "R@sa"])
def test_a_name_that_is_not_letters_says_so_on_the_kiosk(typed: str) -> None:
    with pytest.raises(InvalidInput) as bad:
        clean_name(typed, "last_name")
    assert (bad.value.field, bad.value.problem) == ("last_name", Problem.NAME_INVALID)


def test_the_kiosk_and_the_server_agree_on_names() -> None:
    from pydantic import TypeAdapter, ValidationError

    from central.kernel.fields import PersonName

    server = TypeAdapter(PersonName)
    for typed in ["O'Neil", "Núñez", "Rosa 5", "R@sa", "Jean-Luc", "---", "Zoë", "Ana\u200b"]:
        try:
            server.validate_python(typed)
            accepted = True
        except ValidationError:
            accepted = False
        assert accepted == is_person_name(typed), typed
