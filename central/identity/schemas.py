"""Request and response bodies of kiosk enrollment, family accounts and sign-in (families
and staff), with the input checks of phone, e-mail, address and PIN."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, BaseModel, Field, StringConstraints
from pydantic_core import PydanticCustomError

from central.identity.models import StaffRole

if TYPE_CHECKING:
    from central.identity.auth import StaffIdentity
from central.kernel.fields import (
    Identifier,
    Line,
    OptionalLine,
    PersonName,
    Strict,
    Text,
    Timestamp,
    Token,
)

US_STATES = frozenset(
    (
        "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE "
        "NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI"
    ).split()
)


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


# The states as a pattern, either case: "tx" is Texas. Only ASCII letters: "ﬂ" (one
# ligature) is upper-cased "FL", and "ıa" (a dotless i) "IA", yet neither is a state code.
STATE_PATTERN = "^(" + "|".join(
    "".join(f"[{c}{c.lower()}]" for c in state) for state in sorted(US_STATES)) + ")$"


def _state(value: str) -> str:
    if not value.isascii() or value.upper() not in US_STATES:
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


Phone = Annotated[str, StringConstraints(max_length=32), AfterValidator(_phone)]
Email = Annotated[str, StringConstraints(max_length=254), AfterValidator(_email)]
Pin = Annotated[str, StringConstraints(pattern=r"^[0-9]{4,8}$"), AfterValidator(_pin)]


class EnrollIn(Strict):
    code: Annotated[Token, StringConstraints(max_length=32)]
    name: Text


class EnrollOut(BaseModel):
    kiosk_id: str
    facility_id: str
    token: str


class EnrollConfirmOut(BaseModel):
    kiosk_id: str
    facility_id: str
    confirmed_at: datetime


class AddressIn(Strict):
    line1: Line
    line2: OptionalLine = ""
    city: Text
    state: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2,
                                            pattern=STATE_PATTERN), AfterValidator(_state)]
    postal_code: Annotated[
        str,
        StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{5}(-[0-9]{4})?$"),
        AfterValidator(_postal_code),
    ]


class AccountIn(Strict):
    first_name: PersonName
    last_name: PersonName
    phone: Phone
    email: Email
    address: AddressIn
    pin: Pin
    language: Annotated[str, Field(pattern="^(en|es)$")] = "en"
    facility_id: Identifier
    resident_id: Identifier


class LinkedResidentIn(Strict):
    """Another loved one for a signed-in family's account."""

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


class FamilySessionIn(Strict):
    phone: Phone
    pin: Pin


class FamilySessionOut(BaseModel):
    """Send ``token`` as ``X-Family-Session`` from the kiosk that opened the session."""

    token: str
    account_id: str
    expires_at: datetime


class StaffSessionIn(Strict):
    badge_id: Annotated[Token, StringConstraints(max_length=32)]
    pin: Pin


class StaffOut(BaseModel):
    id: str
    name: str
    role: StaffRole
    facility_id: str | None = Field(
        default=None, description="The facility the member works for (null: none assigned)")

    @classmethod
    def of(cls, staff: StaffIdentity) -> StaffOut:
        return cls(id=staff.id, name=staff.name, role=staff.role,
                   facility_id=staff.facility_id)


class StaffSessionOut(BaseModel):
    """Send ``token`` as ``X-Staff-Session`` from the kiosk that opened the session."""

    token: str
    staff: StaffOut
    expires_at: datetime
    keyed_entry: bool = Field(
        default=False, description="This kiosk's facility allows typing a card number "
        "(staff-assisted; docs/payments.md \"Keyed entry\"): the kiosk offers it only then")


class SignUpConflictIn(Strict):
    """What a kiosk knows of a queued sign-up the server refused: enough to write to the
    family and for staff to recognise them, never the PIN."""

    reason: Annotated[str, Field(pattern="^phone_registered$")]
    first_name: PersonName
    phone: Phone
    email: Email
    language: Annotated[str, Field(pattern="^(en|es)$")] = "en"
    signed_up_at: Timestamp


class SignUpConflictOut(BaseModel):
    id: str
    kiosk_id: str
    facility_id: str
    reason: str
    first_name: str
    phone: str
    email: str
    language: str
    signed_up_at: datetime
    reported_at: datetime
    resolved_at: datetime | None
    resolved_by: str | None
    resolution: str | None


class LinkConflictIn(Strict):
    """A loved one a family asked to add while the kiosk was offline, refused later
    (docs/offline.md, "A loved one added offline"): whose account, which loved one (the
    name as the family saw it) and why. Never the PIN."""

    reason: Annotated[str, Field(pattern=(
        "^(pin_incorrect|account_locked|too_many_residents|resident_unknown|"
        "facility_unknown)$"))]
    account_id: Identifier
    phone: Phone
    facility_id: Identifier
    resident_name: Text
    requested_at: Timestamp


class LinkConflictOut(BaseModel):
    account_id: str
    reason: str
    requested_at: datetime
    reported_at: datetime


class SignUpConflictResolveIn(Strict):
    resolution: Text
