"""Plan advisor routes (rule 15): what each option would have cost the family, from their last
complete periods of rated calls or from their own estimate, cheapest recommended. The
handlers are :mod:`central.calls.advice`."""

from __future__ import annotations

from fastapi import APIRouter

from central.api.deps import OwnedAccountId, Services
from central.calls import advice as advisor
from central.calls.advice import AdviseFromEstimate, AdviseFromHistory
from central.kernel.problems import problems
from central.plans.advisor import UsageEstimate
from central.plans.schemas import AdviceOut, UsageEstimateIn

router = APIRouter(prefix="/v1/accounts/{account_id}/advisor", tags=["plan advisor"])


@router.get("", response_model=AdviceOut, responses=problems(401, 403, 409))
def advice_from_history(account_id: OwnedAccountId, services: Services) -> AdviceOut:
    """Price every option against the family's last (up to 3) complete periods of rated
    calls to their phone from their loved one's facility. 409 ``no_usage_history`` until a
    first period is complete: send an estimate with POST instead."""
    return advisor.advice_from_history(AdviseFromHistory(account_id), services)


@router.post("", response_model=AdviceOut, responses=problems(400, 401, 403, 409, 422))
def advice_from_estimate(
    body: UsageEstimateIn, account_id: OwnedAccountId, services: Services
) -> AdviceOut:
    """Price every option against the family's own estimate of a month's usage. Nothing is
    stored or bought."""
    return advisor.advice_from_estimate(AdviseFromEstimate(account_id, UsageEstimate(
        calls_per_month=body.calls_per_month, average_minutes=body.average_minutes,
        video_sessions_per_month=body.video_sessions_per_month,
        interstate_calls_per_month=body.interstate_calls_per_month,
        international_calls_per_month=body.international_calls_per_month,
    )), services)
