"""Paying for subscription periods (rules 1, 6, 8): the purchase and renew-now handlers a
route calls, and the effects of their card charges (a new subscription, a paid period),
which the renewal run and the reconciler apply through the same code."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from central.clock import Clock
from central.idempotency import StoredResponse, fingerprint
from central.identity.models import Account
from central.money.charges import ChargeSpec, ChargeView, Ports, open_charge, owner, pay
from central.money.gateway import DeclineCode
from central.money.models import Charge, ChargePurpose
from central.money.payments import CardOnFile, card_on_file, no_card_problem
from central.plans.models import (
    Facility,
    PlanKind,
    RenewalMode,
    Service,
    Subscription,
    SubscriptionPeriod,
    SubscriptionStatus,
)
from central.plans.periods import canonical_utc
from central.plans.subscriptions import (
    TERMS_VERSION,
    SubscriptionQuote,
    already_subscribed,
    already_subscribed_problem,
    check_card_choice,
    end_reason_for,
    enter_period,
    owned_subscription,
    purchase_charge_key,
    queue_coverage_ended,
    quote_subscription,
    record_paid_period,
    renew_now_charge,
    start_subscription,
    subscription_id_for,
)
from central.problems import ProblemError


def _card_details(card: CardOnFile) -> dict[str, Any]:
    return {"payment_method_id": card.payment_method_id, "token": card.token,
            "brand": card.brand, "last4": card.last4, "exp_month": card.exp_month,
            "exp_year": card.exp_year}


def _card_from(details: dict[str, Any]) -> CardOnFile:
    card = details["card"]
    return CardOnFile(card["payment_method_id"], card["token"], card["brand"], card["last4"],
                      card["exp_month"], card["exp_year"])


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# --- the effects of charges ---------------------------------------------------------------


class SubscriptionEffect:
    """An approved purchase starts the subscription with its first period. If another one
    became active meanwhile, the purchase cannot happen and its charge is refunded."""

    def apply(self, session: Session, charge: Charge, clock: Clock) -> bool:
        details = _details(charge)
        q = details["quote"]
        quote = SubscriptionQuote(
            plan_id=q["plan_id"], plan_name=q["plan_name"], plan_kind=PlanKind(q["plan_kind"]),
            service=Service(q["service"]), facility_id=q["facility_id"],
            facility_name=q["facility_name"], timezone=q["timezone"],
            price_cents=q["price_cents"], allotment=q["allotment"],
            renewal_mode=RenewalMode(q["renewal_mode"]), period_start=_instant(q["period_start"]),
            period_end=_instant(q["period_end"]), language=q["language"],
        )
        assert charge.subject_id is not None
        if session.get(Subscription, charge.subject_id) is not None:
            # Its id comes from the same request key: this purchase happened already (a
            # record from before charges were rows). Never refund what started it.
            return True
        phone = session.get_one(Account, owner(charge)).phone
        if already_subscribed(session, phone, quote.facility_id, quote.service):
            return False
        try:
            with session.begin_nested():
                start_subscription(
                    session, subscription_id=charge.subject_id, account_id=owner(charge),
                    quote=quote, card=_card_from(details), charge_id=charge.id,
                    gateway_charge_id=charge.gateway_charge_id or "",
                    charge_key=charge.gateway_key, terms_version=details["terms_version"],
                    clock=clock,
                )
        except ProblemError:  # a concurrent purchase won the partial unique index
            return False
        return True

    def declined(self, session: Session, charge: Charge, clock: Clock) -> None:
        """Nothing is created; the 402 tells the family."""


class RenewalEffect:
    """An approved renewal (the renewal run's, or renew-now's: they share the gateway key
    of the period being bought) records the paid period and, once the current one has
    ended, enters it. A subscription that ended meanwhile cannot use it: refunded."""

    def apply(self, session: Session, charge: Charge, clock: Clock) -> bool:
        details = _details(charge)
        subscription = session.execute(
            select(Subscription).where(Subscription.id == charge.subject_id).with_for_update()
        ).scalar_one()
        start, end = _instant(details["start"]), _instant(details["end"])
        taken = session.execute(select(SubscriptionPeriod.charge_key).where(
            SubscriptionPeriod.subscription_id == subscription.id,
            SubscriptionPeriod.period_start == start)).first()
        if taken is not None:
            # Paid under this very key already (a period from before charges were rows):
            # that is this charge's effect, never to be refunded.
            return bool(taken.charge_key == charge.gateway_key)
        if (subscription.status is not SubscriptionStatus.ACTIVE
                or subscription.current_period_end != _instant(details["ending_period_end"])):
            return False
        period = record_paid_period(
            session, subscription, start=start, end=end, card=_card_from(details),
            amount_cents=charge.amount_cents, charge_id=charge.id,
            gateway_charge_id=charge.gateway_charge_id or "", charge_key=charge.gateway_key,
            clock=clock,
        )
        if clock.now() >= subscription.current_period_end:
            timezone = session.get_one(Facility, subscription.facility_id).timezone
            enter_period(subscription, period, timezone)
        subscription.renewal_claim = None
        subscription.renewal_claimed_at = None
        return True

    def declined(self, session: Session, charge: Charge, clock: Clock) -> None:
        """A declined renewal by the renewal run ends coverage for good (rule 5); a declined
        renew-now only answers 402 (the family may try another card before the end)."""
        details = _details(charge)
        if details["by"] != "renewal":
            return
        subscription = session.execute(
            select(Subscription).where(Subscription.id == charge.subject_id).with_for_update()
        ).scalar_one()
        if (subscription.status is not SubscriptionStatus.ACTIVE
                or subscription.current_period_end != _instant(details["ending_period_end"])):
            return
        expire(session, subscription, charge.decline_code, clock)


def expire(session: Session, subscription: Subscription, decline_code: str | None,
           clock: Clock) -> None:
    """End coverage after a failed automatic renewal and tell the family why."""
    subscription.status = SubscriptionStatus.EXPIRED
    subscription.ended_at = subscription.current_period_end
    subscription.renewal_claim = None
    subscription.renewal_claimed_at = None
    reason = end_reason_for(DeclineCode(decline_code) if decline_code else None)
    queue_coverage_ended(session, subscription, reason, clock)


def _details(charge: Charge) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(charge.details)
    return loaded


SUBSCRIPTION = SubscriptionEffect()
RENEWAL = RenewalEffect()


def renewal_spec(subscription: Subscription, card: CardOnFile, *, start: datetime,
                 end: datetime, charge_key: str, by: str) -> ChargeSpec:
    return ChargeSpec(
        purpose=ChargePurpose.RENEWAL, account_id=subscription.account_id,
        amount_cents=subscription.price_cents, gateway_key=charge_key, card=card,
        subject_id=subscription.id,
        details={"by": by, "start": canonical_utc(start), "end": canonical_utc(end),
                 "ending_period_end": canonical_utc(subscription.current_period_end),
                 "card": _card_details(card)},
    )


# --- handlers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BuySubscription:
    account_id: str
    plan_id: str
    renewal_mode: RenewalMode
    payment_method_id: str | None
    terms_version: str
    idempotency_key: str
    request_fingerprint: str


Answer = Callable[[Session, Subscription], dict[str, Any]]


def buy_subscription(command: BuySubscription, ports: Ports, answer: Answer) -> StoredResponse:
    """Charge the first period to the card on file and start the subscription (201).
    ``answer(session, subscription)`` builds the response body. 409 ``already_subscribed``
    when one is active for this service, phone and facility (if that is found only after the
    card was charged, the charge is refunded); 402 on a decline (nothing is created)."""
    account_id = command.account_id
    subscription_id = subscription_id_for(account_id, command.idempotency_key)

    def outside() -> ChargeView:
        with ports.db.transaction() as session:
            now = ports.clock.now()
            quoted = quote_subscription(session, account_id, command.plan_id,
                                        command.renewal_mode, now)
            if command.terms_version != TERMS_VERSION:
                raise ProblemError(409, "terms_changed", "The terms have changed",
                                   f"Show and accept terms version {TERMS_VERSION}.",
                                   field="terms_version")
            check_card_choice(session, account_id, command.renewal_mode,
                              command.payment_method_id)
            card = card_on_file(session, account_id)
            if card is None:
                raise no_card_problem()
            phone = session.get_one(Account, account_id).phone
            if already_subscribed(session, phone, quoted.facility_id, quoted.service):
                raise already_subscribed_problem(quoted.service)
            charge = open_charge(session, ChargeSpec(
                purpose=ChargePurpose.SUBSCRIPTION, account_id=account_id,
                amount_cents=quoted.price_cents,
                gateway_key=purchase_charge_key(subscription_id), card=card,
                subject_id=subscription_id,
                details={"quote": _quote_details(quoted), "card": _card_details(card),
                         "terms_version": command.terms_version},
            ), now)
        return pay(ports, charge, SUBSCRIPTION, already_subscribed_problem(quoted.service))

    def work(session: Session, charge: ChargeView) -> tuple[int, dict[str, Any]]:
        subscription = session.get_one(Subscription, subscription_id)
        return 201, answer(session, subscription)

    return ports.idempotency.run_staged(
        f"account:{account_id}", command.idempotency_key, command.request_fingerprint,
        outside, work, keep=True,
    )


def _quote_details(quote: SubscriptionQuote) -> dict[str, Any]:
    return {
        "plan_id": quote.plan_id, "plan_name": quote.plan_name,
        "plan_kind": quote.plan_kind.value, "service": quote.service.value,
        "facility_id": quote.facility_id, "facility_name": quote.facility_name,
        "timezone": quote.timezone, "price_cents": quote.price_cents,
        "allotment": quote.allotment, "renewal_mode": quote.renewal_mode.value,
        "period_start": canonical_utc(quote.period_start),
        "period_end": canonical_utc(quote.period_end), "language": quote.language,
    }


@dataclass(frozen=True)
class RenewNow:
    account_id: str
    subscription_id: str
    idempotency_key: str


def renew_now(command: RenewNow, ports: Ports, answer: Answer) -> StoredResponse:
    """Rule 6: pay the next period of a manual subscription now (200). It starts when the
    current one ends; at most one period ahead (409 ``already_renewed``). Meeting the period
    end while the card is charged still renews: the renewal run finishes this charge under
    the same key instead of expiring the subscription. Only if the subscription ended
    otherwise meanwhile (a cancellation took effect) is the charge refunded, with 409
    ``subscription_ended``."""
    account_id = command.account_id

    def outside() -> ChargeView:
        with ports.db.transaction() as session:
            now = ports.clock.now()
            subscription = owned_subscription(session, account_id, command.subscription_id,
                                              for_update=True)
            timezone = session.get_one(Facility, subscription.facility_id).timezone
            due = renew_now_charge(session, subscription, now, timezone)
            card = card_on_file(session, account_id)
            if card is None:
                raise no_card_problem()
            charge = open_charge(session, renewal_spec(
                subscription, card, start=due.period_start, end=due.period_end,
                charge_key=due.charge_key, by="renew_now"), now)
        return pay(ports, charge, RENEWAL, ProblemError(
            409, "subscription_ended", "This subscription has ended",
            "It ended while the payment was made; the payment was refunded."))

    def work(session: Session, charge: ChargeView) -> tuple[int, dict[str, Any]]:
        subscription = owned_subscription(session, account_id, command.subscription_id)
        return 200, answer(session, subscription)

    return ports.idempotency.run_staged(
        f"account:{account_id}", command.idempotency_key,
        fingerprint("POST renew-now", {"subscription_id": command.subscription_id}),
        outside, work, keep=True,
    )
