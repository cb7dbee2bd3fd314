"""Plan advisor routes (rule 15): what each option would have cost the family, from their last
complete periods of rated calls or from their own estimate, cheapest recommended."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from fastapi import APIRouter
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from central.api.deps import OwnedAccountId, Services
from central.calls.models import CallKind
from central.calls.rating import usage_between
from central.identity.models import Account
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
from central.plans.models import Facility
from central.plans.periods import Period, period_containing, periods_from
from central.plans.schemas import (
    AdviceOut,
    AdvisorOptionOut,
    CostBreakdownOut,
    UsageEstimateIn,
    UsagePeriodOut,
)
from central.problems import ProblemError, problems

router = APIRouter(prefix="/v1/accounts/{account_id}/advisor", tags=["plan advisor"])

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


def _advice_out(facility_id: str, advice: Advice, periods: Sequence[Period]) -> AdviceOut:
    return AdviceOut(
        facility_id=facility_id, basis=advice.basis, periods=advice.periods,
        usage_periods=[UsagePeriodOut(start=p.start, end=p.end) for p in periods],
        recommended_option_id=advice.recommended.option_id,
        options=[
            AdvisorOptionOut(
                option_id=o.option_id, label=o.label, plan_ids=list(o.plan_ids),
                monthly_cost_cents=o.monthly_cost_cents, total_cost_cents=o.total_cost_cents,
                monthly_savings_cents=o.monthly_savings_cents, is_recommended=o.is_recommended,
                breakdown=CostBreakdownOut(
                    plan_price_cents=o.breakdown.plan_price_cents,
                    covered_calls=o.breakdown.covered_calls,
                    covered_call_minutes=o.breakdown.covered_call_minutes,
                    pay_per_minute_calls=o.breakdown.pay_per_minute_calls,
                    pay_per_minute_minutes=o.breakdown.pay_per_minute_minutes,
                    pay_per_minute_cents=o.breakdown.pay_per_minute_cents,
                    covered_video_sessions=o.breakdown.covered_video_sessions,
                    pay_per_session_sessions=o.breakdown.pay_per_session_sessions,
                    pay_per_session_cents=o.breakdown.pay_per_session_cents,
                    total_cents=o.breakdown.total_cents,
                ),
            )
            for o in advice.options
        ],
    )


@router.get("", response_model=AdviceOut, responses=problems(401, 403, 409))
def advice_from_history(account_id: OwnedAccountId, services: Services) -> AdviceOut:
    """Price every option against the family's last (up to 3) complete periods of rated
    calls to their phone from their loved one's facility. 409 ``no_usage_history`` until a
    first period is complete: send an estimate with POST instead."""
    with services.db.transaction() as session:
        account = session.get_one(Account, account_id)
        facility = home_facility(session, account_id)
        periods = history_periods(account, facility.timezone, services.clock.now())
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
        return _advice_out(facility.id, advice, periods)


@router.post("", response_model=AdviceOut, responses=problems(400, 401, 403, 409, 422))
def advice_from_estimate(
    body: UsageEstimateIn, account_id: OwnedAccountId, services: Services
) -> AdviceOut:
    """Price every option against the family's own estimate of a month's usage. Nothing is
    stored or bought."""
    estimate = UsageEstimate(
        calls_per_month=body.calls_per_month, average_minutes=body.average_minutes,
        video_sessions_per_month=body.video_sessions_per_month,
        interstate_calls_per_month=body.interstate_calls_per_month,
        international_calls_per_month=body.international_calls_per_month,
    )
    with services.db.transaction() as session:
        facility = home_facility(session, account_id)
        advice = _priced(facility_pricing(session, facility.id), estimate)
        return _advice_out(facility.id, advice, [])
