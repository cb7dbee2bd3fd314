"""Request and response bodies of subscriptions: quote, purchase, manage, usage (cents)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from central.gateway import CardBrand
from central.models import Destination, PlanKind
from central.models_subscriptions import RenewalMode, Service, SubscriptionStatus
from central.schemas import Identifier, JsonBool, Strict

TermsVersion = Annotated[str, StringConstraints(min_length=1, max_length=32)]


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
    """Rule 7: applied when the current period ends, visible until then."""

    renewal_mode: RenewalMode
    card: SubscriptionCardOut | None
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
