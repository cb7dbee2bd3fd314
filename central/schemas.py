"""Request and response bodies of the public API (pydantic), with input checks."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)
from pydantic import Strict as _StrictType
from pydantic_core import PydanticCustomError

from central.models import CallKind, Destination, PlanKind, SizeTier

US_STATES = frozenset(
    (
        "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE "
        "NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI"
    ).split()
)
# Error types we raise ourselves; the problem handler uses them as the stable ``code``.
CUSTOM_CODES = frozenset(
    {"phone_invalid", "email_invalid", "state_invalid", "postal_code_invalid", "pin_invalid"}
)
# A bound broken on these fields has a code of its own.
FIELD_TYPE_CODES = {
    ("amount_cents", "greater_than_equal"): "amount_below_minimum",
    ("amount_cents", "less_than_equal"): "amount_above_maximum",
}
# Any other failure on these fields (too long, wrong pattern) gets the field's own code.
FIELD_CODES = {
    "Idempotency-Key": "invalid_idempotency_key",
    "phone": "phone_invalid",
    "email": "email_invalid",
    "pin": "pin_invalid",
    "address.state": "state_invalid",
    "address.postal_code": "postal_code_invalid",
}


def _phone(value: str) -> str:
    try:
        number = phonenumbers.parse(value, "US")
    except phonenumbers.NumberParseException:
        raise PydanticCustomError("phone_invalid", "Not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise PydanticCustomError("phone_invalid", "Not a valid phone number")
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def _email(value: str) -> str:
    try:
        return str(validate_email(value, check_deliverability=False).normalized)
    except EmailNotValidError as exc:
        raise PydanticCustomError("email_invalid", "Not a valid e-mail address: {reason}",
                                  {"reason": str(exc)}) from None


def _state(value: str) -> str:
    if value.upper() not in US_STATES:
        raise PydanticCustomError("state_invalid", "Not a US state or territory code")
    return value.upper()


def _postal_code(value: str) -> str:
    digits = value.replace("-", "")
    if not digits.isdigit() or len(digits) not in (5, 9):
        raise PydanticCustomError("postal_code_invalid", "Use a 5-digit ZIP code or ZIP+4")
    return value


def _pin(value: str) -> str:
    if not (value.isascii() and value.isdigit() and 4 <= len(value) <= 8):
        raise PydanticCustomError("pin_invalid", "A PIN is 4 to 8 digits")
    return value


# pattern "\S": the schema itself says that blank text is no name.
def _json_integer(value: object) -> object:
    """JSON Schema's "integer" includes 20.0; it never includes "20", true or 20.5."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# Request integers are exactly JSON Schema's integers: STRICT refuses "20" and true, and
# JSON_INTEGER lets 20.0 through as 20. Bounds go between the two so the OpenAPI document
# shows them: Annotated[int, STRICT, Field(ge=1), JSON_INTEGER].
STRICT = _StrictType()
JSON_INTEGER = BeforeValidator(_json_integer)
# Request booleans: true or false only, not 0/1 or "yes".
JsonBool = Annotated[bool, STRICT]

Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=r"\S")
]
Phone = Annotated[str, StringConstraints(max_length=32), AfterValidator(_phone)]
Email = Annotated[str, StringConstraints(max_length=254), AfterValidator(_email)]
Pin = Annotated[str, StringConstraints(pattern=r"^[0-9]{4,8}$"), AfterValidator(_pin)]
Identifier = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Health(BaseModel):
    status: str
    database: str
    time: datetime


class RateOut(BaseModel):
    kind: CallKind
    destination: Destination
    cents_per_minute: int


class PlanOut(BaseModel):
    id: str
    kind: PlanKind
    name: str
    price_cents: int
    allotment: int | None = Field(description="Calls or sessions per period; null = unlimited")


class FacilityOut(BaseModel):
    id: str
    name: str
    state: str
    timezone: str
    size_tier: SizeTier
    offers_subscriptions: bool
    offers_single_call: bool


class FacilityDetail(FacilityOut):
    funding_fee_cents: int
    video_session_price_cents: int
    rates: list[RateOut]
    plans: list[PlanOut]


class ResidentOut(BaseModel):
    """Only what a family needs to pick the right person."""

    id: str
    display_name: str
    resident_number: str


class EnrollIn(Strict):
    code: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32, pattern=r"\S")
    ]
    name: Text


class EnrollOut(BaseModel):
    kiosk_id: str
    facility_id: str
    token: str


class AddressIn(Strict):
    line1: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=r"\S")
    ]
    line2: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    city: Text
    state: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2),
                     AfterValidator(_state)]
    postal_code: Annotated[
        str,
        StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{5}(-[0-9]{4})?$"),
        AfterValidator(_postal_code),
    ]


class AccountIn(Strict):
    first_name: Text
    last_name: Text
    phone: Phone
    email: Email
    address: AddressIn
    pin: Pin
    language: Annotated[str, Field(pattern="^(en|es)$")] = "en"
    facility_id: Identifier
    resident_id: Identifier


class LinkedResidentOut(BaseModel):
    facility_id: str
    resident_id: str
    display_name: str


class AccountOut(BaseModel):
    id: str
    first_name: str
    last_name: str
    phone: str
    email: str
    language: str
    created_at: datetime
    linked_residents: list[LinkedResidentOut]
