"""Sign-in routes: family sessions (phone + PIN) and staff sessions (badge + PIN); the
handlers are :mod:`central.identity.sign_in`."""

from __future__ import annotations

from fastapi import APIRouter, Response

from central.api.deps import FamilyAuth, KioskAuth, Services, StaffAuth
from central.identity import sign_in
from central.identity.schemas import (
    FamilySessionIn,
    FamilySessionOut,
    StaffOut,
    StaffSessionIn,
    StaffSessionOut,
)
from central.identity.sign_in import SignInFamily, SignInStaff, SignOut
from central.kernel.problems import problems

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
    return sign_in.sign_in_family(SignInFamily(kiosk.id, body.phone, body.pin), services)


@router.delete(
    "/v1/sessions/current",
    status_code=204,
    response_class=Response,
    responses=problems(401),
)
def sign_out_family(services: Services, family: FamilyAuth) -> Response:
    sign_in.sign_out(SignOut(family.token), services)
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
    return sign_in.sign_in_staff(SignInStaff(kiosk.id, body.badge_id, body.pin), services)


@router.get(
    "/v1/staff/sessions/current",
    response_model=StaffOut,
    responses=problems(401),
    tags=["staff"],
)
def who_is_signed_in(signed_in: StaffAuth) -> StaffOut:
    return StaffOut.of(signed_in.staff)


@router.delete(
    "/v1/staff/sessions/current",
    status_code=204,
    response_class=Response,
    responses=problems(401),
    tags=["staff"],
)
def sign_out_staff(services: Services, signed_in: StaffAuth) -> Response:
    sign_in.sign_out(SignOut(signed_in.token, staff=True), services)
    return Response(status_code=204)
