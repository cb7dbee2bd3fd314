"""Sign-in routes: family sessions (phone + PIN) and staff sessions (badge + PIN).

Sessions are not under Idempotency-Key: a retried sign-in simply opens another session, and a
stored answer would keep the token in the database in clear.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from central.api.deps import FamilyAuth, KioskAuth, Services, StaffAuth
from central.identity.auth import end_session, open_family_session, open_staff_session
from central.identity.limits import spend
from central.identity.schemas import (
    FamilySessionIn,
    FamilySessionOut,
    StaffOut,
    StaffSessionIn,
    StaffSessionOut,
)
from central.problems import problems

router = APIRouter(tags=["sessions"])


@router.post(
    "/v1/sessions",
    status_code=201,
    response_model=FamilySessionOut,
    responses=problems(400, 401, 413, 422, 423, 429, 503),
)
def sign_in_family(body: FamilySessionIn, services: Services, kiosk: KioskAuth
                   ) -> FamilySessionOut:
    """Open a family session with phone + PIN. A wrong PIN (or an unknown phone) is 401
    ``pin_incorrect`` with ``attempts_remaining``; the fifth failure locks sign-in for
    15 minutes, each lockout in a row twice as long as the last (up to a day): 423
    ``account_locked`` with ``locked_until``. Twenty wrong PINs at one kiosk within an hour
    lock sign-in at that kiosk the same way (423 ``kiosk_locked``). More than the kiosk's
    sign-ins per minute: 429 ``rate_limited`` with Retry-After; too many PIN checks at once
    on the server: 503 ``pin_check_busy`` with Retry-After."""
    spend(services.db, services.clock, services.limits.sign_in, kiosk.id)
    opened = open_family_session(services.db, services.clock, kiosk.id, body.phone, body.pin,
                                 services.pins)
    return FamilySessionOut(token=opened.token, account_id=opened.subject_id,
                            expires_at=opened.expires_at)


@router.delete(
    "/v1/sessions/current",
    status_code=204,
    response_class=Response,
    responses=problems(401),
)
def sign_out_family(services: Services, family: FamilyAuth) -> Response:
    end_session(services.db, services.clock, family.token)
    return Response(status_code=204)


@router.post(
    "/v1/staff/sessions",
    status_code=201,
    response_model=StaffSessionOut,
    responses=problems(400, 401, 413, 422, 423, 429, 503),
    tags=["staff"],
)
def sign_in_staff(body: StaffSessionIn, services: Services, kiosk: KioskAuth
                  ) -> StaffSessionOut:
    """Open a staff session with badge + PIN; the same lockouts and limits as families
    (one sign-in budget per kiosk for both)."""
    spend(services.db, services.clock, services.limits.sign_in, kiosk.id)
    opened, staff = open_staff_session(services.db, services.clock, kiosk.id, body.badge_id,
                                       body.pin, services.pins)
    return StaffSessionOut(token=opened.token, expires_at=opened.expires_at,
                           staff=StaffOut(id=staff.id, name=staff.name, role=staff.role,
                                          facility_id=staff.facility_id))


@router.get(
    "/v1/staff/sessions/current",
    response_model=StaffOut,
    responses=problems(401),
    tags=["staff"],
)
def who_is_signed_in(signed_in: StaffAuth) -> StaffOut:
    staff = signed_in.staff
    return StaffOut(id=staff.id, name=staff.name, role=staff.role,
                    facility_id=staff.facility_id)


@router.delete(
    "/v1/staff/sessions/current",
    status_code=204,
    response_class=Response,
    responses=problems(401),
    tags=["staff"],
)
def sign_out_staff(services: Services, signed_in: StaffAuth) -> Response:
    end_session(services.db, services.clock, signed_in.token, staff=True)
    return Response(status_code=204)
