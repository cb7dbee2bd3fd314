"""Kiosk enrollment: a one-time code from an operator becomes the kiosk's bearer token."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select, update

from central.api.deps import Services
from central.clock import DemoClock
from central.identity.models import EnrollmentCode, Kiosk
from central.identity.schemas import EnrollIn, EnrollOut
from central.identity.security import digest, new_token, token_digest
from central.problems import ProblemError, problems

router = APIRouter(prefix="/v1/kiosks", tags=["kiosks"])


@router.post(
    "/enroll",
    status_code=201,
    response_model=EnrollOut,
    responses=problems(400, 401, 422),
)
def enroll(body: EnrollIn, services: Services) -> EnrollOut:
    """Trade a one-time enrollment code for a kiosk token (shown once, stored hashed)."""
    now = services.clock.now()
    # Codes are issued by the CLI on the real clock, so a demo server checks them on it too.
    code_now = services.clock.real_now() if isinstance(services.clock, DemoClock) else now
    with services.db.transaction() as session:
        code_hash = digest(body.code)
        # Claim the code with a conditional update so two kiosks can't both use it.
        claimed = session.execute(
            update(EnrollmentCode)
            .where(
                EnrollmentCode.code_hash == code_hash,
                EnrollmentCode.used_at.is_(None),
                EnrollmentCode.expires_at > code_now,
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
