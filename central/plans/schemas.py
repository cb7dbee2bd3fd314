"""Request and response bodies of facilities and their pricing, subscriptions (quote,
purchase, manage, usage) and the plan advisor. Money is integer cents."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints
from pydantic import Strict as StrictValue

from central.calls.models import CallKind, Destination
from central.fields import JSON_INTEGER, STRICT, Identifier, JsonBool, Strict, Text
from central.money.gateway import CardBrand
from central.money.schemas import Cents
from central.plans.models import PlanKind, RenewalMode, Service, SizeTier, SubscriptionStatus

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


class FacilityDetail(FacilityOut):
    funding_fee_cents: int
    video_session_price_cents: int
    rates: list[RateOut]
    plans: list[PlanOut]


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


class PlanIn(Strict):
    id: Identifier
    kind: PlanKind
    name: Text
    price_cents: Cents
    allotment: Annotated[int, STRICT, Field(ge=1, le=100_000), JSON_INTEGER] | None
    period_months: Annotated[int, STRICT, Field(ge=1, le=12), JSON_INTEGER] = 1
    active: JsonBool = True


class FacilityPricingIn(Strict):
    """The whole price list of a facility; checked against the compliance rule set."""

    funding_fee_cents: Cents
    video_session_price_cents: Cents
    offers_subscriptions: JsonBool
    offers_single_call: JsonBool
    rates: Annotated[list[RateIn], Field(min_length=1, max_length=12)]
    plans: Annotated[list[PlanIn], Field(max_length=20)]


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
