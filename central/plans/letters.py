"""The letters a subscription sends (rules 5, 6, 8, 12): the receipt of a paid period, the
cancellation confirmation, the calls-remaining and manual-renewal reminders, and the notice
that coverage ended. Each is queued in the outbox as its kind and data, in the caller's
transaction, under a key that makes it once (:mod:`central.mail.outbox`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from central.identity.models import Account
from central.kernel.clock import Clock
from central.kernel.facilities import Facility, Plan
from central.mail.notifications import (
    CallsRemainingReminder,
    CancellationConfirmation,
    CoverageEndedNotice,
    CoverageEndReason,
    Letter,
    ManualRenewalReminder,
    RateLine,
    SubscriptionReceipt,
    calls_remaining_reminder,
    cancellation_confirmation,
    coverage_ended_notice,
    manual_renewal_reminder,
    subscription_receipt,
)
from central.mail.notifications import CardOnFile as MailCard
from central.mail.outbox import facility_ref, queue_mail, recipient_of
from central.money import ledger
from central.money.gateway import DeclineCode
from central.money.payments import CardOnFile
from central.plans.models import RenewalMode, Service, Subscription
from central.plans.periods import canonical_utc


def subscription_context(session: Session, subscription: Subscription
                         ) -> tuple[Account, Facility, Plan]:
    return (session.get_one(Account, subscription.account_id),
            session.get_one(Facility, subscription.facility_id),
            session.get_one(Plan, subscription.plan_id))


def queue_receipt(session: Session, subscription: Subscription, start: datetime,
                  end: datetime, card: CardOnFile, reference: str, clock: Clock) -> None:
    queue_mail(session, *receipt_letter(session, subscription, start, end, card, reference),
               clock)


def receipt_letter(session: Session, subscription: Subscription, start: datetime,
                   end: datetime, card: CardOnFile, reference: str) -> tuple[Letter, str]:
    """The receipt of a paid period and its outbox key (once per subscription and period)."""
    account, facility, plan = subscription_context(session, subscription)
    return (
        subscription_receipt(SubscriptionReceipt(
            recipient=recipient_of(account), facility=facility_ref(facility),
            plan_name=plan.name, plan_kind=plan.kind, price_cents=subscription.price_cents,
            allotment=subscription.allotment, period_start=start, period_end=end,
            renews_automatically=subscription.renewal_mode is RenewalMode.AUTO,
            # A card on the reader not named yet (a webhook settled first): "a card".
            card=MailCard(card.brand, card.last4) if card.last4 else None,
            reference=reference,
        )),
        f"receipt:subscription:{subscription.id}:{canonical_utc(start)}",
    )


def queue_cancellation_confirmation(session: Session, subscription: Subscription,
                                    active_until: datetime, clock: Clock) -> None:
    """Rule 8: cancelled; covered until ``active_until`` (the end of the last paid
    period)."""
    account, facility, plan = subscription_context(session, subscription)
    queue_mail(
        session,
        cancellation_confirmation(CancellationConfirmation(
            recipient=recipient_of(account), facility=facility_ref(facility),
            plan_name=plan.name, active_until=active_until,
        )),
        f"cancellation:{subscription.id}:{canonical_utc(clock.now())}",
        clock,
    )


def queue_calls_remaining_reminder(session: Session, subscription: Subscription,
                                   remaining: int, clock: Clock) -> bool:
    """Rule 12: once a period, when the remaining calls reach the threshold."""
    assert subscription.allotment is not None
    account, facility, plan = subscription_context(session, subscription)
    return queue_mail(
        session,
        calls_remaining_reminder(CallsRemainingReminder(
            recipient=recipient_of(account), facility=facility_ref(facility),
            plan_name=plan.name, calls_remaining=remaining,
            allotment=subscription.allotment,
            period_end=subscription.current_period_end,
            video=subscription.service is Service.VIDEO,
        )),
        f"usage-reminder:{subscription.id}:"
        f"{canonical_utc(subscription.current_period_start)}",
        clock,
    )


def queue_manual_renewal_reminder(session: Session, subscription: Subscription,
                                  clock: Clock) -> bool:
    account, facility, plan = subscription_context(session, subscription)
    return queue_mail(
        session,
        manual_renewal_reminder(ManualRenewalReminder(
            recipient=recipient_of(account), facility=facility_ref(facility),
            plan_name=plan.name, price_cents=subscription.price_cents,
            period_end=subscription.current_period_end,
        )),
        f"renewal-reminder:{subscription.id}:{canonical_utc(subscription.current_period_start)}",
        clock,
    )


def end_reason_for(decline: DeclineCode | None) -> CoverageEndReason:
    if decline is DeclineCode.CARD_EXPIRED:
        return CoverageEndReason.CARD_EXPIRED
    return CoverageEndReason.PAYMENT_DECLINED


def queue_coverage_ended(session: Session, subscription: Subscription,
                         reason: CoverageEndReason, clock: Clock) -> None:
    """Rule 5: coverage ended; calls now go to AdvanceConnect at these rates."""
    account, facility, plan = subscription_context(session, subscription)
    ended_at = subscription.ended_at or subscription.current_period_end
    queue_mail(
        session,
        coverage_ended_notice(CoverageEndedNotice(
            recipient=recipient_of(account), facility=facility_ref(facility),
            plan_name=plan.name, reason=reason, ended_at=ended_at,
            rates=[RateLine(r.kind, r.destination, r.cents_per_minute) for r in facility.rates],
            balance_cents=ledger.balance_cents(session, account.id),
            video_session_price_cents=(
                facility.video_session_price_cents
                if subscription.service is Service.VIDEO else None
            ),
        )),
        f"coverage-ended:{subscription.id}",
        clock,
    )
