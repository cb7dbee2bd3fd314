"""What a plan's card charge remembers (``charges.details``), one typed, versioned model per
purpose: a purchase's quote, card and terms; a renewal's period, who asked and the card.
The effects in :mod:`central.plans.purchases` and the state machine in
:mod:`central.plans.next_period` read them back (docs/architecture.md, "Charge effects")."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from central.kernel.facilities import PlanKind
from central.money.effects import ChargeDetails
from central.money.payments import CardOnFile
from central.plans.models import RenewalMode, Service
from central.plans.periods import canonical_utc
from central.plans.quote import SubscriptionQuote


class ChargedCard(BaseModel):
    """The card a plan charge was made on, kept to record it on the period it pays for."""

    payment_method_id: str
    token: str
    brand: str
    last4: str
    exp_month: int
    exp_year: int

    @classmethod
    def of(cls, card: CardOnFile) -> ChargedCard:
        return cls(payment_method_id=card.payment_method_id, token=card.token,
                   brand=card.brand, last4=card.last4, exp_month=card.exp_month,
                   exp_year=card.exp_year)

    def on_file(self) -> CardOnFile:
        return CardOnFile(self.payment_method_id, self.token, self.brand, self.last4,
                          self.exp_month, self.exp_year)


class QuotedPlan(BaseModel):
    """The quote a purchase was charged for; instants as canonical UTC text."""

    plan_id: str
    plan_name: str
    plan_kind: PlanKind
    service: Service
    facility_id: str
    facility_name: str
    timezone: str
    price_cents: int
    allotment: int | None
    renewal_mode: RenewalMode
    period_start: str
    period_end: str
    language: str

    @classmethod
    def of(cls, quote: SubscriptionQuote) -> QuotedPlan:
        return cls(
            plan_id=quote.plan_id, plan_name=quote.plan_name, plan_kind=quote.plan_kind,
            service=quote.service, facility_id=quote.facility_id,
            facility_name=quote.facility_name, timezone=quote.timezone,
            price_cents=quote.price_cents, allotment=quote.allotment,
            renewal_mode=quote.renewal_mode, period_start=canonical_utc(quote.period_start),
            period_end=canonical_utc(quote.period_end), language=quote.language,
        )

    def quote(self) -> SubscriptionQuote:
        return SubscriptionQuote(
            plan_id=self.plan_id, plan_name=self.plan_name, plan_kind=self.plan_kind,
            service=self.service, facility_id=self.facility_id,
            facility_name=self.facility_name, timezone=self.timezone,
            price_cents=self.price_cents, allotment=self.allotment,
            renewal_mode=self.renewal_mode, period_start=instant(self.period_start),
            period_end=instant(self.period_end), language=self.language,
        )


class PurchaseDetails(ChargeDetails):
    """What a purchase charge remembers: the quote, the card and the terms accepted."""

    version: Literal[1] = 1
    quote: QuotedPlan
    card: ChargedCard
    terms_version: str


class RenewalDetails(ChargeDetails):
    """What a renewal charge remembers: the period it buys, the period end it follows (so a
    subscription changed meanwhile is not renewed), who asked and the card."""

    version: Literal[1] = 1
    by: str  # "renewal" (the renewal run) or renew-now's
    start: str
    end: str
    ending_period_end: str
    card: ChargedCard


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
