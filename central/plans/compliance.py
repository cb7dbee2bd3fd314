"""Compliance (rule 14): the check that refuses a facility's rates, fees and plans when they
break the active rule set (:mod:`central.kernel.rules`), naming the rule.

Rule ids are ``{set id}/{rule}``: ``audio-rate-cap``, ``video-rate-cap``,
``ancillary-fee-ban``, ``plan-break-even``, ``max-period``. Usage beyond an allotment is billed
at the facility's per-minute rates, so the rate caps also cap overage.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from central.kernel.facilities import CallKind, Destination, Facility, PlanKind, SizeTier
from central.kernel.problems import ProblemError
from central.kernel.rules import RuleSet


@dataclass(frozen=True)
class RateConfig:
    kind: CallKind
    destination: Destination
    cents_per_minute: int


@dataclass(frozen=True)
class PlanConfig:
    id: str
    kind: PlanKind
    price_cents: int
    allotment: int | None
    period_months: int = 1


@dataclass(frozen=True)
class FacilityConfig:
    """What the rules look at: a facility's tier, fee, rates and active plans."""

    size_tier: SizeTier
    funding_fee_cents: int
    rates: list[RateConfig] = field(default_factory=list)
    plans: list[PlanConfig] = field(default_factory=list)
    video_session_price_cents: int = 0  # pay-per-session video; 0 when not sold


@dataclass(frozen=True)
class Violation:
    rule_id: str
    message: str
    field: str | None = None


BUNDLE_RULE = "lobby/video-bundle-below-per-session"


def _plan_cap_kind(kind: PlanKind) -> CallKind:
    return CallKind.AUDIO if kind is PlanKind.CALL else CallKind.VIDEO


def violations(rules: RuleSet, config: FacilityConfig) -> list[Violation]:
    """Every rule the configuration breaks (empty when it complies)."""
    found: list[Violation] = []
    for index, rate in enumerate(config.rates):
        if rate.destination not in rules.capped_destinations:
            continue
        cap = rules.cap(rate.kind, config.size_tier)
        if rate.cents_per_minute > cap:
            found.append(Violation(
                f"{rules.id}/{rate.kind.value}-rate-cap",
                f"{rate.kind.value} {rate.destination.value} rate {rate.cents_per_minute}c/min "
                f"is above the {cap}c/min cap for {config.size_tier.value}",
                f"rates.{index}.cents_per_minute",
            ))
    if rules.ancillary_fees_banned and config.funding_fee_cents != 0:
        found.append(Violation(
            f"{rules.id}/ancillary-fee-ban",
            "ancillary fees are banned: the funding fee must be 0",
            "funding_fee_cents",
        ))
    for index, plan in enumerate(config.plans):
        if plan.period_months > rules.max_period_months:
            found.append(Violation(
                f"{rules.id}/max-period",
                f"plan {plan.id} lasts {plan.period_months} months; at most "
                f"{rules.max_period_months}",
                f"plans.{index}.period_months",
            ))
        cap = rules.cap(_plan_cap_kind(plan.kind), config.size_tier)
        minutes = rules.call_minutes if plan.kind is PlanKind.CALL else rules.video_session_minutes
        units = plan.allotment if plan.allotment is not None else (
            rules.sessions_per_month_unlimited
        )
        # price / (units x minutes) <= cap, kept in integers.
        if units <= 0 or plan.price_cents > cap * units * minutes:
            found.append(Violation(
                f"{rules.id}/plan-break-even",
                f"plan {plan.id} costs {plan.price_cents}c for {units} x {minutes} min: above "
                f"the {cap}c/min cap",
                f"plans.{index}.price_cents",
            ))
        # Rule 3 (a product rule in every jurisdiction): a bundle's sessions cost less
        # than paying per session, or the bundle is no offer at all.
        if (plan.kind is PlanKind.VIDEO_BUNDLE and plan.allotment
                and config.video_session_price_cents > 0
                and plan.price_cents >= plan.allotment * config.video_session_price_cents):
            found.append(Violation(
                BUNDLE_RULE,
                f"plan {plan.id}: {plan.allotment} sessions for {plan.price_cents}c is no "
                f"cheaper than {config.video_session_price_cents}c per session",
                f"plans.{index}.price_cents",
            ))
    return found


def check(rules: RuleSet, config: FacilityConfig) -> None:
    """Raise a 422 ``compliance_violation`` naming the first rule broken."""
    broken = violations(rules, config)
    if broken:
        first = broken[0]
        raise ProblemError(
            422,
            "compliance_violation",
            "This configuration breaks a compliance rule",
            f"{first.rule_id}: {first.message}",
            field=first.field,
            rule=first.rule_id,
        )


def facility_config(facility: Facility) -> FacilityConfig:
    return FacilityConfig(
        size_tier=facility.size_tier,
        funding_fee_cents=facility.funding_fee_cents,
        rates=[RateConfig(r.kind, r.destination, r.cents_per_minute) for r in facility.rates],
        plans=[PlanConfig(p.id, p.kind, p.price_cents, p.allotment)
               for p in facility.plans if p.active],
        video_session_price_cents=facility.video_session_price_cents,
    )
