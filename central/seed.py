"""Demo data: four fictional facilities in three states, with residents, rates and plans.

Chosen to show every case the kiosk must handle: a facility that does not take part in
subscriptions, one without Single Call, and time zones with and without daylight saving.
Plus one supervisor of Harbor County Jail (badge 1001, PIN 2468) for staff mode. Every
facility must pass the active compliance rule set, or nothing is loaded. ``lobby-central
seed-demo`` (what ``make demo`` runs) also loads a demo family (``seed_demo_family``: phone
(956) 555-0173, PIN 4826) so a person can sign in at once; ``seed_demo`` alone, which the
tests load, has no family.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

from sqlalchemy import select

from central.db.engine import Database
from central.identity.accounts import create_account
from central.identity.models import Account, StaffMember, StaffRole
from central.identity.schemas import AccountIn, AddressIn
from central.identity.security import hash_pin
from central.kernel.facilities import (
    CallKind,
    Destination,
    Facility,
    Plan,
    PlanKind,
    Rate,
    Resident,
    SizeTier,
)
from central.kernel.rules import active_rule_set
from central.plans.compliance import check, facility_config

_FACILITIES = [
    # id, name, state, tz, tier, subscriptions, single call, audio/video in-state cents
    ("harbor-county-jail", "Harbor County Jail", "TX", "America/Chicago",
     SizeTier.JAIL_1000_PLUS, True, True, 9, 19, 380),
    ("mesa-valley-detention", "Mesa Valley Detention Center", "TX", "America/Chicago",
     SizeTier.JAIL_350_999, True, False, 11, 19, 380),
    ("pine-ridge-county-jail", "Pine Ridge County Jail", "CO", "America/Denver",
     SizeTier.JAIL_100_349, False, True, 12, 21, 420),
    ("desert-springs-prison", "Desert Springs State Prison", "AZ", "America/Phoenix",
     SizeTier.PRISON, True, True, 10, 25, 500),
]

_RESIDENTS = [
    ("Hernández", "José"), ("Johnson", "Marcus"), ("Nguyen", "Linh"), ("Smith", "Ashley"),
    ("García", "María"), ("Williams", "Darnell"), ("López", "Ana"), ("Brown", "Tyler"),
]


def _plans(facility_id: str, session_price: int) -> list[Plan]:
    bundle_sessions = 8
    # Rule 3: a bundle's per-session cost sits below pay-per-session.
    bundle_price = bundle_sessions * session_price * 3 // 4
    return [
        Plan(id=f"{facility_id}:call-100", facility_id=facility_id, kind=PlanKind.CALL,
             name="Call Subscription - 100 calls", price_cents=3999, allotment=100),
        Plan(id=f"{facility_id}:video-8", facility_id=facility_id, kind=PlanKind.VIDEO_BUNDLE,
             name=f"Video Subscription - {bundle_sessions} sessions", price_cents=bundle_price,
             allotment=bundle_sessions),
        Plan(id=f"{facility_id}:video-unlimited", facility_id=facility_id,
             kind=PlanKind.VIDEO_UNLIMITED, name="Video Subscription - unlimited",
             price_cents=4999, allotment=None),
    ]


DEMO_STAFF_BADGE = "1001"
DEMO_STAFF_PIN = "2468"  # a documented demo credential, not a secret
DEMO_STAFF_FACILITY = "harbor-county-jail"


@cache
def _demo_staff_pin_hash() -> str:
    return hash_pin(DEMO_STAFF_PIN)  # slow on purpose; once per process is enough


def seed_demo(db: Database, as_of: datetime | None = None) -> bool:
    """Insert the demo data once; returns False when it was already there.

    Raises a ``compliance_violation`` ProblemError (and loads nothing) if a demo facility
    breaks the rule set active at ``as_of`` (default: now).
    """
    as_of = as_of or datetime.now(UTC)
    pin_hash = _demo_staff_pin_hash()
    with db.transaction() as session:
        if session.execute(select(Facility.id).limit(1)).first() is not None:
            return False
        for index, row in enumerate(_FACILITIES):
            (fid, name, state, tz, tier, subs, single, audio, video, session_price) = row
            session.add(Facility(
                id=fid, name=name, state=state, timezone=tz, size_tier=tier, jurisdiction="US",
                offers_subscriptions=subs, offers_single_call=single, funding_fee_cents=0,
                # The demo screens still take a typed card until the reader is wired in.
                allows_keyed_entry=True,
                video_session_price_cents=session_price,
            ))
            for kind, cents in ((CallKind.AUDIO, audio), (CallKind.VIDEO, video)):
                for destination in Destination:
                    session.add(Rate(facility_id=fid, kind=kind, destination=destination,
                                     cents_per_minute=cents))
            if subs:
                session.add_all(_plans(fid, session_price))
            for number, (last, first) in enumerate(_RESIDENTS, start=1):
                session.add(Resident(
                    id=f"{fid}:{number:03d}", facility_id=fid,
                    resident_number=f"{index + 1}{number:05d}", first_name=first,
                    last_name=last,
                ))
        session.flush()
        for facility in session.execute(select(Facility)).scalars():
            check(active_rule_set(facility.jurisdiction, as_of), facility_config(facility))
        session.add(StaffMember(badge_id=DEMO_STAFF_BADGE, name="Demo Supervisor",
                                role=StaffRole.SUPERVISOR, pin_hash=pin_hash, created_at=as_of,
                                facility_id=DEMO_STAFF_FACILITY))
    return True


# The demo family the README names: a documented demo credential, not a secret.
DEMO_FAMILY_PHONE = "+19565550173"
DEMO_FAMILY_PIN = "4826"


def seed_demo_family(db: Database, as_of: datetime | None = None) -> bool:
    """Open the demo family's account (Rosa Martínez, who stays in touch with Ana López at
    Harbor County Jail) through the same rules as a kiosk sign-up; returns False when it is
    already there. Needs ``seed_demo``'s facilities."""
    as_of = as_of or datetime.now(UTC)
    body = AccountIn(
        first_name="Rosa", last_name="Martínez", phone=DEMO_FAMILY_PHONE,
        email="rosa.martinez@example.org",
        address=AddressIn(line1="1200 Main St", city="Houston", state="TX",
                          postal_code="77002"),
        pin=DEMO_FAMILY_PIN, language="en", facility_id=DEMO_STAFF_FACILITY,
        resident_id=f"{DEMO_STAFF_FACILITY}:007",
    )
    pin_hash = hash_pin(DEMO_FAMILY_PIN)
    with db.transaction() as session:
        if session.execute(select(Account.id).where(Account.phone == body.phone)).first():
            return False
        create_account(session, body, pin_hash, None, as_of)
    return True
