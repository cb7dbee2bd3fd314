"""Questions about a subscription (rules 2, 3, 6, 12, 13): which one covers a call and how
many calls are left, counting a covered call (and giving it back when it never connected),
the next period already paid, and the card a subscription shows. Call rating and the
subscription's answer ask these; none of them changes a subscription's life cycle.

A subscription covers calls while ``status == ACTIVE`` and ``current_period_start <= t <
current_period_end``; ``used_in_period`` counts the covered calls (or sessions) of the current
period and is reset to 0 when a new period starts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from central.kernel.clock import Clock
from central.mail.notifications import calls_reminder_due
from central.money.models import PaymentMethod
from central.money.payments import active_methods
from central.plans.letters import queue_calls_remaining_reminder
from central.plans.models import Service, Subscription, SubscriptionPeriod, SubscriptionStatus


def remaining_of(subscription: Subscription) -> int | None:
    """Calls or sessions left this period; None for unlimited."""
    if subscription.allotment is None:
        return None
    return max(0, subscription.allotment - subscription.used_in_period)


def prepaid_next_period(session: Session, subscription: Subscription) -> SubscriptionPeriod | None:
    """The period after the current one, if it is already paid (renew-now)."""
    return session.execute(
        select(SubscriptionPeriod).where(
            SubscriptionPeriod.subscription_id == subscription.id,
            SubscriptionPeriod.period_start == subscription.current_period_end,
        )
    ).scalar_one_or_none()


def card_of(session: Session, subscription: Subscription) -> PaymentMethod | None:
    """The card shown for a subscription: its own, or, once that one was replaced (rule 13),
    the account's card on file, which is the one a renewal charges."""
    if subscription.payment_method_id is not None:
        own = session.get(PaymentMethod, subscription.payment_method_id)
        if own is not None and own.removed_at is None:
            return own
    methods = active_methods(session, subscription.account_id)
    return methods[0] if methods else None


def covering_subscription(session: Session, *, facility_id: str, phone: str, service: Service,
                          at: datetime) -> Subscription | None:
    """The active subscription covering ``service`` calls from ``facility_id`` to ``phone``
    (E.164) at ``at``, if any. Whether it has calls left is for the caller to check."""
    return session.execute(
        select(Subscription).where(
            Subscription.status == SubscriptionStatus.ACTIVE,
            Subscription.facility_id == facility_id,
            Subscription.phone == phone,
            Subscription.service == service,
            Subscription.current_period_start <= at,
            Subscription.current_period_end > at,
        )
    ).scalar_one_or_none()


@dataclass(frozen=True)
class CoveredUse:
    counted: bool  # False: the allotment was used up (or the subscription not current)
    remaining: int | None  # None for unlimited
    reminder_queued: bool


def count_covered_use(session: Session, subscription_id: str, clock: Clock) -> CoveredUse:
    """Count one covered call or session against the current period, atomically (a
    conditional UPDATE, so two calls can't both take the last one), and queue the rule-12
    reminder once per period when the remaining count reaches the threshold."""
    now = clock.now()
    result = session.execute(
        update(Subscription)
        .where(
            Subscription.id == subscription_id,
            Subscription.status == SubscriptionStatus.ACTIVE,
            Subscription.current_period_start <= now,
            Subscription.current_period_end > now,
            (Subscription.allotment.is_(None))
            | (Subscription.used_in_period < Subscription.allotment),
        )
        .values(used_in_period=Subscription.used_in_period + 1)
        .execution_options(synchronize_session=False)
    )
    counted = isinstance(result, CursorResult) and result.rowcount == 1
    subscription = session.get_one(Subscription, subscription_id)
    session.refresh(subscription)
    remaining = remaining_of(subscription)
    queued = False
    if counted and remaining is not None and subscription.allotment:
        sent = subscription.usage_reminder_sent_for == subscription.current_period_start
        if calls_reminder_due(subscription.allotment, remaining, sent):
            subscription.usage_reminder_sent_for = subscription.current_period_start
            queued = queue_calls_remaining_reminder(session, subscription, remaining, clock)
    return CoveredUse(counted=counted, remaining=remaining, reminder_queued=queued)


def uncount_covered_use(session: Session, subscription_id: str, authorized_at: datetime
                        ) -> None:
    """Give back the use a covered call took if it never connected (0 s): only a call that
    took place uses one of the allotment. Only within the period it was counted in."""
    session.execute(
        update(Subscription)
        .where(Subscription.id == subscription_id, Subscription.used_in_period > 0,
               Subscription.current_period_start <= authorized_at,
               Subscription.current_period_end > authorized_at)
        .values(used_in_period=Subscription.used_in_period - 1)
        .execution_options(synchronize_session=False)
    )
