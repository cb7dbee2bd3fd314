"""Rule 14: rule sets as data; the server refuses facility and plan configurations that break
the active set, naming the rule; the demo seed complies."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

import central.seed as seed
from central.db.engine import Database
from central.kernel.facilities import CallKind, Destination, Facility, PlanKind, SizeTier
from central.kernel.problems import ProblemError
from central.kernel.rules import active_rule_set
from central.plans.compliance import (
    FacilityConfig,
    PlanConfig,
    RateConfig,
    check,
    facility_config,
    violations,
)

NOW = datetime(2026, 1, 15, tzinfo=UTC)
RULES = active_rule_set("US", NOW)
TIERS = list(SizeTier)
AUDIO_CAPS = [11, 10, 12, 13, 15, 19]  # docs/billing-rules.md rule 14, in SizeTier order
VIDEO_CAPS = [25, 19, 19, 21, 25, 44]


def config(tier: SizeTier = SizeTier.JAIL_1000_PLUS, audio: int = 9, video: int = 19,
           fee: int = 0, plans: list[PlanConfig] | None = None) -> FacilityConfig:
    return FacilityConfig(
        size_tier=tier, funding_fee_cents=fee,
        rates=[RateConfig(kind, destination, audio if kind is CallKind.AUDIO else video)
               for kind in CallKind for destination in Destination],
        plans=plans or [],
    )


def broken(cfg: FacilityConfig) -> list[str]:
    return [v.rule_id for v in violations(RULES, cfg)]


@pytest.mark.parametrize(("tier", "audio", "video"),
                         list(zip(TIERS, AUDIO_CAPS, VIDEO_CAPS, strict=True)))
def test_rates_at_the_cap_pass_and_one_cent_over_fails(
    tier: SizeTier, audio: int, video: int
) -> None:
    assert broken(config(tier, audio, video)) == []
    assert set(broken(config(tier, audio + 1, video))) == {"US-2025/audio-rate-cap"}
    assert set(broken(config(tier, audio, video + 1))) == {"US-2025/video-rate-cap"}


def test_funding_fee_is_banned() -> None:
    assert broken(config(fee=1)) == ["US-2025/ancillary-fee-ban"]


def test_plan_break_even_at_or_below_the_cap() -> None:
    # 100 calls x 15 min x 10c cap = 15000c: the most a 100-call plan may cost at this tier.
    at_cap = PlanConfig("p", PlanKind.CALL, 15_000, 100)
    assert broken(config(plans=[at_cap])) == []
    over = PlanConfig("p", PlanKind.CALL, 15_001, 100)
    assert broken(config(plans=[over])) == ["US-2025/plan-break-even"]
    # Video: 8 sessions x 20 min x 19c = 3040c.
    assert broken(config(plans=[PlanConfig("v", PlanKind.VIDEO_BUNDLE, 3040, 8)])) == []
    assert broken(config(plans=[PlanConfig("v", PlanKind.VIDEO_BUNDLE, 3041, 8)])) == [
        "US-2025/plan-break-even"]
    # Unlimited: priced against 30 sessions x 20 min x 19c = 11400c.
    assert broken(config(plans=[PlanConfig("u", PlanKind.VIDEO_UNLIMITED, 11_400, None)])) == []
    assert broken(config(plans=[PlanConfig("u", PlanKind.VIDEO_UNLIMITED, 11_401, None)])) == [
        "US-2025/plan-break-even"]


def test_periods_are_at_most_one_month() -> None:
    long = PlanConfig("p", PlanKind.CALL, 3999, 100, period_months=2)
    assert broken(config(plans=[long])) == ["US-2025/max-period"]


def test_check_names_the_rule() -> None:
    with pytest.raises(ProblemError) as refused:
        check(RULES, config(audio=50))
    problem = refused.value.problem
    assert (problem.status, problem.code, problem.rule) == (
        422, "compliance_violation", "US-2025/audio-rate-cap")
    assert problem.detail and problem.detail.startswith("US-2025/audio-rate-cap")


def test_unknown_jurisdiction_has_no_rule_set() -> None:
    with pytest.raises(ProblemError) as refused:
        active_rule_set("XX", NOW)
    assert refused.value.problem.code == "rule_set_unknown"
    with pytest.raises(ProblemError):
        active_rule_set("US", datetime(2024, 6, 1, tzinfo=UTC))


def test_demo_seed_complies(seeded_url: str) -> None:
    db = Database(seeded_url)
    with db.transaction() as session:
        facilities = list(session.execute(select(Facility)).scalars())
        assert facilities
        for facility in facilities:
            assert violations(RULES, facility_config(facility)) == [], facility.id
    db.dispose()


def test_seed_refuses_a_facility_over_the_cap(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = [(*row[:7], 50, *row[8:]) for row in seed._FACILITIES]
    monkeypatch.setattr(seed, "_FACILITIES", bad)
    db = Database(database_url)
    with pytest.raises(ProblemError) as refused:
        seed.seed_demo(db)
    assert refused.value.problem.rule == "US-2025/audio-rate-cap"
    with db.transaction() as session:
        assert session.execute(select(Facility.id)).first() is None
    db.dispose()


URL = "/v1/admin/facilities/harbor-county-jail/pricing"


def pricing(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "funding_fee_cents": 0, "video_session_price_cents": 380,
        "offers_subscriptions": True, "offers_single_call": True,
        "rates": [{"kind": kind.value, "destination": d.value,
                   "cents_per_minute": 8 if kind is CallKind.AUDIO else 18}
                  for kind in CallKind for d in Destination],
        "plans": [
            {"id": "harbor-county-jail:call-100", "kind": "call",
             "name": "Call Subscription - 100 calls", "price_cents": 3499, "allotment": 100},
            {"id": "harbor-county-jail:video-unlimited", "kind": "video_unlimited",
             "name": "Video Subscription - unlimited", "price_cents": 4999, "allotment": None},
        ],
    }
    body.update(changes)
    return body


def test_supervisor_updates_prices_within_the_rules(
    kiosk_api: TestClient, supervisor_headers: dict[str, str]
) -> None:
    response = kiosk_api.put(URL, json=pricing(), headers=supervisor_headers)
    assert response.status_code == 200, response.text
    detail = kiosk_api.get("/v1/facilities/harbor-county-jail").json()
    assert {r["cents_per_minute"] for r in detail["rates"] if r["kind"] == "audio"} == {8}
    plans = {p["id"]: p for p in detail["plans"]}
    assert plans["harbor-county-jail:call-100"]["price_cents"] == 3499
    assert "harbor-county-jail:video-8" not in plans  # left out: deactivated


@pytest.mark.parametrize(
    ("changes", "rule", "field"),
    [
        ({"funding_fee_cents": 100}, "US-2025/ancillary-fee-ban", "funding_fee_cents"),
        ({"rates": [{"kind": "audio", "destination": "interstate", "cents_per_minute": 11}]},
         "US-2025/audio-rate-cap", "rates.0.cents_per_minute"),
        ({"rates": [{"kind": "video", "destination": "in_state", "cents_per_minute": 20}]},
         "US-2025/video-rate-cap", "rates.0.cents_per_minute"),
        ({"plans": [{"id": "x", "kind": "call", "name": "Pricey", "price_cents": 20000,
                     "allotment": 100}]}, "US-2025/plan-break-even", "plans.0.price_cents"),
        ({"plans": [{"id": "x", "kind": "call", "name": "Long", "price_cents": 3999,
                     "allotment": 100, "period_months": 3}]},
         "US-2025/max-period", "plans.0.period_months"),
    ],
)
def test_admin_refuses_what_breaks_the_rules_and_writes_nothing(
    kiosk_api: TestClient, supervisor_headers: dict[str, str], changes: dict[str, Any],
    rule: str, field: str,
) -> None:
    before = kiosk_api.get("/v1/facilities/harbor-county-jail").json()
    response = kiosk_api.put(URL, json=pricing(**changes), headers=supervisor_headers)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert (problem["code"], problem["rule"], problem["field"]) == (
        "compliance_violation", rule, field)
    assert rule in problem["detail"]
    assert kiosk_api.get("/v1/facilities/harbor-county-jail").json() == before


def test_admin_input_errors(kiosk_api: TestClient, supervisor_headers: dict[str, str]) -> None:
    twice = pricing(rates=[{"kind": "audio", "destination": "in_state", "cents_per_minute": 5}] * 2)
    response = kiosk_api.put(URL, json=twice, headers=supervisor_headers)
    assert response.status_code == 422 and response.json()["code"] == "rate_duplicated"
    unlimited_count = pricing(plans=[{"id": "u", "kind": "video_unlimited", "name": "U",
                                      "price_cents": 100, "allotment": 5}])
    response = kiosk_api.put(URL, json=unlimited_count, headers=supervisor_headers)
    assert response.json()["code"] == "plan_allotment_invalid"
    taken = pricing(plans=[{"id": "mesa-valley-detention:call-100", "kind": "call",
                            "name": "C", "price_cents": 100, "allotment": 100}])
    response = kiosk_api.put(URL, json=taken, headers=supervisor_headers)
    assert response.status_code == 409 and response.json()["code"] == "plan_id_taken"
    missing = kiosk_api.put("/v1/admin/facilities/nowhere/pricing", json=pricing(),
                            headers=supervisor_headers)
    assert missing.status_code == 404


def test_rule3_a_video_bundle_must_cost_less_than_paying_per_session() -> None:
    def with_bundle(price_cents: int) -> FacilityConfig:
        return replace(config(plans=[PlanConfig("v8", PlanKind.VIDEO_BUNDLE, price_cents, 8)]),
                       video_session_price_cents=380)

    assert "lobby/video-bundle-below-per-session" not in broken(with_bundle(8 * 380 - 1))
    assert "lobby/video-bundle-below-per-session" in broken(with_bundle(8 * 380))
    assert "lobby/video-bundle-below-per-session" in broken(with_bundle(8 * 380 + 500))
