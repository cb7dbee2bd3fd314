"""The sign-in handlers the session routes call: a family (phone + PIN) or a staff member
(badge + PIN) opens a session at a kiosk, within the kiosk's sign-in budget, and signs out.

Sessions are not under Idempotency-Key: a retried sign-in simply opens another session, and
a stored answer would keep the token in the database in clear.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from central.identity.auth import end_session, open_family_session, open_staff_session
from central.identity.limits import Limits, spend
from central.identity.models import Kiosk
from central.identity.pin_work import PinWork
from central.identity.schemas import FamilySessionOut, StaffOut, StaffSessionOut
from central.kernel.facilities import Facility
from central.kernel.ports import UnitOfWork


class Ports(UnitOfWork, Protocol):
    """What signing in needs: the unit of work, the per-kiosk limits and the PIN workers."""

    @property
    def limits(self) -> Limits: ...

    @property
    def pins(self) -> PinWork: ...


@dataclass(frozen=True)
class SignInFamily:
    kiosk_id: str
    phone: str
    pin: str


def sign_in_family(command: SignInFamily, ports: Ports) -> FamilySessionOut:
    """Count the sign-in against the kiosk's budget, then check the phone and PIN."""
    spend(ports.db, ports.clock, ports.limits.sign_in, command.kiosk_id)
    opened = open_family_session(ports.db, ports.clock, command.kiosk_id, command.phone,
                                 command.pin, ports.pins)
    return FamilySessionOut(token=opened.token, account_id=opened.subject_id,
                            expires_at=opened.expires_at)


@dataclass(frozen=True)
class SignInStaff:
    kiosk_id: str
    badge_id: str
    pin: str


def sign_in_staff(command: SignInStaff, ports: Ports) -> StaffSessionOut:
    """The same budget as families (one per kiosk for both), then badge and PIN."""
    spend(ports.db, ports.clock, ports.limits.sign_in, command.kiosk_id)
    opened, staff = open_staff_session(ports.db, ports.clock, command.kiosk_id,
                                       command.badge_id, command.pin, ports.pins)
    with ports.db.read() as session:
        kiosk = session.get_one(Kiosk, command.kiosk_id)
        facility = session.get(Facility, kiosk.facility_id)
        keyed_entry = bool(facility is not None and facility.allows_keyed_entry)
    return StaffSessionOut(token=opened.token, expires_at=opened.expires_at,
                           staff=StaffOut.of(staff), keyed_entry=keyed_entry)


@dataclass(frozen=True)
class SignOut:
    token: str
    staff: bool = False


def sign_out(command: SignOut, ports: UnitOfWork) -> None:
    """The token stops working at once."""
    end_session(ports.db, ports.clock, command.token, staff=command.staff)
