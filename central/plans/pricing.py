"""Changing a facility's price list (fee, rates, plans): the handler the supervisor route
calls. Only a supervisor of that facility may; the active compliance rule set is checked
before anything is written, and every accepted change is recorded (who, when, from which
kiosk, before and after) in the same transaction as the change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from central.kernel.facilities import Facility, Plan, Rate
from central.kernel.facility_reference import bump
from central.kernel.ports import UnitOfWork
from central.kernel.problems import ProblemError
from central.kernel.rules import active_rule_set
from central.mail.notifications import SOURCE_LANGUAGE
from central.plans.compliance import FacilityConfig, PlanConfig, RateConfig, check
from central.plans.price_audit import PriceChangeOut, price_changes, record_price_change, snapshot
from central.plans.schemas import FacilityDetail, FacilityPricingIn


class Ports(UnitOfWork, Protocol):
    """What changing prices needs: the unit of work and the clock."""


@dataclass(frozen=True)
class Supervisor:
    """Who asks, and from where: a supervisor of ``facility_id`` (None for a member created
    before staff had facilities, who may change no prices), at kiosk ``kiosk_id``."""

    staff_id: str
    name: str
    facility_id: str | None
    kiosk_id: str


@dataclass(frozen=True)
class ChangePrices:
    facility_id: str
    prices: FacilityPricingIn
    by: Supervisor


def facility_not_found(facility_id: str) -> ProblemError:
    return ProblemError(404, "facility_unknown", "No such facility", f"Facility {facility_id!r}")


def facility_detail(session: Session, facility_id: str,
                    language: str = SOURCE_LANGUAGE) -> FacilityDetail:
    """A facility's price list as the API shows it, plan names in ``language``; 404
    ``facility_unknown``."""
    facility = session.execute(
        select(Facility).where(Facility.id == facility_id)
        .options(selectinload(Facility.rates), selectinload(Facility.plans))
    ).scalar_one_or_none()
    if facility is None:
        raise facility_not_found(facility_id)
    return FacilityDetail.of(facility, language)


def change_prices(command: ChangePrices, ports: Ports) -> FacilityDetail:
    """Replace the facility's fee, rates and plans and record the change; plans left out are
    deactivated, not deleted. Answers the new price list. 404 ``facility_unknown``; 403
    ``facility_not_yours`` for a facility the supervisor does not work for; 422
    ``compliance_violation`` naming the rule; 422 for a rate or plan listed twice; 409
    ``plan_id_taken``."""
    prices = command.prices
    _check_shape(prices)
    with ports.db.transaction() as session:
        _own_facility(session, command.by, command.facility_id)
        facility = _with_prices(session, command.facility_id)
        now = ports.clock.now()
        check(active_rule_set(facility.jurisdiction, now), _config(facility, prices))
        before = snapshot(facility)
        _apply(session, facility, prices)
        session.flush()
        after = snapshot(_with_prices(session, command.facility_id))
        record_price_change(session, command.facility_id, command.by.staff_id, command.by.name,
                            command.by.kiosk_id, before, after, now)
        session.flush()
        session.expire(facility)
        return facility_detail(session, command.facility_id)


def price_history(session: Session, by: Supervisor, facility_id: str, limit: int
                  ) -> list[PriceChangeOut]:
    """The facility's recorded price changes, newest first (its supervisors only)."""
    _own_facility(session, by, facility_id)
    return price_changes(session, facility_id, limit)


def _own_facility(session: Session, by: Supervisor, facility_id: str) -> None:
    """404 for a facility that does not exist, 403 for one the supervisor does not work for."""
    if session.get(Facility, facility_id) is None:
        raise ProblemError(404, "facility_unknown", "No such facility",
                           f"Facility {facility_id!r}")
    if by.facility_id != facility_id:
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


def _config(facility: Facility, prices: FacilityPricingIn) -> FacilityConfig:
    listed = {(r.kind, r.destination) for r in prices.rates}
    return FacilityConfig(
        size_tier=facility.size_tier,
        funding_fee_cents=prices.funding_fee_cents,
        # The body's rates first, so a violation's field index points into the body; rates
        # left out keep their current price, and must still comply.
        rates=[RateConfig(r.kind, r.destination, r.cents_per_minute) for r in prices.rates] + [
            RateConfig(r.kind, r.destination, r.cents_per_minute) for r in facility.rates
            if (r.kind, r.destination) not in listed
        ],
        plans=[PlanConfig(p.id, p.kind, p.price_cents, p.allotment, p.period_months)
               for p in prices.plans if p.active],
        video_session_price_cents=prices.video_session_price_cents,
    )


def _check_shape(prices: FacilityPricingIn) -> None:
    seen_rates = set()
    for index, rate in enumerate(prices.rates):
        if (rate.kind, rate.destination) in seen_rates:
            raise ProblemError(422, "rate_duplicated", "A rate is listed twice",
                               field=f"rates.{index}")
        seen_rates.add((rate.kind, rate.destination))
    seen_plans = set()
    for index, plan in enumerate(prices.plans):
        if plan.id in seen_plans:
            raise ProblemError(422, "plan_duplicated", "A plan is listed twice",
                               field=f"plans.{index}.id")
        seen_plans.add(plan.id)
        if (plan.allotment is None) != (plan.kind.value == "video_unlimited"):
            raise ProblemError(422, "plan_allotment_invalid",
                               "Only an unlimited video plan has no allotment",
                               field=f"plans.{index}.allotment")


def _apply(session: Session, facility: Facility, prices: FacilityPricingIn) -> None:
    bump(facility)  # every process's cached rates of this facility are stale from now on
    facility.funding_fee_cents = prices.funding_fee_cents
    facility.video_session_price_cents = prices.video_session_price_cents
    facility.offers_subscriptions = prices.offers_subscriptions
    facility.offers_single_call = prices.offers_single_call
    if prices.cash_maximum_cents is not None:
        facility.cash_maximum_cents = prices.cash_maximum_cents
    rates = {(r.kind, r.destination): r for r in facility.rates}
    for rate_in in prices.rates:
        existing = rates.get((rate_in.kind, rate_in.destination))
        if existing is None:
            session.add(Rate(facility_id=facility.id, kind=rate_in.kind,
                             destination=rate_in.destination,
                             cents_per_minute=rate_in.cents_per_minute))
        else:
            existing.cents_per_minute = rate_in.cents_per_minute
    listed = {p.id for p in prices.plans}
    for plan in facility.plans:
        if plan.id not in listed:
            plan.active = False  # kept: subscriptions may refer to it
    for plan_in in prices.plans:
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
