"""Subscription rules (1-3, 6-8, 12, 13): which plans a family may buy, the quote and the
no-refund terms, starting a paid subscription, and what a family may change before the period
ends. Renewal at period end lives in :mod:`central.plans.renewals`.

Statuses other code may rely on: a subscription covers calls while ``status == ACTIVE`` and
``current_period_start <= t < current_period_end``; ``used_in_period`` counts the covered
calls (or sessions) of the current period and is reset to 0 when a new period starts.
EXPIRED and CANCELED are final.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from central.calls.models import Destination
from central.clock import Clock
from central.identity.models import Account, LinkedResident
from central.mail.notifications import (
    CallsRemainingReminder,
    CancellationConfirmation,
    CoverageEndedNotice,
    CoverageEndReason,
    ManualRenewalReminder,
    RateLine,
    SubscriptionReceipt,
    calls_remaining_reminder,
    calls_reminder_due,
    cancellation_confirmation,
    coverage_ended_notice,
    manual_renewal_reminder,
    subscription_receipt,
)
from central.mail.notifications import CardOnFile as MailCard
from central.mail.outbox import facility_ref, queue_mail, recipient_of
from central.money import ledger
from central.money.gateway import DeclineCode
from central.money.models import PaymentMethod
from central.money.payments import CardOnFile, active_methods
from central.plans.models import (
    Facility,
    Plan,
    PlanKind,
    RenewalMode,
    Service,
    Subscription,
    SubscriptionPeriod,
    SubscriptionStatus,
)
from central.plans.periods import (
    boundary,
    canonical_utc,
    period_containing,
    renewal_idempotency_key,
)
from central.problems import ProblemError

TERMS_VERSION = "no-refund-2026-01"
TERMS_TEXT = {
    "en": (
        "No refunds. The subscription price is charged now for one month. If you cancel "
        "early, if calls or sessions go unused, or for any fee, nothing is refunded. "
        "Cancelling stops the next renewal; coverage lasts until the end of the paid period."
    ),
    "es": (
        "Sin reembolsos. El precio de la suscripción se cobra ahora por un mes. Si cancela "
        "antes de tiempo, si no usa llamadas o sesiones, o por cualquier tarifa, no se "
        "reembolsa nada. Cancelar detiene la próxima renovación; la cobertura dura hasta el "
        "fin del período pagado."
    ),
}


def service_of(kind: PlanKind) -> Service:
    return Service.CALLS if kind is PlanKind.CALL else Service.VIDEO


def remaining_of(subscription: Subscription) -> int | None:
    """Calls or sessions left this period; None for unlimited."""
    if subscription.allotment is None:
        return None
    return max(0, subscription.allotment - subscription.used_in_period)


def _language(account: Account) -> str:
    return "es" if account.language.lower().startswith("es") else "en"


def coverage_text(kind: PlanKind, allotment: int | None, language: str) -> str:
    spanish = language == "es"
    if kind is PlanKind.CALL:
        return (
            f"Hasta {allotment} llamadas dentro del estado por período, de cualquier duración, "
            "al teléfono registrado. Las llamadas fuera del estado e internacionales no están "
            "incluidas." if spanish else
            f"Up to {allotment} in-state calls per period, any length, to your registered "
            "phone. Out-of-state and international calls are not included."
        )
    if allotment is None:
        return ("Videollamadas ilimitadas por período" if spanish
                else "Unlimited video sessions per period")
    return (f"{allotment} videollamadas por período" if spanish
            else f"{allotment} video sessions per period")


# --- what may be bought ----------------------------------------------------------------


def plan_not_offered(detail: str) -> ProblemError:
    return ProblemError(422, "plan_not_offered", "This plan is not offered to this account",
                        detail, field="plan_id")


def offered_plan(session: Session, account_id: str, plan_id: str) -> tuple[Plan, Facility]:
    """Rule 1: an active plan of a participating facility the account is linked to."""
    plan = session.get(Plan, plan_id)
    if plan is None or not plan.active:
        raise plan_not_offered("No such plan is on sale.")
    facility = session.get_one(Facility, plan.facility_id)
    if not facility.offers_subscriptions:
        raise plan_not_offered(f"{facility.name} does not take part in subscriptions.")
    linked = session.execute(
        select(LinkedResident.id).where(LinkedResident.account_id == account_id,
                                        LinkedResident.facility_id == facility.id)
    ).first()
    if linked is None:
        raise plan_not_offered(f"The account has no loved one linked at {facility.name}.")
    return plan, facility


@dataclass(frozen=True)
class SubscriptionQuote:
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
    period_start: datetime
    period_end: datetime
    language: str

    @property
    def covered_destinations(self) -> list[Destination]:
        return [Destination.IN_STATE] if self.plan_kind is PlanKind.CALL else []

    @property
    def coverage(self) -> str:
        return coverage_text(self.plan_kind, self.allotment, self.language)

    @property
    def terms_text(self) -> str:
        return TERMS_TEXT[self.language]


def purchase_start(now: datetime) -> datetime:
    """A new subscription's anchor: the purchase time in whole seconds, so that every renewal
    key written from it is the same text on every run."""
    return now.replace(microsecond=0)


def quote_subscription(
    session: Session, account_id: str, plan_id: str, renewal_mode: RenewalMode, now: datetime
) -> SubscriptionQuote:
    plan, facility = offered_plan(session, account_id, plan_id)
    account = session.get_one(Account, account_id)
    start = purchase_start(now)
    return SubscriptionQuote(
        plan_id=plan.id, plan_name=plan.name, plan_kind=plan.kind, service=service_of(plan.kind),
        facility_id=facility.id, facility_name=facility.name, timezone=facility.timezone,
        price_cents=plan.price_cents, allotment=plan.allotment, renewal_mode=renewal_mode,
        period_start=start, period_end=boundary(start, 1, facility.timezone),
        language=_language(account),
    )


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
        payment_method_id=card.payment_method_id, period_anchor=quote.period_start,
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


# --- managing a running subscription ----------------------------------------------------


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
    """Rule 8: stays active until the period ends, then ends. Returns False when it already
    was marked (nothing changes, no second e-mail)."""
    now = clock.now()
    require_changeable(subscription, now)
    if subscription.cancel_at_period_end:
        return False
    subscription.cancel_at_period_end = True
    account, facility, plan = _context(session, subscription)
    queue_mail(
        session,
        cancellation_confirmation(CancellationConfirmation(
            recipient=recipient_of(account), facility=facility_ref(facility),
            plan_name=plan.name, active_until=subscription.current_period_end,
        )),
        f"cancellation:{subscription.id}:{canonical_utc(now)}",
        clock,
    )
    return True


def resume(subscription: Subscription, now: datetime) -> None:
    """Rule 8: undo a cancellation before the period ends."""
    require_changeable(subscription, now)
    subscription.cancel_at_period_end = False


def change_renewal(session: Session, subscription: Subscription, renewal_mode: RenewalMode,
                   payment_method_id: str | None, now: datetime) -> None:
    """Rule 7: a change of renewal choice (auto / manual) waits for the end of the current
    period; asking for what is already in force clears a pending one. Updating the card is
    immediate (rule 13: a renewal always charges the card on file)."""
    require_changeable(subscription, now)
    check_card_choice(session, subscription.account_id, renewal_mode, payment_method_id)
    if payment_method_id is not None:
        subscription.payment_method_id = payment_method_id
    subscription.pending_payment_method_id = None
    subscription.pending_renewal_mode = (
        None if renewal_mode is subscription.renewal_mode else renewal_mode)


def apply_pending_change(subscription: Subscription) -> None:
    """Rule 7, at period end."""
    if subscription.pending_renewal_mode is not None:
        subscription.renewal_mode = subscription.pending_renewal_mode
    if subscription.pending_payment_method_id is not None:
        subscription.payment_method_id = subscription.pending_payment_method_id
    subscription.pending_renewal_mode = None
    subscription.pending_payment_method_id = None


def prepaid_next_period(session: Session, subscription: Subscription) -> SubscriptionPeriod | None:
    """The period after the current one, if renew-now already paid for it."""
    return session.execute(
        select(SubscriptionPeriod).where(
            SubscriptionPeriod.subscription_id == subscription.id,
            SubscriptionPeriod.period_start == subscription.current_period_end,
        )
    ).scalar_one_or_none()


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
    from the current period's end. At most one period ahead."""
    require_changeable(subscription, now)
    if subscription.renewal_mode is not RenewalMode.MANUAL:
        raise ProblemError(409, "not_manual_renewal",
                           "This subscription renews automatically",
                           "Renew-now is for subscriptions that renew manually.")
    if subscription.cancel_at_period_end:
        raise ProblemError(409, "cancellation_pending",
                           "This subscription is marked for cancellation",
                           "Resume it first, then renew.")
    if prepaid_next_period(session, subscription) is not None:
        raise ProblemError(409, "already_renewed", "The next period is already paid",
                           "A subscription can be renewed at most one period ahead.")
    start = subscription.current_period_end
    return RenewNowCharge(
        subscription_id=subscription.id, account_id=subscription.account_id,
        amount_cents=subscription.price_cents, period_start=start,
        period_end=boundary(subscription.period_anchor, subscription.period_index + 2, timezone),
        charge_key=renewal_idempotency_key(subscription.id, start),
    )


def record_paid_period(
    session: Session, subscription: Subscription, *, start: datetime, end: datetime,
    card: CardOnFile, amount_cents: int, charge_id: str, gateway_charge_id: str,
    charge_key: str, clock: Clock,
) -> SubscriptionPeriod:
    """A paid next period (renew-now or an automatic renewal) and its receipt e-mail."""
    period = SubscriptionPeriod(
        subscription_id=subscription.id, period_start=start, period_end=end,
        amount_cents=amount_cents, charge_key=charge_key, charge_id=charge_id,
        charged_at=clock.now(),
    )
    session.add(period)
    session.flush()
    queue_receipt(session, subscription, start, end, card, gateway_charge_id, clock)
    return period


def enter_period(subscription: Subscription, period: SubscriptionPeriod, timezone: str) -> None:
    """Make ``period`` the current one: counters and reminders start again."""
    subscription.period_index = period_containing(
        subscription.period_anchor, period.period_start, timezone).index
    subscription.current_period_start = period.period_start
    subscription.current_period_end = period.period_end
    subscription.used_in_period = 0
    subscription.usage_reminder_sent_for = None
    subscription.renewal_reminder_sent_for = None


# --- coverage, for call rating ------------------------------------------------------------


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
            account, facility, plan = _context(session, subscription)
            subscription.usage_reminder_sent_for = subscription.current_period_start
            queued = queue_mail(
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


# --- e-mail -------------------------------------------------------------------------------


def _context(session: Session, subscription: Subscription) -> tuple[Account, Facility, Plan]:
    return (session.get_one(Account, subscription.account_id),
            session.get_one(Facility, subscription.facility_id),
            session.get_one(Plan, subscription.plan_id))


def queue_receipt(session: Session, subscription: Subscription, start: datetime,
                  end: datetime, card: CardOnFile, reference: str, clock: Clock) -> None:
    account, facility, plan = _context(session, subscription)
    queue_mail(
        session,
        subscription_receipt(SubscriptionReceipt(
            recipient=recipient_of(account), facility=facility_ref(facility),
            plan_name=plan.name, plan_kind=plan.kind, price_cents=subscription.price_cents,
            allotment=subscription.allotment, period_start=start, period_end=end,
            renews_automatically=subscription.renewal_mode is RenewalMode.AUTO,
            card=MailCard(card.brand, card.last4), reference=reference,
        )),
        f"receipt:subscription:{subscription.id}:{canonical_utc(start)}",
        clock,
    )


def queue_manual_renewal_reminder(session: Session, subscription: Subscription,
                                  clock: Clock) -> bool:
    account, facility, plan = _context(session, subscription)
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
    account, facility, plan = _context(session, subscription)
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


def card_of(session: Session, subscription: Subscription) -> PaymentMethod | None:
    """The card shown for a subscription: its own, or, once that one was replaced (rule 13),
    the account's card on file, which is the one a renewal charges."""
    if subscription.payment_method_id is not None:
        own = session.get(PaymentMethod, subscription.payment_method_id)
        if own is not None and own.removed_at is None:
            return own
    methods = active_methods(session, subscription.account_id)
    return methods[0] if methods else None
