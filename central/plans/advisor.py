"""The plan advisor (rule 15): what each option would have cost a family per period, from
their recent usage or their own estimate, and an honest recommendation of the cheapest.

Options are "no subscription" (AdvanceConnect per started minute, video per session), each
call plan, each video plan, and each pair of one call plan and one video plan. Everything is
integer cents; the only rounding is the per-period average shown, never the comparison.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from central.kernel.facilities import Destination, PlanKind

NO_SUBSCRIPTION_ID = "none"

Basis = Literal["history", "estimate"]


class MissingRateError(ValueError):
    """Usage includes calls to a destination the facility has no per-minute rate for."""

    def __init__(self, destination: Destination) -> None:
        super().__init__(f"the facility has no audio rate for {destination.value} calls")
        self.destination = destination


class InvalidUsageError(ValueError):
    """Usage that cannot be priced: no periods, a negative count, a call under one minute."""


@dataclass(frozen=True)
class PlanOffer:
    """A plan the facility offers. ``allotment`` None means unlimited."""

    id: str
    name: str
    kind: PlanKind
    price_cents: int
    allotment: int | None


@dataclass(frozen=True)
class FacilityPricing:
    """What a facility charges: audio per started minute by destination, video per session,
    and the plans it offers (pass none where it does not take part, rule 1)."""

    audio_cents_per_minute: Mapping[Destination, int]
    video_session_price_cents: int
    plans: Sequence[PlanOffer] = ()


@dataclass(frozen=True)
class UsagePeriod:
    """One past period: each call's started minutes, in the order the calls happened, by
    destination; and the number of video sessions."""

    call_minutes: Mapping[Destination, Sequence[int]] = field(default_factory=dict)
    video_sessions: int = 0


@dataclass(frozen=True)
class UsageEstimate:
    """The family's own guess for a month. Minutes are whole started minutes per call."""

    calls_per_month: int
    average_minutes: int
    video_sessions_per_month: int = 0
    interstate_calls_per_month: int = 0
    international_calls_per_month: int = 0

    def as_period(self) -> UsagePeriod:
        calls = {
            Destination.IN_STATE: self.calls_per_month,
            Destination.INTERSTATE: self.interstate_calls_per_month,
            Destination.INTERNATIONAL: self.international_calls_per_month,
        }
        for destination, count in calls.items():
            if count < 0:
                raise InvalidUsageError(f"a negative number of {destination.value} calls")
        if any(calls.values()) and self.average_minutes < 1:
            raise InvalidUsageError("an average call lasts at least one started minute")
        return UsagePeriod(
            call_minutes={d: [self.average_minutes] * n for d, n in calls.items() if n},
            video_sessions=self.video_sessions_per_month,
        )


@dataclass(frozen=True)
class CostBreakdown:
    """Totals over all the periods considered (not averages)."""

    plan_price_cents: int = 0
    covered_calls: int = 0
    covered_call_minutes: int = 0
    pay_per_minute_calls: int = 0
    pay_per_minute_minutes: int = 0
    pay_per_minute_cents: int = 0
    covered_video_sessions: int = 0
    pay_per_session_sessions: int = 0
    pay_per_session_cents: int = 0

    @property
    def total_cents(self) -> int:
        return self.plan_price_cents + self.pay_per_minute_cents + self.pay_per_session_cents

    def __add__(self, other: CostBreakdown) -> CostBreakdown:
        return CostBreakdown(
            plan_price_cents=self.plan_price_cents + other.plan_price_cents,
            covered_calls=self.covered_calls + other.covered_calls,
            covered_call_minutes=self.covered_call_minutes + other.covered_call_minutes,
            pay_per_minute_calls=self.pay_per_minute_calls + other.pay_per_minute_calls,
            pay_per_minute_minutes=self.pay_per_minute_minutes + other.pay_per_minute_minutes,
            pay_per_minute_cents=self.pay_per_minute_cents + other.pay_per_minute_cents,
            covered_video_sessions=self.covered_video_sessions + other.covered_video_sessions,
            pay_per_session_sessions=(
                self.pay_per_session_sessions + other.pay_per_session_sessions
            ),
            pay_per_session_cents=self.pay_per_session_cents + other.pay_per_session_cents,
        )


@dataclass(frozen=True)
class AdvisorOption:
    """One way the family could have paid. ``monthly_cost_cents`` is the per-period average
    rounded half up; ``total_cost_cents`` over ``periods`` is what the comparison uses."""

    option_id: str
    label: str
    plan_ids: tuple[str, ...]
    monthly_cost_cents: int
    total_cost_cents: int
    periods: int
    monthly_savings_cents: int
    breakdown: CostBreakdown
    is_recommended: bool = False


@dataclass(frozen=True)
class Advice:
    basis: Basis
    periods: int
    options: tuple[AdvisorOption, ...]

    @property
    def recommended(self) -> AdvisorOption:
        return next(option for option in self.options if option.is_recommended)


def _average(total: int, periods: int) -> int:
    """total / periods rounded half up, in integers."""
    return (2 * total + periods) // (2 * periods)


def _rate(pricing: FacilityPricing, destination: Destination) -> int:
    try:
        return pricing.audio_cents_per_minute[destination]
    except KeyError:
        raise MissingRateError(destination) from None


def _check(period: UsagePeriod) -> None:
    if period.video_sessions < 0:
        raise InvalidUsageError("a negative number of video sessions")
    for destination, minutes in period.call_minutes.items():
        if any(m < 1 for m in minutes):
            raise InvalidUsageError(
                f"every {destination.value} call lasts at least one started minute"
            )


def _calls_cost(
    pricing: FacilityPricing, period: UsagePeriod, call_plan: PlanOffer | None
) -> CostBreakdown:
    covered_calls = covered_minutes = paid_calls = paid_minutes = paid_cents = 0
    # The allotment covers in-state calls in the order they happen, any length (rule 2).
    # Interstate and international calls are never covered (rule 11).
    remaining: int | None = 0
    if call_plan is not None:
        remaining = call_plan.allotment
    for destination, minutes in period.call_minutes.items():
        for call in minutes:
            if destination is Destination.IN_STATE and (remaining is None or remaining > 0):
                covered_calls += 1
                covered_minutes += call
                if remaining is not None:
                    remaining -= 1
            else:
                paid_calls += 1
                paid_minutes += call
                paid_cents += call * _rate(pricing, destination)
    return CostBreakdown(
        plan_price_cents=call_plan.price_cents if call_plan else 0,
        covered_calls=covered_calls,
        covered_call_minutes=covered_minutes,
        pay_per_minute_calls=paid_calls,
        pay_per_minute_minutes=paid_minutes,
        pay_per_minute_cents=paid_cents,
    )


def _video_cost(
    pricing: FacilityPricing, period: UsagePeriod, video_plan: PlanOffer | None
) -> CostBreakdown:
    sessions = period.video_sessions
    if video_plan is None:
        covered = 0
    elif video_plan.kind is PlanKind.VIDEO_UNLIMITED or video_plan.allotment is None:
        covered = sessions
    else:
        covered = min(sessions, video_plan.allotment)
    paid = sessions - covered
    return CostBreakdown(
        plan_price_cents=video_plan.price_cents if video_plan else 0,
        covered_video_sessions=covered,
        pay_per_session_sessions=paid,
        pay_per_session_cents=paid * pricing.video_session_price_cents,
    )


def _option_cost(
    pricing: FacilityPricing,
    usage: Sequence[UsagePeriod],
    call_plan: PlanOffer | None,
    video_plan: PlanOffer | None,
) -> CostBreakdown:
    total = CostBreakdown()
    for period in usage:
        total = (
            total
            + _calls_cost(pricing, period, call_plan)
            + _video_cost(pricing, period, video_plan)
        )
    return total


def advise(
    pricing: FacilityPricing,
    usage: Sequence[UsagePeriod] | UsageEstimate,
) -> Advice:
    """Price every option against ``usage`` (complete past periods, most recent last, or an
    estimate) and mark the cheapest as recommended.

    Ties go to the option with the least commitment: no subscription first, then a single
    plan, then a pair; among equals the lower plan price, then the option id, so the answer
    is deterministic.
    """
    basis: Basis
    if isinstance(usage, UsageEstimate):
        periods = [usage.as_period()]
        basis = "estimate"
    else:
        periods = list(usage)
        basis = "history"
    if not periods:
        raise InvalidUsageError("the advisor needs at least one period of usage")
    for period in periods:
        _check(period)

    call_plans = [p for p in pricing.plans if p.kind is PlanKind.CALL]
    video_plans = [p for p in pricing.plans if p.kind is not PlanKind.CALL]
    combinations: list[tuple[PlanOffer | None, PlanOffer | None]] = [(None, None)]
    combinations += [(c, None) for c in call_plans]
    combinations += [(None, v) for v in video_plans]
    combinations += [(c, v) for c in call_plans for v in video_plans]

    priced = [
        (call, video, _option_cost(pricing, periods, call, video)) for call, video in combinations
    ]
    n = len(periods)
    baseline = priced[0][2].total_cents

    def commitment(
        entry: tuple[PlanOffer | None, PlanOffer | None, CostBreakdown],
    ) -> tuple[int, int, int, str]:
        call, video, cost = entry
        chosen = [p for p in (call, video) if p is not None]
        return (
            cost.total_cents,
            len(chosen),
            sum(p.price_cents for p in chosen),
            _option_id(chosen),
        )

    best = min(priced, key=commitment)
    options: list[AdvisorOption] = []
    for entry in priced:
        call, video, cost = entry
        chosen = [p for p in (call, video) if p is not None]
        options.append(
            AdvisorOption(
                option_id=_option_id(chosen),
                label=_label(chosen),
                plan_ids=tuple(p.id for p in chosen),
                monthly_cost_cents=_average(cost.total_cents, n),
                total_cost_cents=cost.total_cents,
                periods=n,
                monthly_savings_cents=_average(baseline - cost.total_cents, n),
                breakdown=cost,
                is_recommended=entry is best,
            )
        )
    return Advice(basis=basis, periods=n, options=tuple(options))


def _option_id(chosen: Sequence[PlanOffer]) -> str:
    if not chosen:
        return NO_SUBSCRIPTION_ID
    return "plan:" + "+".join(p.id for p in chosen)


def _label(chosen: Sequence[PlanOffer]) -> str:
    """An English label; the kiosk words options itself from ``option_id``/``plan_ids``."""
    if not chosen:
        return "No subscription (pay as you go)"
    return " + ".join(p.name for p in chosen)
