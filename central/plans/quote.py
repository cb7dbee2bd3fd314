"""What may be bought, and at what price (rules 1, 3, 8, 14): the plans a family may buy, the
quote with its period and the no-refund terms, and the price checks a charge needs first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from central.identity.models import Account, LinkedResident
from central.kernel.facilities import Destination, Facility, Plan, PlanKind
from central.kernel.problems import ProblemError
from central.plans.models import RenewalMode, Service
from central.plans.periods import boundary
from central.plans.wording import coverage_text, language_from, plan_name, terms_text

TERMS_VERSION = "no-refund-2026-01"


def service_of(kind: PlanKind) -> Service:
    return Service.CALLS if kind is PlanKind.CALL else Service.VIDEO


def language_of(account: Account) -> str:
    """The account's own language, when it has a catalog; else the source language."""
    return language_from(account.language)


def plan_not_offered(detail: str) -> ProblemError:
    return ProblemError(422, "plan_not_offered", "This plan is not offered to this account",
                        detail, field="plan_id")


def offered_plan(session: Session, account_id: str, plan_id: str) -> tuple[Plan, Facility]:
    """Rule 1: an active plan of a participating facility the account is linked to."""
    plan = session.get(Plan, plan_id)
    if plan is None or not plan.active:
        raise plan_not_offered("No such plan is on sale.")
    facility = session.get_one(Facility, plan.facility_id)
    if not facility.offers_subscriptions:
        raise plan_not_offered(f"{facility.name} does not take part in subscriptions.")
    linked = session.execute(
        select(LinkedResident.id).where(LinkedResident.account_id == account_id,
                                        LinkedResident.facility_id == facility.id)
    ).first()
    if linked is None:
        raise plan_not_offered(f"The account has no loved one linked at {facility.name}.")
    return plan, facility


@dataclass(frozen=True)
class SubscriptionQuote:
    plan_id: str
    plan_name: str  # in ``language``
    plan_kind: PlanKind
    service: Service
    facility_id: str
    facility_name: str
    timezone: str
    price_cents: int
    allotment: int | None
    renewal_mode: RenewalMode
    period_start: datetime
    period_end: datetime
    language: str

    @property
    def covered_destinations(self) -> list[Destination]:
        return [Destination.IN_STATE] if self.plan_kind is PlanKind.CALL else []

    @property
    def coverage(self) -> str:
        return coverage_text(self.plan_kind, self.allotment, self.language)

    @property
    def terms_text(self) -> str:
        return terms_text(self.language)


def purchase_start(now: datetime) -> datetime:
    """A new subscription's anchor: the purchase time in whole seconds, so that every renewal
    key written from it is the same text on every run."""
    return now.replace(microsecond=0)


def quote_subscription(
    session: Session, account_id: str, plan_id: str, renewal_mode: RenewalMode, now: datetime,
    language: str | None = None,
) -> SubscriptionQuote:
    """The quote in ``language`` (the kiosk's screen, from Accept-Language), else in the
    account's own language."""
    plan, facility = offered_plan(session, account_id, plan_id)
    require_price(plan.price_cents)
    account = session.get_one(Account, account_id)
    start = purchase_start(now)
    language = language or language_of(account)
    return SubscriptionQuote(
        plan_id=plan.id, plan_name=plan_name(plan.name, plan.kind, plan.allotment, language),
        plan_kind=plan.kind, service=service_of(plan.kind),
        facility_id=facility.id, facility_name=facility.name, timezone=facility.timezone,
        price_cents=plan.price_cents, allotment=plan.allotment, renewal_mode=renewal_mode,
        period_start=start, period_end=boundary(start, 1, facility.timezone),
        language=language,
    )


def require_price(price_cents: int) -> None:
    """A plan is sold for 1 c or more: the price list refuses less, but a price stored before
    it did is refused here with a clear 422 instead of reaching the gateway (which charges
    positive amounts only) as a 500."""
    if price_cents < 1:
        raise ProblemError(422, "plan_price_invalid", "This plan has no valid price",
                           "It cannot be bought until a supervisor sets a price of 1 cent "
                           "or more.", field="plan_id")
