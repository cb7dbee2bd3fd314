"""The sign-up journey: facility, loved one, name, contact, address, PIN, review, done."""

from __future__ import annotations

from kiosk.domain import (
    Address,
    FacilitySummary,
    Language,
    Registration,
    RegistrationResult,
    ResidentMatch,
)
from kiosk.flows.engine import Data, Journey, Step
from kiosk.flows.staff import staff_member
from kiosk.requests import LoadFacilities, Register


def registration_from(data: Data) -> Registration | None:
    """The registration from every step's data, or None while a step is still incomplete."""
    facility = data.get("facility")
    resident = data.get("resident")
    address = data.get("address")
    keys = ("first_name", "last_name", "phone", "email", "pin")
    if not (
        isinstance(facility, FacilitySummary)
        and isinstance(resident, ResidentMatch)
        and isinstance(address, Address)
        and all(isinstance(data.get(key), str) for key in keys)
    ):
        return None
    return Registration(
        first_name=data["first_name"],
        last_name=data["last_name"],
        phone_e164=data["phone"],
        email=data["email"],
        address=address,
        pin=data["pin"],
        language=Language(data.get("language", Language.ENGLISH)),
        facility_id=facility.id,
        resident_id=resident.id,
    )


def _after_sign_up(data: Data) -> str:
    # A new family lands on their account; a sign-up saved offline says so instead.
    result = data.get("registration")
    signed_in = isinstance(result, RegistrationResult) and result.signed_in
    return "account:" if signed_in else "done"


def _register(data: Data) -> Register | None:
    registration = registration_from(data)
    if registration is None:
        return None
    # Staff helping a family: the sign-up carries their id into the audit trail.
    staff = staff_member(data)
    return Register(registration, assisted_by=staff.id if staff is not None else "")


def _after_done(data: Data) -> str | None:
    # Staff who helped a family go back to the staff home; a family's session ends.
    return "staff:" if staff_member(data) is not None else None


REGISTRATION = Journey(
    name="register",
    first="facility",
    steps={
        "facility": Step(
            "resident", provides=("facility",), load=lambda _d: LoadFacilities(), counted=True
        ),
        "resident": Step("register_name", provides=("resident",), counted=True),
        "register_name": Step(
            "register_contact", provides=("first_name", "last_name"), counted=True
        ),
        "register_contact": Step("register_address", provides=("phone", "email"), counted=True),
        "register_address": Step("register_pin", provides=("address",), counted=True),
        "register_pin": Step("review", provides=("pin",), counted=True),
        "review": Step(_after_sign_up, submit=_register, result="registration", counted=True),
        "done": Step(_after_done, back=False),
    },
    sensitive=frozenset({"pin", "pin_confirm"}),
    field_steps={
        "first_name": "register_name",
        "last_name": "register_name",
        "phone": "register_contact",
        "email": "register_contact",
        "line1": "register_address",
        "line2": "register_address",
        "city": "register_address",
        "state": "register_address",
        "postal_code": "register_address",
        "pin": "register_pin",
        "pin_confirm": "register_pin",
        "facility_id": "facility",
        "resident_id": "resident",
    },
    code_steps={"facility_unknown": "facility", "resident_unknown": "resident"},
    # Residents belong to a facility: a new facility means finding them again there.
    invalidates={"facility": ("resident",)},
)
