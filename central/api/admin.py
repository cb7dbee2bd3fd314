"""Supervisor routes: a facility's price list (fee, rates, plans), checked against the
compliance rule set before anything is written, changed only by a supervisor of that
facility, and every change recorded with its before and after; the staff audit trail the
kiosks send. Staff routes: the sign-up conflicts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from central.api.deps import (
    CallingKiosk,
    KioskAuth,
    Services,
    SignedInStaff,
    StaffAuth,
    SupervisorAuth,
)
from central.api.facilities import facility_detail, facility_not_found
from central.fields import QueryTime
from central.fleet.audit import CURSOR_PATTERN, AuditFilter, audit_events
from central.fleet.schemas import AuditEventPage
from central.identity.conflicts import open_conflicts, resolve_conflict
from central.identity.schemas import SignUpConflictOut, SignUpConflictResolveIn
from central.plans.compliance import FacilityConfig, PlanConfig, RateConfig, active_rule_set, check
from central.plans.models import Facility, Plan, Rate
from central.plans.price_audit import (
    PriceChangeOut,
    price_changes,
    record_price_change,
    snapshot,
)
from central.plans.schemas import FacilityDetail, FacilityPricingIn
from central.problems import ProblemError, problems

router = APIRouter(prefix="/v1/admin", tags=["staff"])


def _config(facility: Facility, body: FacilityPricingIn) -> FacilityConfig:
    return FacilityConfig(
        size_tier=facility.size_tier,
        funding_fee_cents=body.funding_fee_cents,
        # The body's rates first, so a violation's field index points into the body; rates
        # left out keep their current price, and must still comply.
        rates=[RateConfig(r.kind, r.destination, r.cents_per_minute) for r in body.rates] + [
            RateConfig(r.kind, r.destination, r.cents_per_minute) for r in facility.rates
            if (r.kind, r.destination) not in {(b.kind, b.destination) for b in body.rates}
        ],
        plans=[PlanConfig(p.id, p.kind, p.price_cents, p.allotment, p.period_months)
               for p in body.plans if p.active],
        video_session_price_cents=body.video_session_price_cents,
    )


def _validate_shape(body: FacilityPricingIn) -> None:
    seen_rates = set()
    for index, rate in enumerate(body.rates):
        if (rate.kind, rate.destination) in seen_rates:
            raise ProblemError(422, "rate_duplicated", "A rate is listed twice",
                               field=f"rates.{index}")
        seen_rates.add((rate.kind, rate.destination))
    seen_plans = set()
    for index, plan in enumerate(body.plans):
        if plan.id in seen_plans:
            raise ProblemError(422, "plan_duplicated", "A plan is listed twice",
                               field=f"plans.{index}.id")
        seen_plans.add(plan.id)
        if (plan.allotment is None) != (plan.kind.value == "video_unlimited"):
            raise ProblemError(422, "plan_allotment_invalid",
                               "Only an unlimited video plan has no allotment",
                               field=f"plans.{index}.allotment")


def _apply(session: Session, facility: Facility, body: FacilityPricingIn) -> None:
    facility.funding_fee_cents = body.funding_fee_cents
    facility.video_session_price_cents = body.video_session_price_cents
    facility.offers_subscriptions = body.offers_subscriptions
    facility.offers_single_call = body.offers_single_call
    rates = {(r.kind, r.destination): r for r in facility.rates}
    for rate_in in body.rates:
        existing = rates.get((rate_in.kind, rate_in.destination))
        if existing is None:
            session.add(Rate(facility_id=facility.id, kind=rate_in.kind,
                             destination=rate_in.destination,
                             cents_per_minute=rate_in.cents_per_minute))
        else:
            existing.cents_per_minute = rate_in.cents_per_minute
    listed = {p.id for p in body.plans}
    for plan in facility.plans:
        if plan.id not in listed:
            plan.active = False  # kept: subscriptions may refer to it
    for plan_in in body.plans:
        found = session.get(Plan, plan_in.id)
        if found is None:
            session.add(Plan(id=plan_in.id, facility_id=facility.id, kind=plan_in.kind,
                             name=plan_in.name, price_cents=plan_in.price_cents,
                             allotment=plan_in.allotment, active=plan_in.active))
            continue
        plan = found
        if plan.facility_id != facility.id:
            raise ProblemError(409, "plan_id_taken", "This plan id belongs to another facility",
                               field="plans")
        plan.kind, plan.name = plan_in.kind, plan_in.name
        plan.price_cents, plan.allotment = plan_in.price_cents, plan_in.allotment
        plan.active = plan_in.active


def _own_facility(session: Session, signed_in: SignedInStaff, facility_id: str) -> None:
    """404 for a facility that does not exist, 403 for one the supervisor does not work for."""
    if session.get(Facility, facility_id) is None:
        raise facility_not_found(facility_id)
    if signed_in.staff.facility_id != facility_id:
        raise ProblemError(403, "facility_not_yours",
                           "You are not a supervisor of this facility",
                           "Only a supervisor of the facility may see or change its prices.",
                           field="facility_id")


def _with_prices(session: Session, facility_id: str) -> Facility:
    return session.execute(
        select(Facility).where(Facility.id == facility_id)
        .options(selectinload(Facility.rates), selectinload(Facility.plans))
        .execution_options(populate_existing=True)
    ).scalar_one()


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
    _validate_shape(body)
    with services.db.transaction() as session:
        _own_facility(session, staff, facility_id)
        facility = _with_prices(session, facility_id)
        now = services.clock.now()
        check(active_rule_set(facility.jurisdiction, now), _config(facility, body))
        before = snapshot(facility)
        _apply(session, facility, body)
        session.flush()
        after = snapshot(_with_prices(session, facility_id))
        record_price_change(session, facility_id, staff.staff.id, staff.staff.name, kiosk.id,
                            before, after, now)
        session.flush()
        session.expire(facility)
        return facility_detail(session, facility_id)


@router.get(
    "/facilities/{facility_id}/price-changes",
    response_model=list[PriceChangeOut],
    responses=problems(401, 403, 404, 422),
)
def get_price_changes(
    facility_id: str, services: Services, staff: SupervisorAuth,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[PriceChangeOut]:
    """Who changed this facility's prices, when, from which kiosk, with the prices before
    and after; newest first (supervisors of the facility only)."""
    with services.db.transaction() as session:
        _own_facility(session, staff, facility_id)
        return price_changes(session, facility_id, limit)


def _staff_facility(signed_in: SignedInStaff, kiosk: CallingKiosk) -> str:
    """The facility a staff member works for: theirs, or the lobby they signed in at."""
    return signed_in.staff.facility_id or kiosk.facility_id


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
        return open_conflicts(session, _staff_facility(staff, kiosk), include_resolved)


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
    with services.db.transaction() as session:
        return resolve_conflict(session, conflict_id, _staff_facility(staff, kiosk),
                                staff.staff.id, body.resolution, services.clock.now())


@router.get(
    "/audit-events",
    response_model=AuditEventPage,
    responses=problems(401, 403, 422),
)
def get_audit_events(
    services: Services, staff: SupervisorAuth,
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
    (403 ``role_required`` for an officer)."""
    where = AuditFilter(facility_id=staff.staff.facility_id, kiosk_id=kiosk_id,
                        staff_id=staff_id, since=since, until=until)
    with services.db.read() as session:
        return audit_events(session, where, limit, before)
