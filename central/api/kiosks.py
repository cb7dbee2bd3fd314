"""Kiosk enrollment: a one-time code from an operator becomes the kiosk's bearer token.

Enrolling takes two steps so a code can never be burned by a kiosk that did not keep its
token (docs/offline.md, "Enrollment"): ``POST /v1/kiosks/enroll`` trades the code for a
token, and ``POST /v1/kiosks/enroll/confirm``, sent with that token once the kiosk has it in
its keyring, spends the code. Until then the token opens nothing else, and enrolling again
with the same code revokes the unconfirmed kiosk and issues a new token.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from central.api.deps import (
    CallingKiosk,
    IdempotencyKey,
    KioskAuth,
    Services,
    current_enrolled_kiosk,
)
from central.clock import DemoClock
from central.db.base import new_id
from central.fleet.models import KioskAuditEvent
from central.fleet.schemas import AuditEventIn, AuditEventOut
from central.idempotency import fingerprint
from central.identity.conflicts import conflict_out, record_conflict, record_link_conflict
from central.identity.limits import spend
from central.identity.models import EnrollmentCode, Kiosk
from central.identity.schemas import (
    EnrollConfirmOut,
    EnrollIn,
    EnrollOut,
    LinkConflictIn,
    LinkConflictOut,
    SignUpConflictIn,
    SignUpConflictOut,
)
from central.identity.security import digest, new_token, token_digest
from central.problems import ProblemError, problems

router = APIRouter(prefix="/v1/kiosks", tags=["kiosks"])


def _code_invalid() -> ProblemError:
    return ProblemError(
        401,
        "enrollment_code_invalid",
        "This enrollment code is not valid",
        "Codes work once and expire after 24 hours; ask for a new one.",
        field="code",
    )


@router.post(
    "/enroll",
    status_code=201,
    response_model=EnrollOut,
    responses=problems(400, 401, 422),
)
def enroll(body: EnrollIn, services: Services) -> EnrollOut:
    """Trade a one-time enrollment code for a kiosk token (shown once, stored hashed). The
    token works once the kiosk confirms it stored it; the code is spent only then."""
    now = services.clock.now()
    # Codes are issued by the CLI on the real clock, so a demo server checks them on it too.
    code_now = services.clock.real_now() if isinstance(services.clock, DemoClock) else now
    code_hash = digest(body.code)
    kiosk_id = new_id()
    with services.db.transaction() as session:
        previous = session.execute(
            select(EnrollmentCode.pending_kiosk_id).where(EnrollmentCode.code_hash == code_hash)
        ).scalar_one_or_none()
        # Take the code for this kiosk with a conditional update: of two kiosks enrolling at
        # once, one wins, and a spent or expired code matches nothing.
        taken = session.execute(
            update(EnrollmentCode)
            .where(
                EnrollmentCode.code_hash == code_hash,
                EnrollmentCode.used_at.is_(None),
                EnrollmentCode.expires_at > code_now,
                EnrollmentCode.pending_kiosk_id.is_(None) if previous is None
                else EnrollmentCode.pending_kiosk_id == previous,
            )
            .values(pending_kiosk_id=kiosk_id)
        )
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            raise _code_invalid()
        if previous is not None:
            # That kiosk never confirmed, so it does not hold its token: retire the token.
            session.execute(
                update(Kiosk)
                .where(Kiosk.id == previous, Kiosk.confirmed_at.is_(None),
                       Kiosk.revoked_at.is_(None))
                .values(revoked_at=now)
            )
        facility_id = session.execute(
            select(EnrollmentCode.facility_id).where(EnrollmentCode.code_hash == code_hash)
        ).scalar_one()
        token = new_token()
        session.add(Kiosk(
            id=kiosk_id, facility_id=facility_id, name=body.name,
            token_hash=token_digest(token), enrolled_at=now,
        ))
        return EnrollOut(kiosk_id=kiosk_id, facility_id=facility_id, token=token)


@router.post(
    "/enroll/confirm",
    response_model=EnrollConfirmOut,
    responses=problems(401),
)
def confirm_enrollment(
    services: Services,
    kiosk: Annotated[CallingKiosk, Depends(current_enrolled_kiosk)],
) -> EnrollConfirmOut:
    """The kiosk has stored its token: spend the code and let the token work. Sending it
    again answers the same."""
    now = services.clock.now()
    with services.db.transaction() as session:
        row = session.get(Kiosk, kiosk.id)
        assert row is not None  # the dependency just found it
        if row.confirmed_at is None:
            spent = session.execute(
                update(EnrollmentCode)
                .where(EnrollmentCode.pending_kiosk_id == kiosk.id,
                       EnrollmentCode.used_at.is_(None))
                .values(used_at=now)
            )
            if spent.rowcount != 1:  # type: ignore[attr-defined]
                raise _code_invalid()
            row.confirmed_at = now
        return EnrollConfirmOut(kiosk_id=row.id, facility_id=row.facility_id,
                                confirmed_at=row.confirmed_at)


@router.post(
    "/sign-up-conflicts",
    status_code=201,
    response_model=SignUpConflictOut,
    responses=problems(400, 401, 409, 413, 422, 429),
)
def report_sign_up_conflict(
    body: SignUpConflictIn, services: Services, kiosk: KioskAuth,
    idempotency_key: IdempotencyKey,
) -> JSONResponse:
    """A sign-up this kiosk queued offline was refused because the phone has an account:
    e-mail the family at the address they gave and list it for the facility's staff
    (docs/offline.md, "Conflicts"). 409 ``phone_not_registered`` when there is no conflict.
    Counts against the kiosk's sign-ups per minute, as the sign-up itself did."""
    spend(services.db, services.clock, services.limits.sign_up, kiosk.id)

    def work(session: Session) -> tuple[int, dict[str, Any]]:
        conflict = record_conflict(session, body, kiosk.id, kiosk.facility_id, services.clock)
        return 201, conflict_out(conflict).model_dump(mode="json")

    stored = services.idempotency.run(
        f"kiosk:{kiosk.id}", idempotency_key,
        fingerprint("POST /v1/kiosks/sign-up-conflicts", body.model_dump(mode="json")), work,
    )
    headers = {"Idempotent-Replayed": "true"} if stored.replayed else None
    return JSONResponse(stored.body, status_code=stored.status, headers=headers)


@router.post(
    "/link-conflicts",
    status_code=201,
    response_model=LinkConflictOut,
    responses=problems(400, 401, 409, 413, 422, 429),
)
def report_link_conflict(
    body: LinkConflictIn, services: Services, kiosk: KioskAuth,
    idempotency_key: IdempotencyKey,
) -> JSONResponse:
    """A loved one a signed-in family asked this kiosk to add while it was offline was
    refused later (a PIN that did not sign them in, a full account, a resident gone): e-mail
    the family at the account's address, in its language (docs/offline.md, "A loved one
    added offline"). 409 ``phone_not_registered`` when the account no longer holds the
    phone. Counts against the kiosk's sign-ups per minute."""
    spend(services.db, services.clock, services.limits.sign_up, kiosk.id)

    def work(session: Session) -> tuple[int, dict[str, Any]]:
        out = record_link_conflict(session, body, kiosk.facility_id, idempotency_key,
                                   services.clock)
        return 201, out.model_dump(mode="json")

    stored = services.idempotency.run(
        f"kiosk:{kiosk.id}", idempotency_key,
        fingerprint("POST /v1/kiosks/link-conflicts", body.model_dump(mode="json")), work,
    )
    headers = {"Idempotent-Replayed": "true"} if stored.replayed else None
    return JSONResponse(stored.body, status_code=stored.status, headers=headers)


@router.post(
    "/audit-events",
    status_code=201,
    response_model=AuditEventOut,
    responses=problems(400, 401, 413, 422),
)
def record_audit_event(
    body: AuditEventIn, services: Services, kiosk: KioskAuth, idempotency_key: IdempotencyKey,
) -> JSONResponse:
    """A staff action this kiosk recorded in staff mode (who, what, when), sent through its
    outbox (docs/staff-mode.md, "Audit trail"). A retry with the same key records it once."""

    def work(session: Session) -> tuple[int, dict[str, Any]]:
        event = KioskAuditEvent(kiosk_id=kiosk.id, staff_id=body.staff_id, event=body.event,
                                detail=body.detail, occurred_at=body.occurred_at,
                                received_at=services.clock.now())
        session.add(event)
        session.flush()
        return 201, AuditEventOut.model_validate(event, from_attributes=True).model_dump(
            mode="json")

    stored = services.idempotency.run(
        f"kiosk:{kiosk.id}", idempotency_key,
        fingerprint("POST /v1/kiosks/audit-events", body.model_dump(mode="json")), work,
    )
    headers = {"Idempotent-Replayed": "true"} if stored.replayed else None
    return JSONResponse(stored.body, status_code=stored.status, headers=headers)
