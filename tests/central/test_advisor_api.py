"""The plan advisor endpoint (rules 1 and 15): from the family's last complete periods of rated
calls, or from their own estimate, every option priced and the cheapest recommended."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from central.calls.models import Call, CallOutcome, CallStatus
from central.kernel.clock import ManualClock
from central.kernel.facilities import CallKind, Destination
from tests.central.family_support import PROBLEM, Family, open_family, sign_in
from tests.central.rating_support import HARBOR, PINE, ROSA_PHONE, authorized, fund, rate

CALL_PLAN = f"plan:{HARBOR}:call-100"

pytestmark = pytest.mark.usefixtures("call_platform")


def rated_calls(app: FastAPI, at: datetime, count: int, seconds: int, *,
                destination: Destination = Destination.IN_STATE,
                kind: CallKind = CallKind.AUDIO, phone: str = ROSA_PHONE) -> None:
    """Finished calls written straight to the calls table (rating has its own tests)."""
    with app.state.services.db.transaction() as session:
        for n in range(count):
            session.add(Call(
                facility_id=HARBOR, kind=kind, destination=destination, dialed_phone=phone,
                status=CallStatus.RATED, outcome=CallOutcome.CHARGED, cents_per_minute=9,
                authorized_at=at + timedelta(minutes=n), rated_at=at + timedelta(minutes=n),
                duration_seconds=seconds, billed_minutes=-(-seconds // 60), charged_cents=0,
            ))


def later(family: Family, clock: ManualClock, when: datetime) -> None:
    """Move the clock on; the family signs in again (sessions are short)."""
    clock.set(when)
    response = sign_in(family.api)
    assert response.status_code == 201, response.text
    family.token = response.json()["token"]


def test_history_is_needed_before_the_first_period_ends(family: Family) -> None:
    response = family.get("/advisor")
    assert response.status_code == 409 and response.headers["content-type"] == PROBLEM
    assert response.json()["code"] == "no_usage_history"


def test_rule15_advice_from_the_last_three_complete_periods(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    # Rosa signed up on 2026-01-15 17:00 UTC (11:00 in Chicago): periods run from the 15th.
    signed_up = clock.now()
    for month in range(4):
        start = datetime(2026, 1 + month, 16, 18, tzinfo=UTC)
        rated_calls(app, start, 50, 9 * 60 + 30)  # 50 ten-minute in-state calls
        rated_calls(app, start + timedelta(days=2), 2, 5 * 60,
                    destination=Destination.INTERSTATE)
        rated_calls(app, start + timedelta(days=3), 1, 20 * 60, kind=CallKind.VIDEO)
        rated_calls(app, start + timedelta(days=4), 3, 0)  # never connected: not usage
    rated_calls(app, signed_up - timedelta(days=1), 40, 600)  # before the account existed
    rated_calls(app, datetime(2026, 5, 16, 18, tzinfo=UTC), 90, 600)  # the current period
    rated_calls(app, datetime(2026, 3, 1, tzinfo=UTC), 30, 600, phone="+17135550100")
    later(family, clock, datetime(2026, 5, 20, tzinfo=UTC))

    response = family.get("/advisor")
    assert response.status_code == 200, response.text
    advice = response.json()
    assert (advice["basis"], advice["periods"], advice["facility_id"]) == ("history", 3, HARBOR)
    starts = [p["start"] for p in advice["usage_periods"]]
    assert starts == ["2026-02-15T17:00:00Z", "2026-03-15T16:00:00Z", "2026-04-15T16:00:00Z"]
    options = {o["option_id"]: o for o in advice["options"]}
    # Per period: 50 x 10 min x 9c + 2 x 5 min x 9c + 1 video session at 380c = 4970c.
    none = options["none"]
    assert (none["monthly_cost_cents"], none["total_cost_cents"]) == (4970, 3 * 4970)
    assert none["breakdown"]["pay_per_minute_calls"] == 3 * 52
    # The call plan covers the in-state calls; interstate and video are still paid.
    call_plan = options[CALL_PLAN]
    assert call_plan["monthly_cost_cents"] == 3999 + 90 + 380
    assert call_plan["breakdown"]["covered_calls"] == 150
    assert call_plan["monthly_savings_cents"] == 4970 - 4469
    assert advice["recommended_option_id"] == CALL_PLAN and call_plan["is_recommended"]
    assert sum(o["is_recommended"] for o in advice["options"]) == 1


def test_history_comes_from_calls_the_platform_rated(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    fund(app, family.account_id, 5000)
    clock.set(datetime(2026, 1, 20, tzinfo=UTC))
    for seconds in (61, 600, 1):
        body = authorized(family.api, "charged")
        assert rate(family.api, body["call_id"], seconds).status_code == 200
    authorized(family.api, "charged")  # authorized, never rated: not usage
    later(family, clock, datetime(2026, 2, 20, tzinfo=UTC))
    advice = family.get("/advisor").json()
    none = next(o for o in advice["options"] if o["option_id"] == "none")
    assert (none["breakdown"]["pay_per_minute_calls"],
            none["breakdown"]["pay_per_minute_minutes"]) == (3, 2 + 10 + 1)
    assert advice["recommended_option_id"] == "none"


def test_rule15_advice_from_the_family_estimate(family: Family) -> None:
    light = family.post("/advisor", {"calls_per_month": 10, "average_minutes": 5})
    assert light.status_code == 200, light.text
    assert (light.json()["basis"], light.json()["usage_periods"]) == ("estimate", [])
    assert light.json()["recommended_option_id"] == "none"  # honest: 450c < any plan

    heavy = family.post("/advisor", {"calls_per_month": 60, "average_minutes": 15,
                                     "video_sessions_per_month": 20,
                                     "interstate_calls_per_month": 4})
    options = {o["option_id"]: o for o in heavy.json()["options"]}
    assert options["none"]["monthly_cost_cents"] == 60 * 15 * 9 + 4 * 15 * 9 + 20 * 380
    best = heavy.json()["recommended_option_id"]
    assert best == f"plan:{HARBOR}:call-100+{HARBOR}:video-unlimited"
    assert options[best]["monthly_cost_cents"] == min(
        o["monthly_cost_cents"] for o in options.values())


def test_rule1_no_plans_where_the_facility_does_not_take_part(kiosk_api: TestClient) -> None:
    pine = open_family(kiosk_api, phone="(713) 555-0155", facility_id=PINE,
                       resident_id=f"{PINE}:001")
    advice = pine.post("/advisor", {"calls_per_month": 200, "average_minutes": 20}).json()
    assert [o["option_id"] for o in advice["options"]] == ["none"]
    assert advice["recommended_option_id"] == "none"


def test_estimate_must_be_priceable_and_the_account_the_family_s(
    family: Family, kiosk_api: TestClient
) -> None:
    zero = family.post("/advisor", {"calls_per_month": 5, "average_minutes": 0})
    assert (zero.status_code, zero.json()["field"]) == (422, "average_minutes")
    negative = family.post("/advisor", {"calls_per_month": -1, "average_minutes": 3})
    assert negative.status_code == 422 and negative.json()["field"] == "calls_per_month"
    other = open_family(kiosk_api, phone="(713) 555-0188")
    for response in (other.api.get(family.url("/advisor"), headers=other.headers),
                     other.api.post(family.url("/advisor"), headers=other.headers,
                                    json={"calls_per_month": 1, "average_minutes": 1})):
        assert response.status_code == 403 and response.json()["code"] == "not_your_account"
