"""Compliance rule sets (rule 14): versioned data per jurisdiction (``rulesets/*.json``), the
set in force on a day, and the funding fee it allows. In the kernel because money (the
deposit fee), plans (prices) and calls (rate caps) all answer to them; checking a
facility's whole offer against a set is :mod:`central.plans.compliance`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any

from central.kernel.facilities import CallKind, Destination, Facility, SizeTier
from central.kernel.problems import ProblemError


@dataclass(frozen=True)
class RuleSet:
    id: str
    jurisdiction: str
    version: int
    effective_from: date
    rate_caps: dict[CallKind, dict[SizeTier, int]]
    capped_destinations: frozenset[Destination]
    ancillary_fees_banned: bool
    max_period_months: int
    call_minutes: int
    video_session_minutes: int
    sessions_per_month_unlimited: int

    def cap(self, kind: CallKind, tier: SizeTier) -> int:
        return self.rate_caps[kind][tier]


def _parse(raw: dict[str, Any]) -> RuleSet:
    caps = raw["rate_caps_cents_per_minute"]
    return RuleSet(
        id=raw["id"],
        jurisdiction=raw["jurisdiction"],
        version=int(raw["version"]),
        effective_from=date.fromisoformat(raw["effective_from"]),
        rate_caps={
            CallKind(kind): {SizeTier(tier): int(c) for tier, c in by_tier.items()}
            for kind, by_tier in caps.items()
        },
        capped_destinations=frozenset(Destination(d) for d in raw["capped_destinations"]),
        ancillary_fees_banned=bool(raw["ancillary_fees_banned"]),
        max_period_months=int(raw["max_period_months"]),
        call_minutes=int(raw["break_even"]["call_minutes"]),
        video_session_minutes=int(raw["break_even"]["video_session_minutes"]),
        sessions_per_month_unlimited=int(raw["break_even"]["sessions_per_month_unlimited"]),
    )


@cache
def rule_sets() -> tuple[RuleSet, ...]:
    """Every rule set shipped in ``central/kernel/rulesets/*.json``."""
    folder = resources.files("central.kernel") / "rulesets"
    loaded = [
        _parse(json.loads(item.read_text(encoding="utf-8")))
        for item in folder.iterdir()
        if item.name.endswith(".json")
    ]
    return tuple(sorted(loaded, key=lambda r: (r.jurisdiction, r.effective_from)))


def active_rule_set(jurisdiction: str, as_of: datetime) -> RuleSet:
    """The newest set of the jurisdiction in force on ``as_of``."""
    candidates = [
        r for r in rule_sets()
        if r.jurisdiction == jurisdiction and r.effective_from <= as_of.date()
    ]
    if not candidates:
        raise ProblemError(422, "rule_set_unknown",
                           "No compliance rule set for this jurisdiction",
                           f"Jurisdiction {jurisdiction!r}", field="jurisdiction")
    return candidates[-1]


def effective_funding_fee(facility: Facility, as_of: datetime) -> int:
    """The fee a deposit carries: forced to 0 where the active rule set bans ancillary fees."""
    rules = active_rule_set(facility.jurisdiction, as_of)
    return 0 if rules.ancillary_fees_banned else facility.funding_fee_cents
