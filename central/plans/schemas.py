"""Request and response bodies of facilities and their pricing, subscriptions (quote,
purchase, manage, usage) and the plan advisor. Money is integer cents."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints
from pydantic import Strict as StrictValue
from sqlalchemy.orm import Session

from central.kernel.facilities import CallKind, Destination, Facility, Plan, PlanKind, SizeTier
from central.kernel.fields import JSON_INTEGER, STRICT, Identifier, JsonBool, Strict, Text
from central.mail.notifications import SOURCE_LANGUAGE
from central.money.gateway import CardBrand
from central.money.models import PaymentMethod
from central.money.schemas import MAX_DEPOSIT_CENTS, Cents
from central.plans.coverage import card_of, prepaid_next_period, remaining_of
from central.plans.models import RenewalMode, Service, Subscription, SubscriptionStatus
from central.plans.quote import TERMS_VERSION, SubscriptionQuote
from central.plans.wording import plan_name

if TYPE_CHECKING:
    from central.plans.advisor import Advice
    from central.plans.periods import Period

# --- facilities and their pricing -------------------------------------------------------


class RateOut(BaseModel):
    kind: CallKind
    destination: Destination
    cents_per_minute: int


class PlanOut(BaseModel):
    id: str
    kind: PlanKind
    name: str
    price_cents: int
    allotment: int | None = Field(description="Calls or sessions per period; null = unlimited")


class FacilityOut(BaseModel):
    id: str
    name: str
    state: str
    timezone: str
    size_tier: SizeTier
    offers_subscriptions: bool
    offers_single_call: bool

    @classmethod
    def of(cls, facility: Facility) -> FacilityOut:
        return cls(id=facility.id, name=facility.name, state=facility.state,
                   timezone=facility.timezone, size_tier=facility.size_tier,
                   offers_subscriptions=facility.offers_subscriptions,
                   offers_single_call=facility.offers_single_call)


class FacilityDetail(FacilityOut):
    funding_fee_cents: int
    video_session_price_cents: int
    cash_maximum_cents: int = Field(
        description="The most one family's cash visit at a kiosk may add (docs/cash.md)")
    rates: list[RateOut]
    plans: list[PlanOut]

    @classmethod
    def of(cls, facility: Facility, language: str = SOURCE_LANGUAGE) -> FacilityDetail:
        """A facility with its rates and loaded plans; plans only where it takes part in
        subscriptions (rule 1), active ones only, named in ``language``."""
        plans = ([p for p in facility.plans if p.active]
                 if facility.offers_subscriptions else [])
        return cls(
            **FacilityOut.of(facility).model_dump(),
            funding_fee_cents=facility.funding_fee_cents,
            video_session_price_cents=facility.video_session_price_cents,
            cash_maximum_cents=facility.cash_maximum_cents,
            rates=[RateOut(kind=r.kind, destination=r.destination,
                           cents_per_minute=r.cents_per_minute) for r in facility.rates],
            plans=[PlanOut(id=p.id, kind=p.kind,
                           name=plan_name(p.name, p.kind, p.allotment, language),
                           price_cents=p.price_cents, allotment=p.allotment) for p in plans],
        )


class ResidentOut(BaseModel):
    """Only what a family needs to pick the right person."""

    id: str
    display_name: str
    resident_number: str


class ResidentDirectoryOut(BaseModel):
    """A facility's residents for a kiosk's offline search: names and numbers only."""

    facility_id: str
    generated_at: datetime
    residents: list[ResidentOut]


class RateIn(Strict):
    kind: CallKind
    destination: Destination
    cents_per_minute: Cents


# A plan is never free: the gateway charges positive amounts only (a 0 c plan was accepted,
# then every purchase of it was a 500).
PlanCents = Annotated[int, STRICT, Field(ge=1, le=10**9), JSON_INTEGER]


class PlanIn(Strict):
    id: Identifier
    kind: PlanKind
    name: Text
    price_cents: PlanCents
    allotment: Annotated[int, STRICT, Field(ge=1, le=100_000), JSON_INTEGER] | None
    period_months: Annotated[int, STRICT, Field(ge=1, le=12), JSON_INTEGER] = 1
    active: JsonBool = True


# A facility's cash maximum is at least one $1 note, and at most the deposit maximum (the
# server credits a stacked note up to that whatever the facility's maximum: docs/cash.md).
CASH_MAXIMUM_FLOOR_CENTS = 100


class FacilityPricingIn(Strict):
    """The whole price list of a facility; checked against the compliance rule set."""

    funding_fee_cents: Cents
    video_session_price_cents: Cents
    offers_subscriptions: JsonBool
    offers_single_call: JsonBool
    rates: Annotated[list[RateIn], Field(min_length=1, max_length=12)]
    plans: Annotated[list[PlanIn], Field(max_length=20)]
    cash_maximum_cents: Annotated[
        int, STRICT, Field(ge=CASH_MAXIMUM_FLOOR_CENTS, le=MAX_DEPOSIT_CENTS), JSON_INTEGER
    ] | None = Field(None, description="The most one family's cash visit at a kiosk may "
                     "add, $1 to $300; left out: unchanged (docs/cash.md, \"The limits\")")


# --- subscriptions ----------------------------------------------------------------------


TermsVersion = Annotated[Identifier, StringConstraints(max_length=32)]


class SubscriptionQuoteIn(Strict):
    plan_id: Identifier
    renewal_mode: RenewalMode


class TermsOut(BaseModel):
    """Rule 8: shown, and accepted, before every purchase."""

    version: str
    text: str
    refundable: bool = False


class SubscriptionQuoteOut(BaseModel):
    plan_id: str
    plan_name: str
    plan_kind: PlanKind
    service: Service
    facility_id: str
    facility_timezone: str
    price_cents: int
    allotment: int | None = Field(description="Calls or sessions per period; null = unlimited")
    covered_destinations: list[Destination] = Field(
        description="Call plans cover in-state calls only; empty for video plans"
    )
    coverage: str = Field(description="What is covered, in the family's language")
    renewal_mode: RenewalMode
    period_start: datetime
    period_end: datetime
    terms_version: str
    terms: TermsOut


def quote_out(quote: SubscriptionQuote) -> SubscriptionQuoteOut:
    """The quote as the family sees it: the quote route's answer, and the ``quote`` of a
    409 ``quote_changed``."""
    return SubscriptionQuoteOut(
        plan_id=quote.plan_id, plan_name=quote.plan_name, plan_kind=quote.plan_kind,
        service=quote.service, facility_id=quote.facility_id,
        facility_timezone=quote.timezone, price_cents=quote.price_cents,
        allotment=quote.allotment, covered_destinations=quote.covered_destinations,
        coverage=quote.coverage, renewal_mode=quote.renewal_mode,
        period_start=quote.period_start, period_end=quote.period_end,
        terms_version=TERMS_VERSION, terms=TermsOut(version=TERMS_VERSION,
                                                    text=quote.terms_text),
    )


class SubscriptionIn(Strict):
    plan_id: Identifier
    renewal_mode: RenewalMode
    payment_method_id: Identifier | None = Field(
        default=None,
        description="The card on file; required for auto renewal. The first period is always "
                    "paid by card now.",
    )
    terms_version: TermsVersion
    accept_terms: JsonBool = Field(
        description="Must be true: the family accepts the no-refund terms"
    )
    quoted_total_cents: Cents = Field(
        description="The price_cents of the quote the family accepted; if the price is no "
                    "longer that, nothing is charged: 409 quote_changed with the new quote "
                    "in the problem's `quote`",
    )


class SubscriptionCardOut(BaseModel):
    """All that is shown of a card (rule 13)."""

    payment_method_id: str
    brand: CardBrand
    last4: str
    exp_month: int
    exp_year: int


class PendingChangeOut(BaseModel):
    """Rule 7: a change of renewal choice, applied when the current period ends and visible
    until then. (A new card is not pending: it is used from the moment it is chosen.)"""

    renewal_mode: RenewalMode
    effective_at: datetime


class SubscriptionOut(BaseModel):
    id: str
    account_id: str
    facility_id: str
    plan_id: str
    plan_name: str
    plan_kind: PlanKind
    service: Service
    status: SubscriptionStatus
    renewal_mode: RenewalMode
    price_cents: int
    allotment: int | None
    used: int
    remaining: int | None = Field(description="null for unlimited plans")
    period_index: int
    period_start: datetime
    period_end: datetime
    renewed_through: datetime | None = Field(
        description="End of a next period already paid by renew-now, if any"
    )
    cancel_at_period_end: bool
    pending_change: PendingChangeOut | None
    card: SubscriptionCardOut | None
    terms_version: str
    created_at: datetime
    ended_at: datetime | None


def _card_out(method: PaymentMethod | None) -> SubscriptionCardOut | None:
    if method is None:
        return None
    return SubscriptionCardOut.model_validate({
        "payment_method_id": method.id, "brand": method.brand, "last4": method.last4,
        "exp_month": method.exp_month, "exp_year": method.exp_year,
    })


def subscription_out(session: Session, subscription: Subscription,
                     language: str | None = None) -> SubscriptionOut:
    """A subscription as the family sees it (the subscription routes' and the account's
    answer); its plan's name in ``language`` when the kiosk asked in one."""
    plan = session.get_one(Plan, subscription.plan_id)
    pending = None
    if subscription.pending_renewal_mode is not None:
        pending = PendingChangeOut(renewal_mode=subscription.pending_renewal_mode,
                                   effective_at=subscription.current_period_end)
    prepaid = prepaid_next_period(session, subscription)
    return SubscriptionOut(
        id=subscription.id, account_id=subscription.account_id,
        facility_id=subscription.facility_id, plan_id=plan.id,
        plan_name=plan_name(plan.name, plan.kind, plan.allotment, language or SOURCE_LANGUAGE),
        plan_kind=plan.kind, service=subscription.service, status=subscription.status,
        renewal_mode=subscription.renewal_mode, price_cents=subscription.price_cents,
        allotment=subscription.allotment, used=subscription.used_in_period,
        remaining=remaining_of(subscription), period_index=subscription.period_index,
        period_start=subscription.current_period_start,
        period_end=subscription.current_period_end,
        renewed_through=prepaid.period_end if prepaid is not None else None,
        cancel_at_period_end=subscription.cancel_at_period_end, pending_change=pending,
        card=_card_out(card_of(session, subscription)),
        terms_version=subscription.terms_version, created_at=subscription.created_at,
        ended_at=subscription.ended_at,
    )


class RenewalChangeIn(Strict):
    renewal_mode: RenewalMode
    payment_method_id: Identifier | None = Field(
        default=None, description="The card for renewals; required for auto renewal"
    )


class UsageOut(BaseModel):
    subscription_id: str
    service: Service
    status: SubscriptionStatus
    allotment: int | None
    used: int
    remaining: int | None = Field(description="null for unlimited plans")
    period_start: datetime
    period_end: datetime
    reminder_threshold: int | None = Field(
        description="Remaining count at which the once-per-period reminder goes out; "
                    "null for unlimited plans"
    )


# --- plan advisor -----------------------------------------------------------------------

MAX_MONTHLY_COUNT = 3000

# Request integers are JSON Schema's integers: strict, but 20.0 counts as 20.
Count = Annotated[int, StrictValue(), Field(ge=0, le=MAX_MONTHLY_COUNT), JSON_INTEGER]


class UsageEstimateIn(Strict):
    """The family's own guess for one month."""

    calls_per_month: Annotated[
        int, StrictValue(), Field(ge=0, le=MAX_MONTHLY_COUNT, description="In-state phone calls"),
        JSON_INTEGER,
    ]
    average_minutes: Annotated[
        int, StrictValue(), Field(ge=1, le=600, description="Started minutes per call"),
        JSON_INTEGER,
    ]
    video_sessions_per_month: Count = 0
    interstate_calls_per_month: Count = 0
    international_calls_per_month: Count = 0


class CostBreakdownOut(BaseModel):
    plan_price_cents: int
    covered_calls: int
    covered_call_minutes: int
    pay_per_minute_calls: int
    pay_per_minute_minutes: int
    pay_per_minute_cents: int
    covered_video_sessions: int
    pay_per_session_sessions: int
    pay_per_session_cents: int
    total_cents: int


class AdvisorOptionOut(BaseModel):
    option_id: str
    label: str
    plan_ids: list[str]
    monthly_cost_cents: int
    total_cost_cents: int
    monthly_savings_cents: int
    is_recommended: bool
    breakdown: CostBreakdownOut


class UsagePeriodOut(BaseModel):
    start: datetime
    end: datetime


class AdviceOut(BaseModel):
    """What each option would have cost, cheapest marked ``is_recommended`` (rule 15)."""

    facility_id: str
    basis: Literal["history", "estimate"]
    periods: int
    usage_periods: list[UsagePeriodOut] = Field(
        default_factory=list, description="The months of history used (empty for an estimate)"
    )
    recommended_option_id: str
    options: list[AdvisorOptionOut]

    @classmethod
    def of(cls, facility_id: str, advice: Advice, periods: Sequence[Period]) -> AdviceOut:
        return cls(
            facility_id=facility_id, basis=advice.basis, periods=advice.periods,
            usage_periods=[UsagePeriodOut(start=p.start, end=p.end) for p in periods],
            recommended_option_id=advice.recommended.option_id,
            options=[AdvisorOptionOut(
                option_id=o.option_id, label=o.label, plan_ids=list(o.plan_ids),
                monthly_cost_cents=o.monthly_cost_cents, total_cost_cents=o.total_cost_cents,
                monthly_savings_cents=o.monthly_savings_cents,
                is_recommended=o.is_recommended,
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
            ) for o in advice.options],
        )
