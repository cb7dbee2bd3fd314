"""Credentials of API clients: one-time enrollment codes for new kiosks, and the token of a
facility's call platform (both shown once, stored hashed)."""

from __future__ import annotations

from datetime import timedelta

from central.clock import Clock
from central.db.engine import Database
from central.identity.models import ClientRole, EnrollmentCode, Kiosk
from central.identity.security import digest, new_enrollment_code, new_token, token_digest
from central.plans.models import Facility

CODE_LIFETIME = timedelta(hours=24)


def issue_enrollment_code(db: Database, clock: Clock, facility_id: str) -> str:
    """Create a one-time code for a new kiosk at ``facility_id``; only its hash is stored."""
    code = new_enrollment_code()
    now = clock.now()
    with db.transaction() as session:
        if session.get(Facility, facility_id) is None:
            raise LookupError(f"no facility {facility_id!r}")
        session.add(
            EnrollmentCode(
                code_hash=digest(code),
                facility_id=facility_id,
                created_at=now,
                expires_at=now + CODE_LIFETIME,
            )
        )
    return code


def issue_call_platform_token(db: Database, clock: Clock, facility_id: str, name: str) -> str:
    """Create the credential of a facility's call platform and return its token (shown once,
    stored hashed). Only such a token may authorize and rate calls."""
    token = new_token()
    with db.transaction() as session:
        if session.get(Facility, facility_id) is None:
            raise LookupError(f"no facility {facility_id!r}")
        session.add(Kiosk(facility_id=facility_id, name=name, role=ClientRole.CALL_PLATFORM,
                          token_hash=token_digest(token), enrolled_at=clock.now()))
    return token
