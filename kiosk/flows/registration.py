"""The sign-up journey: facility, loved one, name, contact, address, PIN, review, done."""

from __future__ import annotations

from kiosk.domain import Language, Registration
from kiosk.flows import keys as k
from kiosk.flows.engine import Data, Journey, Step
from kiosk.flows.staff import staff_member
from kiosk.requests import LoadFacilities, Register


def registration_from(data: Data) -> Registration | None:
    """The registration from every step's data, or None while a step is still incomplete."""
    facility, resident, address = k.FACILITY.of(data), k.RESIDENT.of(data), k.ADDRESS.of(data)
    first_name, last_name = k.FIRST_NAME.of(data), k.LAST_NAME.of(data)
    phone, email, pin = k.PHONE.of(data), k.EMAIL.of(data), k.PIN.of(data)
    if (facility is None or resident is None or address is None or first_name is None
            or last_name is None or phone is None or email is None or pin is None):
        return None
    return Registration(
        first_name=first_name,
        last_name=last_name,
        phone_e164=phone,
        email=email,
        address=address,
        pin=pin,
        language=Language(data.get(k.LANGUAGE, Language.ENGLISH)),
        facility_id=facility.id,
        resident_id=resident.id,
    )


def _after_sign_up(data: Data) -> str:
    # A new family lands on their account; a sign-up saved offline says so instead.
    result = k.REGISTRATION.of(data)
    signed_in = result is not None and result.signed_in
    return "account:" if signed_in else "done"


def _register(data: Data) -> Register | None:
    registration = registration_from(data)
    if registration is None:
        return None
    # Staff helping a family: the sign-up carries their id into the audit trail.
    staff = staff_member(data)
    return Register(registration, assisted_by=staff.id if staff is not None else "")


def _after_address(data: Data) -> str:
    # Staff helping a family hand the screen over first: the family chooses the PIN.
    return "register_handover" if staff_member(data) is not None else "register_pin"


def _after_done(data: Data) -> str | None:
    # Staff who helped a family go back to the staff home; a family's session ends.
    return "staff:" if staff_member(data) is not None else None


REGISTRATION = Journey(
    name="register",
    first="facility",
    steps={
        "facility": Step(
            "resident", provides=(k.FACILITY,), load=lambda _d: LoadFacilities(), counted=True
        ),
        "resident": Step("register_name", provides=(k.RESIDENT,), counted=True),
        "register_name": Step(
            "register_contact", provides=(k.FIRST_NAME, k.LAST_NAME), counted=True
        ),
        "register_contact": Step("register_address", provides=(k.PHONE, k.EMAIL),
                                 counted=True),
        "register_address": Step(_after_address, provides=(k.ADDRESS,), counted=True),
        "register_handover": Step("register_pin"),
        "register_pin": Step("review", provides=(k.PIN,), counted=True),
        "review": Step(_after_sign_up, submit=_register, result=k.REGISTRATION, counted=True),
        "done": Step(_after_done, back=False),
    },
    sensitive=frozenset({k.PIN, k.PIN_CONFIRM}),
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
    invalidates={k.FACILITY: (k.RESIDENT,)},
)
