"""What the screens can ask the central API for, as typed values: the one request/answer
path between the router and the controller. Plain dataclasses, no Qt, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.domain import Registration


@dataclass(frozen=True, slots=True, eq=False)
class LoadFacilities:
    """Answer: list[FacilitySummary]."""


@dataclass(frozen=True, slots=True, eq=False)
class SearchResidents:
    """Answer: list[ResidentMatch]."""

    facility_id: str
    query: str


@dataclass(frozen=True, slots=True, eq=False)
class Register:
    """Answer: RegistrationResult."""

    registration: Registration


@dataclass(frozen=True, slots=True, eq=False)
class SignIn:
    """Answer: AccountView of the family now signed in (the token stays in the controller)."""

    phone_e164: str
    pin: str = field(repr=False)


@dataclass(frozen=True, slots=True, eq=False)
class LoadAccount:
    """Answer: AccountView of the family signed in."""


Request = LoadFacilities | SearchResidents | Register | SignIn | LoadAccount
