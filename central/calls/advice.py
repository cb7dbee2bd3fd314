"""The plan advisor's handlers (rule 15): what each option would have cost the family, from
their last complete periods of rated calls (calls' usage, hence here, above plans) or from
their own estimate, cheapest recommended. The pricing itself is
:mod:`central.plans.advisor`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from central.calls.rating import usage_between
from central.identity.models import Account
from central.kernel.facilities import CallKind, Facility
from central.kernel.ports import UnitOfWork
from central.kernel.problems import ProblemError
from central.money.advance_connect import home_facility
from central.plans.advisor import (
    Advice,
    FacilityPricing,
    InvalidUsageError,
    MissingRateError,
    PlanOffer,
    UsageEstimate,
    UsagePeriod,
    advise,
)
from central.plans.periods import Period, period_containing, periods_from
from central.plans.schemas import AdviceOut

HISTORY_PERIODS = 3


def facility_pricing(session: Session, facility_id: str) -> FacilityPricing:
    """The facility's audio rates, video session price, and plans: none where it does not
    take part in subscriptions (rule 1)."""
    facility = session.execute(
        select(Facility).where(Facility.id == facility_id)
        .options(selectinload(Facility.rates), selectinload(Facility.plans))
    ).scalar_one()
    plans = [
        PlanOffer(id=p.id, name=p.name, kind=p.kind, price_cents=p.price_cents,
                  allotment=p.allotment)
        for p in facility.plans if p.active
    ] if facility.offers_subscriptions else []
    return FacilityPricing(
        audio_cents_per_minute={r.destination: r.cents_per_minute for r in facility.rates
                                if r.kind is CallKind.AUDIO},
        video_session_price_cents=facility.video_session_price_cents,
        plans=plans,
    )


def history_periods(account: Account, tz: str, now: datetime) -> list[Period]:
    """The account's last complete periods (anniversary months from sign-up, in the
    facility's time zone, like a subscription's), at most ``HISTORY_PERIODS``."""
    if now <= account.created_at:
        return []
    current = period_containing(account.created_at, now, tz)
    return periods_from(account.created_at, current.index, tz)[-HISTORY_PERIODS:]


def _priced(pricing: FacilityPricing, usage: Sequence[UsagePeriod] | UsageEstimate) -> Advice:
    try:
        return advise(pricing, usage)
    except MissingRateError as exc:
        raise ProblemError(409, "rate_missing", "The facility has no rate for some calls",
                           str(exc)) from None
    except InvalidUsageError as exc:
        raise ProblemError(422, "usage_invalid", "This usage cannot be priced", str(exc),
                           field="average_minutes") from None


@dataclass(frozen=True)
class AdviseFromHistory:
    account_id: str


def advice_from_history(command: AdviseFromHistory, ports: UnitOfWork) -> AdviceOut:
    """Price every option against the last (up to 3) complete periods of rated calls to the
    family's phone from their loved one's facility; 409 ``no_usage_history`` before the
    first one is complete."""
    with ports.db.transaction() as session:
        account = session.get_one(Account, command.account_id)
        facility = home_facility(session, command.account_id)
        periods = history_periods(account, facility.timezone, ports.clock.now())
        if not periods:
            raise ProblemError(409, "no_usage_history", "There is no complete period of usage yet",
                               "Send your own estimate instead (POST).")
        usage = [
            usage_between(session, account.phone, facility.id, p.start, p.end) for p in periods
        ]
        advice = _priced(facility_pricing(session, facility.id), [
            UsagePeriod(call_minutes=u.call_minutes, video_sessions=u.video_sessions)
            for u in usage
        ])
        return AdviceOut.of(facility.id, advice, periods)


@dataclass(frozen=True)
class AdviseFromEstimate:
    account_id: str
    estimate: UsageEstimate


def advice_from_estimate(command: AdviseFromEstimate, ports: UnitOfWork) -> AdviceOut:
    """Price every option against the family's own estimate; nothing is stored."""
    with ports.db.transaction() as session:
        facility = home_facility(session, command.account_id)
        advice = _priced(facility_pricing(session, facility.id), command.estimate)
        return AdviceOut.of(facility.id, advice, [])
