"""Supervisor routes: a facility's price list and its history (changed through
:mod:`central.plans.pricing`: by a supervisor of that facility only, checked against the
compliance rule set, every change recorded), and the staff audit trail the kiosks send.
Staff routes: the sign-up conflicts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from central.api.deps import (
    CallingKiosk,
    KioskAuth,
    Services,
    SignedInStaff,
    StaffAuth,
    SupervisorAuth,
    staff_facility,
)
from central.fleet.audit import CURSOR_PATTERN, AuditFilter, audit_events
from central.fleet.schemas import AuditEventPage
from central.identity.conflicts import ResolveConflict, open_conflicts, resolve_conflict
from central.identity.schemas import SignUpConflictOut, SignUpConflictResolveIn
from central.kernel.fields import QueryTime
from central.kernel.problems import problems
from central.plans.price_audit import PriceChangeOut
from central.plans.pricing import ChangePrices, Supervisor, change_prices, price_history
from central.plans.schemas import FacilityDetail, FacilityPricingIn

router = APIRouter(prefix="/v1/admin", tags=["staff"])


def _supervisor(signed_in: SignedInStaff, kiosk: CallingKiosk) -> Supervisor:
    staff = signed_in.staff
    return Supervisor(staff_id=staff.id, name=staff.name, facility_id=staff.facility_id,
                      kiosk_id=kiosk.id)


@router.put(
    "/facilities/{facility_id}/pricing",
    response_model=FacilityDetail,
    responses=problems(400, 401, 403, 404, 409, 422),
)
def put_facility_pricing(
    facility_id: str, body: FacilityPricingIn, services: Services, staff: SupervisorAuth,
    kiosk: KioskAuth,
) -> FacilityDetail:
    """Replace a facility's fee, rates and plans (supervisors of that facility only; 403
    ``facility_not_yours`` for another's). Refused with 422 ``compliance_violation`` naming
    the rule (``rule``, e.g. ``US-2025/audio-rate-cap``) when the active rule set of the
    facility's jurisdiction forbids it. Plans left out are deactivated, not deleted. Each
    accepted change is recorded (see ``GET .../price-changes``)."""
    return change_prices(ChangePrices(facility_id, body, _supervisor(staff, kiosk)), services)


@router.get(
    "/facilities/{facility_id}/price-changes",
    response_model=list[PriceChangeOut],
    responses=problems(401, 403, 404, 422),
)
def get_price_changes(
    facility_id: str, services: Services, staff: SupervisorAuth, kiosk: KioskAuth,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[PriceChangeOut]:
    """Who changed this facility's prices, when, from which kiosk, with the prices before
    and after; newest first (supervisors of the facility only)."""
    with services.db.transaction() as session:
        return price_history(session, _supervisor(staff, kiosk), facility_id, limit)


@router.get(
    "/sign-up-conflicts",
    response_model=list[SignUpConflictOut],
    responses=problems(401, 403, 422),
)
def get_sign_up_conflicts(
    services: Services, kiosk: KioskAuth, staff: StaffAuth,
    include_resolved: bool = False,
) -> list[SignUpConflictOut]:
    """Offline sign-ups refused because the phone already has an account, newest first, at
    the staff member's facility; open ones only unless ``include_resolved``."""
    with services.db.transaction() as session:
        return open_conflicts(session, staff_facility(staff, kiosk), include_resolved)


@router.post(
    "/sign-up-conflicts/{conflict_id}/resolve",
    response_model=SignUpConflictOut,
    responses=problems(400, 401, 403, 404, 413, 422),
)
def post_sign_up_conflict_resolution(
    conflict_id: str, body: SignUpConflictResolveIn, services: Services, kiosk: KioskAuth,
    staff: StaffAuth,
) -> SignUpConflictOut:
    """Staff close a conflict with what they did (the family signed in, or why it was
    dropped). Resolving it again keeps the first resolution."""
    return resolve_conflict(ResolveConflict(conflict_id, staff_facility(staff, kiosk),
                                            staff.staff.id, body.resolution), services)


@router.get(
    "/audit-events",
    response_model=AuditEventPage,
    responses=problems(401, 403, 422),
)
def get_audit_events(
    services: Services, staff: SupervisorAuth, kiosk: KioskAuth,
    kiosk_id: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    staff_id: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    since: Annotated[QueryTime | None, Query(description="occurred at or after")] = None,
    until: Annotated[QueryTime | None, Query(description="occurred before")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    before: Annotated[str | None, Query(pattern=CURSOR_PATTERN,
                                        description="`next` of the page before")] = None,
) -> AuditEventPage:
    """What staff did at the kiosks (docs/staff-mode.md, "Audit trail"): every event the
    kiosks of the supervisor's facility sent, newest first by when it happened, filtered by
    kiosk, staff member and time (``since`` inclusive, ``until`` exclusive), a page of
    ``limit`` at a time (``next`` is the ``before`` of the following page). Supervisors only
    (403 ``role_required`` for an officer); one with no facility sees the kiosks of the
    facility they signed in at."""
    where = AuditFilter(facility_id=staff_facility(staff, kiosk), kiosk_id=kiosk_id,
                        staff_id=staff_id, since=since, until=until)
    with services.db.read() as session:
        return audit_events(session, where, limit, before)
