"""Kiosk enrollment: a one-time code from an operator becomes the kiosk's bearer token.

Enrolling takes two steps so a code can never be burned by a kiosk that did not keep its
token (docs/offline.md, "Enrollment"): ``POST /v1/kiosks/enroll`` trades the code for a
token, and ``POST /v1/kiosks/enroll/confirm``, sent with that token once the kiosk has it in
its keyring, spends the code. Until then the token opens nothing else, and enrolling again
with the same code revokes the unconfirmed kiosk and issues a new token.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from central.api.deps import (
    CallingKiosk,
    IdempotencyKey,
    KioskAuth,
    Services,
    current_enrolled_kiosk,
)
from central.fleet.schemas import AuditEventIn, AuditEventOut
from central.fleet.services import RecordStaffAction, record_staff_action
from central.identity.conflicts import (
    ReportConflict,
    ReportLinkConflict,
    report_conflict,
    report_link_conflict,
)
from central.identity.kiosks import ConfirmEnrollment, Enroll
from central.identity.kiosks import confirm_enrollment as confirm_enrollment_of
from central.identity.kiosks import enroll as enroll_with_code
from central.identity.schemas import (
    EnrollConfirmOut,
    EnrollIn,
    EnrollOut,
    LinkConflictIn,
    LinkConflictOut,
    SignUpConflictIn,
    SignUpConflictOut,
)
from central.kernel.problems import problems

router = APIRouter(prefix="/v1/kiosks", tags=["kiosks"])


@router.post(
    "/enroll",
    status_code=201,
    response_model=EnrollOut,
    responses=problems(400, 401, 422),
)
def enroll(body: EnrollIn, services: Services) -> EnrollOut:
    """Trade a one-time enrollment code for a kiosk token (shown once, stored hashed). The
    token works once the kiosk confirms it stored it; the code is spent only then."""
    return enroll_with_code(Enroll(body.code, body.name), services)


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
    return confirm_enrollment_of(ConfirmEnrollment(kiosk.id), services)


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
    stored = report_conflict(ReportConflict(body, kiosk.id, kiosk.facility_id,
                                            idempotency_key), services)
    headers = {"Idempotent-Replayed": "true"} if stored.replayed else None
    return JSONResponse(stored.body, status_code=stored.status, headers=headers)


@router.post(
    "/link-conflicts",
    status_code=201,
    response_model=LinkConflictOut,
    responses=problems(400, 401, 409, 413, 422, 429),
)
def post_link_conflict(
    body: LinkConflictIn, services: Services, kiosk: KioskAuth,
    idempotency_key: IdempotencyKey,
) -> JSONResponse:
    """A loved one a signed-in family asked this kiosk to add while it was offline was
    refused later (a PIN that did not sign them in, a full account, a resident gone): e-mail
    the family at the account's address, in its language (docs/offline.md, "A loved one
    added offline"). 409 ``phone_not_registered`` when the account no longer holds the
    phone. Counts against the kiosk's sign-ups per minute."""
    stored = report_link_conflict(ReportLinkConflict(body, kiosk.id, kiosk.facility_id,
                                                     idempotency_key), services)
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
    stored = record_staff_action(RecordStaffAction(body, kiosk.id, idempotency_key), services)
    headers = {"Idempotent-Replayed": "true"} if stored.replayed else None
    return JSONResponse(stored.body, status_code=stored.status, headers=headers)
