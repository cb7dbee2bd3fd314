"""A subscription's life cycle (rules 1, 6-8, 13): starting a paid subscription, what a
family may change before the period ends (cancel, resume, the renewal choice), the periods
it is paid for, and the handlers ``(command, ports)`` of the subscription routes that do not
charge a card (those are in :mod:`central.plans.purchases`). Renewal at period end lives in
:mod:`central.plans.renewals`; the quote in :mod:`central.plans.quote`; questions about
coverage in :mod:`central.plans.coverage`; letters in :mod:`central.plans.letters`.

EXPIRED and CANCELED are final.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from central.identity.models import Account
from central.kernel.clock import Clock
from central.kernel.ports import UnitOfWork
from central.kernel.problems import ProblemError
from central.mail.notifications import calls_reminder_threshold
from central.money.payments import CardOnFile, active_methods
from central.plans import next_period
from central.plans.coverage import remaining_of
from central.plans.letters import queue_cancellation_confirmation, queue_receipt
from central.plans.models import (
    RenewalMode,
    Service,
    Subscription,
    SubscriptionPeriod,
    SubscriptionStatus,
)
from central.plans.periods import boundary
from central.plans.quote import SubscriptionQuote, require_price
from central.plans.schemas import SubscriptionOut, UsageOut, subscription_out

# --- starting one ---------------------------------------------------------------------------


def already_subscribed(session: Session, account_phone: str, facility_id: str,
                       service: Service) -> bool:
    return session.execute(
        select(Subscription.id).where(
            Subscription.status == SubscriptionStatus.ACTIVE,
            Subscription.service == service,
            Subscription.phone == account_phone,
            Subscription.facility_id == facility_id,
        )
    ).first() is not None


def already_subscribed_problem(service: Service) -> ProblemError:
    return ProblemError(409, "already_subscribed",
                        f"There is already an active {service.value} subscription",
                        "One active subscription per service, phone and facility.",
                        field="plan_id")


def check_card_choice(session: Session, account_id: str, renewal_mode: RenewalMode,
                      payment_method_id: str | None) -> None:
    """Auto renewal needs a card; a card named must be this account's card on file."""
    if renewal_mode is RenewalMode.AUTO and payment_method_id is None:
        raise ProblemError(422, "payment_method_required",
                           "Automatic renewal needs the card on file",
                           field="payment_method_id")
    if payment_method_id is None:
        return
    on_file = active_methods(session, account_id)
    if not on_file or on_file[0].id != payment_method_id:
        raise ProblemError(422, "payment_method_unknown", "This is not the card on file",
                           "Add the card first; only the card on file can be used.",
                           field="payment_method_id")


def subscription_id_for(account_id: str, idempotency_key: str) -> str:
    """The new subscription's id, derived from the request's key: a retry names the same
    subscription, so its charge key is the same too."""
    return hashlib.sha256(f"subscription:{account_id}:{idempotency_key}".encode()).hexdigest()[:32]


def purchase_charge_key(subscription_id: str) -> str:
    """The first period's charge key. It holds nothing but the subscription id (itself from
    the request's Idempotency-Key), so a retry after a crash between charge and commit, even
    minutes later with another purchase time, gets the gateway's replay, not a new charge."""
    return f"subscription:{subscription_id}"


def start_subscription(
    session: Session, *, subscription_id: str, account_id: str, quote: SubscriptionQuote,
    card: CardOnFile, charge_id: str, gateway_charge_id: str, charge_key: str,
    terms_version: str, clock: Clock,
) -> Subscription:
    """Record a paid purchase: the subscription, its first period and the receipt e-mail, in
    the caller's transaction. 409 ``already_subscribed`` if one is active (rule: one per
    service, phone and facility)."""
    account = session.get_one(Account, account_id)
    if already_subscribed(session, account.phone, quote.facility_id, quote.service):
        raise already_subscribed_problem(quote.service)
    now = clock.now()
    subscription = Subscription(
        id=subscription_id, account_id=account_id, facility_id=quote.facility_id,
        plan_id=quote.plan_id, service=quote.service, phone=account.phone,
        status=SubscriptionStatus.ACTIVE, price_cents=quote.price_cents,
        allotment=quote.allotment, renewal_mode=quote.renewal_mode,
        # A card read on the reader is no card on file (a kept one replaces it afterwards).
        payment_method_id=card.payment_method_id or None, period_anchor=quote.period_start,
        period_index=0, current_period_start=quote.period_start,
        current_period_end=quote.period_end, used_in_period=0, cancel_at_period_end=False,
        terms_version=terms_version, terms_accepted_at=now, created_at=now,
    )
    session.add(subscription)
    session.add(SubscriptionPeriod(
        subscription_id=subscription_id, period_start=quote.period_start,
        period_end=quote.period_end, amount_cents=quote.price_cents, charge_key=charge_key,
        charge_id=charge_id, charged_at=now,
    ))
    try:
        session.flush()
    except IntegrityError:  # a concurrent purchase won the partial unique index
        raise already_subscribed_problem(quote.service) from None
    queue_receipt(session, subscription, quote.period_start, quote.period_end, card,
                  gateway_charge_id, clock)
    return subscription


# --- changes before the period ends ---------------------------------------------------------


def owned_subscription(session: Session, account_id: str, subscription_id: str,
                       *, for_update: bool = False) -> Subscription:
    query = select(Subscription).where(Subscription.id == subscription_id,
                                       Subscription.account_id == account_id)
    if for_update:
        query = query.with_for_update()
    subscription = session.execute(query).scalar_one_or_none()
    if subscription is None:
        raise ProblemError(404, "subscription_unknown", "No such subscription")
    return subscription


def require_changeable(subscription: Subscription, now: datetime) -> None:
    """A change needs a subscription still in its current period: ended ones are never
    revived, and at period end the renewal run decides."""
    if subscription.status is not SubscriptionStatus.ACTIVE:
        raise ProblemError(409, "subscription_ended", "This subscription has ended",
                           "An ended subscription cannot be restarted; sign up again.")
    if now >= subscription.current_period_end:
        raise ProblemError(409, "period_ended", "This period has ended",
                           "The renewal is being processed; try again in a minute.")


def mark_for_cancellation(session: Session, subscription: Subscription, clock: Clock) -> bool:
    """Rule 8: stays active until the period ends, then ends; a next period already paid
    (renew-now) is honoured first, and it ends at the end of that one. Returns False when it
    already was marked (nothing changes, no second e-mail)."""
    require_changeable(subscription, clock.now())
    _state, facts = next_period.read(session, subscription)
    until = next_period.request_cancel(subscription, facts)
    if until is None:
        return False
    queue_cancellation_confirmation(session, subscription, until, clock)
    return True


def resume(subscription: Subscription, now: datetime) -> None:
    """Rule 8: undo a cancellation before the period ends."""
    require_changeable(subscription, now)
    next_period.withdraw_cancel(subscription)


def change_renewal(session: Session, subscription: Subscription, renewal_mode: RenewalMode,
                   payment_method_id: str | None, now: datetime) -> None:
    """Rule 7: a change of renewal choice (auto / manual) waits for the end of the current
    period; asking for what is already in force clears a pending one. Updating the card is
    immediate (rule 13: a renewal always charges the card on file)."""
    require_changeable(subscription, now)
    check_card_choice(session, subscription.account_id, renewal_mode, payment_method_id)
    next_period.choose_renewal(subscription, renewal_mode, payment_method_id)


# --- periods ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RenewNowCharge:
    subscription_id: str
    account_id: str
    amount_cents: int
    period_start: datetime
    period_end: datetime
    charge_key: str


def renew_now_charge(session: Session, subscription: Subscription, now: datetime,
                     timezone: str) -> RenewNowCharge:
    """Rule 6: what renewing a manual subscription now costs and covers: the next period,
    from the current period's end, at most one period ahead; and the attempt's key
    (:func:`central.plans.next_period.renew_now_attempt`). The caller holds the row lock
    and commits the attempt's number with the charge."""
    require_changeable(subscription, now)
    state, _facts = next_period.read(session, subscription)
    attempt = next_period.renew_now_attempt(state, subscription.renewal_mode)
    require_price(subscription.price_cents)
    subscription.renewal_attempt = attempt
    start = subscription.current_period_end
    return RenewNowCharge(
        subscription_id=subscription.id, account_id=subscription.account_id,
        amount_cents=subscription.price_cents, period_start=start,
        period_end=boundary(subscription.period_anchor, subscription.period_index + 2, timezone),
        charge_key=next_period.attempt_key(subscription.id, start, attempt),
    )


# --- handlers of the subscription routes that charge nothing --------------------------------


@dataclass(frozen=True)
class OwnSubscription:
    """A family's request about one of its subscriptions (get, usage, cancel, resume)."""

    account_id: str
    subscription_id: str


@dataclass(frozen=True)
class ChangeRenewal:
    account_id: str
    subscription_id: str
    renewal_mode: RenewalMode
    payment_method_id: str | None


def list_subscriptions(account_id: str, ports: UnitOfWork) -> list[SubscriptionOut]:
    """Every subscription of the account, newest first, ended ones included."""
    with ports.db.read() as session:
        found = session.execute(
            select(Subscription).where(Subscription.account_id == account_id)
            .order_by(Subscription.created_at.desc(), Subscription.id)
        ).scalars()
        return [subscription_out(session, s) for s in found]


def get_subscription(command: OwnSubscription, ports: UnitOfWork) -> SubscriptionOut:
    with ports.db.read() as session:
        return subscription_out(session, owned_subscription(
            session, command.account_id, command.subscription_id))


def usage_of(command: OwnSubscription, ports: UnitOfWork) -> UsageOut:
    """Rule 12: used, remaining (null when unlimited), period end, reminder threshold."""
    with ports.db.read() as session:
        subscription = owned_subscription(session, command.account_id,
                                          command.subscription_id)
        allotment = subscription.allotment
        return UsageOut(
            subscription_id=subscription.id, service=subscription.service,
            status=subscription.status, allotment=allotment,
            used=subscription.used_in_period, remaining=remaining_of(subscription),
            period_start=subscription.current_period_start,
            period_end=subscription.current_period_end,
            reminder_threshold=calls_reminder_threshold(allotment) if allotment else None,
        )


def cancel_subscription(command: OwnSubscription, ports: UnitOfWork) -> SubscriptionOut:
    """Rule 8: mark for cancellation (asking twice changes nothing)."""
    with ports.db.transaction() as session:
        subscription = owned_subscription(session, command.account_id,
                                          command.subscription_id, for_update=True)
        mark_for_cancellation(session, subscription, ports.clock)
        return subscription_out(session, subscription)


def resume_subscription(command: OwnSubscription, ports: UnitOfWork) -> SubscriptionOut:
    """Rule 8: undo a cancellation before the period ends."""
    with ports.db.transaction() as session:
        subscription = owned_subscription(session, command.account_id,
                                          command.subscription_id, for_update=True)
        resume(subscription, ports.clock.now())
        return subscription_out(session, subscription)


def change_renewal_choice(command: ChangeRenewal, ports: UnitOfWork) -> SubscriptionOut:
    """Rule 7: the renewal choice waits for period end; a new card applies at once."""
    with ports.db.transaction() as session:
        subscription = owned_subscription(session, command.account_id,
                                          command.subscription_id, for_update=True)
        change_renewal(session, subscription, command.renewal_mode,
                       command.payment_method_id, ports.clock.now())
        return subscription_out(session, subscription)
