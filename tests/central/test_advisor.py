"""Rule 15: the plan advisor prices every option honestly and recommends the cheapest,
"no subscription" included; interstate and international calls are never covered (rule 11).
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from central.kernel.facilities import Destination, PlanKind
from central.plans.advisor import (
    NO_SUBSCRIPTION_ID,
    Advice,
    AdvisorOption,
    FacilityPricing,
    InvalidUsageError,
    MissingRateError,
    PlanOffer,
    UsageEstimate,
    UsagePeriod,
    advise,
)

IN, OUT, INTL = Destination.IN_STATE, Destination.INTERSTATE, Destination.INTERNATIONAL

CALL_100 = PlanOffer("call-100", "Call Subscription - 100 calls", PlanKind.CALL, 3999, 100)
VIDEO_8 = PlanOffer("video-8", "Video Subscription - 8 sessions", PlanKind.VIDEO_BUNDLE, 3199, 8)
VIDEO_UNLIMITED = PlanOffer(
    "video-unlimited", "Video Subscription - unlimited", PlanKind.VIDEO_UNLIMITED, 5999, None
)
HARBOR = FacilityPricing(
    audio_cents_per_minute={IN: 11, OUT: 21, INTL: 25},
    video_session_price_cents=599,
    plans=(CALL_100, VIDEO_8, VIDEO_UNLIMITED),
)


def period(
    in_state: Sequence[int] = (),
    interstate: Sequence[int] = (),
    international: Sequence[int] = (),
    video: int = 0,
) -> UsagePeriod:
    return UsagePeriod(
        call_minutes={IN: list(in_state), OUT: list(interstate), INTL: list(international)},
        video_sessions=video,
    )


def option(advice: Advice, option_id: str) -> AdvisorOption:
    return next(o for o in advice.options if o.option_id == option_id)


def test_every_option_is_listed_once_singles_and_pairs() -> None:
    advice = advise(HARBOR, [period(in_state=[5])])
    assert [o.option_id for o in advice.options] == [
        NO_SUBSCRIPTION_ID,
        "plan:call-100",
        "plan:video-8",
        "plan:video-unlimited",
        "plan:call-100+video-8",
        "plan:call-100+video-unlimited",
    ]
    assert option(advice, "plan:call-100+video-8").plan_ids == ("call-100", "video-8")
    assert option(advice, "plan:call-100+video-8").label == (
        "Call Subscription - 100 calls + Video Subscription - 8 sessions"
    )
    assert sum(o.is_recommended for o in advice.options) == 1


def test_low_usage_recommends_no_subscription() -> None:
    usage = [period(in_state=[15] * 10)] * 3  # 150 minutes a month: $16.50 < $39.99
    advice = advise(HARBOR, usage)
    assert advice.recommended.option_id == NO_SUBSCRIPTION_ID
    assert advice.recommended.monthly_cost_cents == 1650
    assert advice.recommended.total_cost_cents == 4950
    plan = option(advice, "plan:call-100")
    assert plan.monthly_cost_cents == 3999
    assert plan.monthly_savings_cents == 1650 - 3999
    assert plan.breakdown.covered_calls == 30
    assert plan.breakdown.pay_per_minute_cents == 0
    assert advice.basis == "history" and advice.periods == 3


def test_heavy_in_state_calling_recommends_the_call_plan() -> None:
    usage = [period(in_state=[15] * 60), period(in_state=[15] * 70)]
    advice = advise(HARBOR, usage)
    assert advice.recommended.option_id == "plan:call-100"
    assert advice.recommended.monthly_cost_cents == 3999
    none = option(advice, NO_SUBSCRIPTION_ID)
    assert none.total_cost_cents == 130 * 15 * 11
    assert advice.recommended.monthly_savings_cents == (130 * 15 * 11 - 2 * 3999 + 1) // 2


def test_calls_beyond_the_allotment_pay_per_minute_in_the_order_they_happened() -> None:
    usage = [period(in_state=[10] * 120)]
    plan = option(advise(HARBOR, usage), "plan:call-100")
    assert plan.breakdown.covered_calls == 100
    assert plan.breakdown.pay_per_minute_calls == 20
    assert plan.total_cost_cents == 3999 + 20 * 10 * 11

    small = PlanOffer("call-2", "Two calls", PlanKind.CALL, 100, 2)
    pricing = FacilityPricing({IN: 11}, 599, (small,))
    # The first two calls are covered, whatever their length: the 1-minute third call pays.
    plan = option(advise(pricing, [period(in_state=[30, 1, 1])]), "plan:call-2")
    assert plan.breakdown.covered_call_minutes == 31
    assert plan.breakdown.pay_per_minute_minutes == 1
    assert plan.total_cost_cents == 100 + 11


def test_interstate_heavy_family_gets_no_plan_because_those_calls_are_not_covered() -> None:
    usage = [period(in_state=[10, 10], interstate=[20] * 60, international=[5] * 4)] * 2
    advice = advise(HARBOR, usage)
    assert advice.recommended.option_id == NO_SUBSCRIPTION_ID
    plan = option(advice, "plan:call-100")
    assert plan.breakdown.covered_calls == 4
    assert plan.breakdown.pay_per_minute_calls == 128
    assert plan.breakdown.pay_per_minute_cents == 2 * (60 * 20 * 21 + 4 * 5 * 25)
    assert plan.total_cost_cents == option(advice, NO_SUBSCRIPTION_ID).total_cost_cents + (
        2 * 3999 - 2 * 2 * 10 * 11
    )


@pytest.mark.parametrize(
    ("sessions", "expected"),
    [
        (4, NO_SUBSCRIPTION_ID),  # 4 x $5.99 = $23.96 < $31.99
        (6, "plan:video-8"),  # $35.94 > $31.99
        (12, "plan:video-8"),  # $31.99 + 4 x $5.99 = $55.95 < $59.99
        (13, "plan:video-unlimited"),  # $31.99 + 5 x $5.99 = $61.94 > $59.99
        (40, "plan:video-unlimited"),
    ],
)
def test_video_bundle_versus_unlimited_crossover(sessions: int, expected: str) -> None:
    advice = advise(HARBOR, [period(video=sessions)])
    assert advice.recommended.option_id == expected
    bundle = option(advice, "plan:video-8").breakdown
    assert bundle.covered_video_sessions == min(sessions, 8)
    assert bundle.pay_per_session_cents == max(0, sessions - 8) * 599
    assert option(advice, "plan:video-unlimited").total_cost_cents == 5999


def test_heavy_calls_and_heavy_video_recommend_a_pair() -> None:
    advice = advise(HARBOR, [period(in_state=[15] * 80, video=20)])
    assert advice.recommended.option_id == "plan:call-100+video-unlimited"
    assert advice.recommended.monthly_cost_cents == 3999 + 5999


def test_a_tie_goes_to_no_commitment() -> None:
    exact = PlanOffer("call-x", "Exactly break-even", PlanKind.CALL, 1650, 100)
    pricing = FacilityPricing({IN: 11}, 599, (exact,))
    advice = advise(pricing, [period(in_state=[15] * 10)])
    assert option(advice, "plan:call-x").total_cost_cents == 1650
    assert advice.recommended.option_id == NO_SUBSCRIPTION_ID


def test_a_tie_between_a_single_plan_and_a_pair_goes_to_the_single_plan() -> None:
    free_video = PlanOffer("video-free", "Free video", PlanKind.VIDEO_BUNDLE, 0, 1)
    pricing = FacilityPricing({IN: 11}, 599, (CALL_100, free_video))
    advice = advise(pricing, [period(in_state=[15] * 60)])
    assert option(advice, "plan:call-100+video-free").total_cost_cents == 3999
    assert advice.recommended.option_id == "plan:call-100"


def test_the_estimate_path_prices_one_typical_month() -> None:
    estimate = UsageEstimate(calls_per_month=40, average_minutes=12, video_sessions_per_month=3)
    advice = advise(HARBOR, estimate)
    assert advice.basis == "estimate" and advice.periods == 1
    assert option(advice, NO_SUBSCRIPTION_ID).monthly_cost_cents == 40 * 12 * 11 + 3 * 599
    assert advice.recommended.option_id == "plan:call-100"
    assert advice.recommended.monthly_cost_cents == 3999 + 3 * 599

    out_of_state = UsageEstimate(
        calls_per_month=2, average_minutes=12, interstate_calls_per_month=50
    )
    assert advise(HARBOR, out_of_state).recommended.option_id == NO_SUBSCRIPTION_ID


def test_the_monthly_figure_is_the_average_rounded_half_up_but_totals_decide() -> None:
    pricing = FacilityPricing({IN: 1}, 599)
    advice = advise(pricing, [period(in_state=[1]), period(in_state=[2])])
    assert advice.recommended.total_cost_cents == 3
    assert advice.recommended.monthly_cost_cents == 2


def test_a_facility_without_plans_only_offers_pay_as_you_go() -> None:
    pricing = FacilityPricing({IN: 11, OUT: 21, INTL: 25}, 599, plans=())
    advice = advise(pricing, [period(in_state=[15] * 80)])
    assert [o.option_id for o in advice.options] == [NO_SUBSCRIPTION_ID]
    assert advice.recommended.is_recommended


def test_unpriceable_usage_raises_specific_errors() -> None:
    no_international = FacilityPricing({IN: 11, OUT: 21}, 599, (CALL_100,))
    with pytest.raises(MissingRateError) as missing:
        advise(no_international, [period(international=[3])])
    assert missing.value.destination is INTL
    with pytest.raises(InvalidUsageError):
        advise(HARBOR, [])
    with pytest.raises(InvalidUsageError):
        advise(HARBOR, [period(in_state=[0])])
    with pytest.raises(InvalidUsageError):
        advise(HARBOR, [period(video=-1)])
    with pytest.raises(InvalidUsageError):
        advise(HARBOR, UsageEstimate(calls_per_month=3, average_minutes=0))
    with pytest.raises(InvalidUsageError):
        advise(HARBOR, UsageEstimate(calls_per_month=-3, average_minutes=5))


# --- properties ---------------------------------------------------------------------------

minutes = st.lists(st.integers(min_value=1, max_value=60), max_size=40)


@st.composite
def pricings(draw: st.DrawFn) -> FacilityPricing:
    rates = {d: draw(st.integers(min_value=1, max_value=44)) for d in (IN, OUT, INTL)}
    plans: list[PlanOffer] = []
    for i in range(draw(st.integers(min_value=0, max_value=3))):
        allotment = draw(st.none() | st.integers(min_value=1, max_value=60))
        price = draw(st.integers(min_value=0, max_value=8000))
        plans.append(PlanOffer(f"call-{i}", f"Call {i}", PlanKind.CALL, price, allotment))
    for i in range(draw(st.integers(min_value=0, max_value=3))):
        price = draw(st.integers(min_value=0, max_value=8000))
        if draw(st.booleans()):
            plans.append(
                PlanOffer(f"video-{i}", f"Video {i}", PlanKind.VIDEO_UNLIMITED, price, None)
            )
        else:
            bundle = draw(st.integers(min_value=1, max_value=12))
            plans.append(
                PlanOffer(f"video-{i}", f"Video {i}", PlanKind.VIDEO_BUNDLE, price, bundle)
            )
    session_price = draw(st.integers(min_value=0, max_value=1500))
    return FacilityPricing(rates, session_price, tuple(plans))


periods_strategy = st.lists(
    st.builds(
        period,
        in_state=minutes,
        interstate=st.lists(st.integers(min_value=1, max_value=60), max_size=8),
        international=st.lists(st.integers(min_value=1, max_value=60), max_size=4),
        video=st.integers(min_value=0, max_value=20),
    ),
    min_size=1,
    max_size=4,
)


def reference_total(
    pricing: FacilityPricing, usage: Sequence[UsagePeriod], plans: Sequence[PlanOffer]
) -> int:
    """An independent model of what an option costs over all the periods."""
    call = next((p for p in plans if p.kind is PlanKind.CALL), None)
    video = next((p for p in plans if p.kind is not PlanKind.CALL), None)
    total = 0
    for used in usage:
        total += sum(p.price_cents for p in plans)
        in_state = list(used.call_minutes.get(IN, []))
        covered = (
            len(in_state)
            if call and call.allotment is None
            else (call.allotment if call and call.allotment is not None else 0)
        )
        total += sum(in_state[covered:]) * pricing.audio_cents_per_minute[IN]
        for destination in (OUT, INTL):
            total += (
                sum(used.call_minutes.get(destination, []))
                * (pricing.audio_cents_per_minute[destination])
            )
        free_sessions = 0
        if video is not None:
            free_sessions = used.video_sessions if video.allotment is None else video.allotment
        total += max(0, used.video_sessions - free_sessions) * pricing.video_session_price_cents
    return total


@settings(max_examples=150, deadline=None)
@given(pricings(), periods_strategy)
def test_the_recommendation_is_never_beaten(
    pricing: FacilityPricing, usage: list[UsagePeriod]
) -> None:
    advice = advise(pricing, usage)
    calls = sum(p.kind is PlanKind.CALL for p in pricing.plans)
    videos = len(pricing.plans) - calls
    assert len(advice.options) == 1 + calls + videos + calls * videos
    assert sum(o.is_recommended for o in advice.options) == 1
    best = advice.recommended
    none = option(advice, NO_SUBSCRIPTION_ID)
    by_id = {p.id: p for p in pricing.plans}
    for other in advice.options:
        assert best.total_cost_cents <= other.total_cost_cents
        assert best.monthly_cost_cents <= other.monthly_cost_cents
        assert other.total_cost_cents == other.breakdown.total_cents
        assert other.total_cost_cents == reference_total(
            pricing, usage, [by_id[i] for i in other.plan_ids]
        )
        # A plan never costs more than its price on top of paying as you go.
        plan_prices = sum(by_id[i].price_cents for i in other.plan_ids) * len(usage)
        assert plan_prices <= other.total_cost_cents <= plan_prices + none.total_cost_cents
    # A commitment is recommended only when it is strictly cheaper than none.
    if best.option_id != NO_SUBSCRIPTION_ID:
        assert best.total_cost_cents < none.total_cost_cents
        assert best.monthly_savings_cents >= 0
