"""Kiosk enrollment: a one-time code from an operator becomes the kiosk's bearer token."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter
from sqlalchemy import select, update

from central.api.deps import Services
from central.clock import Clock
from central.db import Database
from central.models import ClientRole, EnrollmentCode, Facility, Kiosk
from central.problems import ProblemError, problems
from central.schemas import EnrollIn, EnrollOut
from central.security import digest, new_enrollment_code, new_token, token_digest

router = APIRouter(prefix="/v1/kiosks", tags=["kiosks"])

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


@router.post(
    "/enroll",
    status_code=201,
    response_model=EnrollOut,
    responses=problems(400, 401, 422),
)
def enroll(body: EnrollIn, services: Services) -> EnrollOut:
    """Trade a one-time enrollment code for a kiosk token (shown once, stored hashed)."""
    now = services.clock.now()
    with services.db.transaction() as session:
        code_hash = digest(body.code)
        # Claim the code with a conditional update so two kiosks can't both use it.
        claimed = session.execute(
            update(EnrollmentCode)
            .where(
                EnrollmentCode.code_hash == code_hash,
                EnrollmentCode.used_at.is_(None),
                EnrollmentCode.expires_at > now,
            )
            .values(used_at=now)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            raise ProblemError(
                401,
                "enrollment_code_invalid",
                "This enrollment code is not valid",
                "Codes work once and expire after 24 hours; ask for a new one.",
                field="code",
            )
        facility_id = session.execute(
            select(EnrollmentCode.facility_id).where(EnrollmentCode.code_hash == code_hash)
        ).scalar_one()
        token = new_token()
        kiosk = Kiosk(
            facility_id=facility_id, name=body.name, token_hash=token_digest(token),
            enrolled_at=now,
        )
        session.add(kiosk)
        session.flush()
        return EnrollOut(kiosk_id=kiosk.id, facility_id=facility_id, token=token)
