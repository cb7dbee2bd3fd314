"""A subscription's next period, and the one state machine that owns it (rules 5-8,
docs/billing-rules.md, "The next period").

Every rule about what happens when a period ends is here, and every caller asks this module:
the cancel, resume, change-renewal and renew-now handlers before the end, the renewal run
(:mod:`central.plans.renewals`) at the end, and the renewal charge's effect
(:mod:`central.plans.purchases`) when the gateway answers.

The state is read from the database, never kept beside it:

- **payment** of the next period: ``nothing`` (no attempt, or the last one charged nothing:
  abandoned, refunded), ``paying`` (an attempt is pending: the gateway may have taken it),
  ``paid`` (a period starting at the current end is recorded) or ``declined`` (the last
  attempt was declined);
- **who** made the attempt: the family (renew-now) or the renewal run;
- **cancel requested** (``cancel_at_period_end``) and the **renewal choice** in force at the
  end (a pending change counts).

Each attempt to pay the next period has its own gateway key,
``renewal:{subscription id}:{start of the next period}:{attempt}``
(``subscriptions.renewal_attempt`` is the latest attempt's number, 0 before the first; a key
without the number is a charge from before attempts were numbered). A decline spends one
attempt, not the period. That one period is paid at most once is kept by the database, not
by a key: ``subscription_periods`` has one row per subscription and period start, and one
period per charge, so a second approved charge for the same period has nowhere to go and is
refunded (:func:`central.money.charges.settle`).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from central.kernel.clock import Clock
from central.kernel.problems import ProblemError
from central.mail.notifications import CoverageEndReason, Letter
from central.mail.outbox import queue_mails
from central.money.gateway import DeclineCode
from central.money.models import Charge, ChargeState
from central.money.payments import CardOnFile
from central.plans.charge_details import RenewalDetails, instant
from central.plans.coverage import prepaid_next_period
from central.plans.letters import end_reason_for, queue_receipt, receipt_letter
from central.plans.models import (
    RenewalMode,
    Subscription,
    SubscriptionPeriod,
    SubscriptionStatus,
)
from central.plans.periods import period_containing, renewal_idempotency_key

RUN = "renewal"  # an attempt the renewal run made (automatic renewal, rule 5)
RENEW_NOW = "renew_now"  # an attempt the family made (rule 6)


class Payment(enum.StrEnum):
    NOTHING = "nothing"
    PAYING = "paying"
    PAID = "paid"
    DECLINED = "declined"


class AtEnd(enum.StrEnum):
    """What the renewal run does with a subscription whose period has ended."""

    ENTER = "enter"  # the next period is paid: it becomes the current one
    CANCEL = "cancel"  # the family cancelled and nothing is paid: it ends (canceled)
    EXPIRE = "expire"  # nothing paid and nothing to charge: it ends (expired)
    WAIT = "wait"  # the family's attempt is pending: its charge decides, not the run
    CHARGE = "charge"  # automatic renewal: charge the card under the attempt's key


def attempt_key(subscription_id: str, start: datetime, attempt: int) -> str:
    """The gateway key of one attempt to pay the period starting at ``start``."""
    period = renewal_idempotency_key(subscription_id, start)
    return period if attempt == 0 else f"{period}:{attempt}"


@dataclass(frozen=True)
class NextPeriod:
    payment: Payment
    by: str | None  # who made the latest attempt (RUN, RENEW_NOW); None without one
    attempt: int  # the latest attempt's number; 0 before the first
    cancel_requested: bool
    renews: RenewalMode  # the renewal choice in force when the period ends
    price_cents: int

    def next_attempt(self) -> int:
        """The attempt to charge now: the pending one again (its key makes a second ask a
        replay), else a new one."""
        return self.attempt if self.payment is Payment.PAYING else self.attempt + 1


@dataclass(frozen=True)
class Facts:
    """What the state is read from: the period already paid and the latest attempt."""

    paid: SubscriptionPeriod | None
    charge: Charge | None


def state_of(subscription: Subscription, facts: Facts) -> NextPeriod:
    charge = facts.charge
    by = RenewalDetails.model_validate_json(charge.details).by if charge is not None else None
    if facts.paid is not None:
        payment = Payment.PAID
    elif charge is None:
        payment = Payment.NOTHING
    elif charge.state is ChargeState.PENDING:
        payment = Payment.PAYING
    elif charge.state is ChargeState.DECLINED:
        payment = Payment.DECLINED
    else:  # abandoned or refunded: nothing was kept; settled: for a period already entered
        payment = Payment.NOTHING
    return NextPeriod(
        payment=payment, by=by, attempt=subscription.renewal_attempt,
        cancel_requested=subscription.cancel_at_period_end,
        renews=subscription.pending_renewal_mode or subscription.renewal_mode,
        price_cents=subscription.price_cents,
    )


def read(session: Session, subscription: Subscription) -> tuple[NextPeriod, Facts]:
    """The state of one subscription (lock it first to change it)."""
    key = attempt_key(subscription.id, subscription.current_period_end,
                      subscription.renewal_attempt)
    facts = Facts(prepaid_next_period(session, subscription), session.execute(
        select(Charge).where(Charge.gateway_key == key)).scalar_one_or_none())
    return state_of(subscription, facts), facts


def read_many(session: Session, subscriptions: Iterable[Subscription]) -> dict[str, Facts]:
    """The facts of a batch of subscriptions, in two queries."""
    batch = list(subscriptions)
    if not batch:
        return {}
    paid = {(p.subscription_id, p.period_start): p for p in session.execute(
        select(SubscriptionPeriod).where(tuple_(
            SubscriptionPeriod.subscription_id, SubscriptionPeriod.period_start
        ).in_([(s.id, s.current_period_end) for s in batch]))).scalars()}
    keys = {s.id: attempt_key(s.id, s.current_period_end, s.renewal_attempt) for s in batch}
    charges = {c.gateway_key: c for c in session.execute(
        select(Charge).where(Charge.gateway_key.in_(list(keys.values())))).scalars()}
    return {s.id: Facts(paid.get((s.id, s.current_period_end)), charges.get(keys[s.id]))
            for s in batch}


# --- the transitions ------------------------------------------------------------------------


def at_period_end(state: NextPeriod) -> AtEnd:
    """The table of docs/billing-rules.md, "The next period", in its order: a paid period is
    always entered (a cancel then ends the subscription at the end of that paid period); a
    family's pending attempt is waited for; the run's own pending attempt is asked again
    under its key; then a cancel ends it; a manual plan, a declined automatic renewal or a
    price under 1 c expires it; an automatic plan is charged."""
    if state.payment is Payment.PAID:
        return AtEnd.ENTER
    if state.payment is Payment.PAYING:
        return AtEnd.WAIT if state.by == RENEW_NOW else AtEnd.CHARGE
    if state.cancel_requested:
        return AtEnd.CANCEL
    if state.renews is RenewalMode.MANUAL:
        return AtEnd.EXPIRE
    if state.payment is Payment.DECLINED and state.by == RUN:
        return AtEnd.EXPIRE
    if state.price_cents < 1:
        return AtEnd.EXPIRE
    return AtEnd.CHARGE


def end_reason(state: NextPeriod, decline_code: str | None) -> CoverageEndReason:
    """Why an EXPIRE ended coverage, for the family's letter."""
    if state.payment is Payment.DECLINED and state.by == RUN:
        return end_reason_for(DeclineCode(decline_code) if decline_code else None)
    return CoverageEndReason.NOT_RENEWED


def renew_now_attempt(state: NextPeriod, renewal_mode: RenewalMode) -> int:
    """Rule 6: the attempt a renew-now charges under, or why it may not. The renewal choice
    in force now decides (a pending switch to manual waits for period end); a decline or an
    attempt that charged nothing leaves the period open for another card."""
    if renewal_mode is not RenewalMode.MANUAL:
        raise ProblemError(409, "not_manual_renewal",
                           "This subscription renews automatically",
                           "Renew-now is for subscriptions that renew manually.")
    if state.cancel_requested:
        raise ProblemError(409, "cancellation_pending",
                           "This subscription is marked for cancellation",
                           "Resume it first, then renew.")
    if state.payment is Payment.PAID:
        raise ProblemError(409, "already_renewed", "The next period is already paid",
                           "A subscription can be renewed at most one period ahead.")
    return state.next_attempt()


def covered_until(subscription: Subscription, facts: Facts) -> datetime:
    """The end of the last paid period: a cancel ends the subscription there (rule 8), so a
    next period already paid is honoured first."""
    return facts.paid.period_end if facts.paid is not None else subscription.current_period_end


def request_cancel(subscription: Subscription, facts: Facts) -> datetime | None:
    """Rule 8, before the end, in any payment state: the subscription ends when the last
    paid period does. Answers until when it is covered, or None if it was already asked."""
    if subscription.cancel_at_period_end:
        return None
    subscription.cancel_at_period_end = True
    return covered_until(subscription, facts)


def withdraw_cancel(subscription: Subscription) -> None:
    """Rule 8, before the end: resume. The payment state is untouched."""
    subscription.cancel_at_period_end = False


def choose_renewal(subscription: Subscription, renewal_mode: RenewalMode,
                   payment_method_id: str | None) -> None:
    """Rule 7: the renewal choice in force at the end (asking for the one in force clears a
    pending change); a new card applies at once (rule 13). An attempt already made stands:
    a paid period is entered whatever the choice, a pending one is waited for."""
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


def enter_period(subscription: Subscription, period: SubscriptionPeriod, timezone: str) -> None:
    """Make ``period`` the current one: counters, reminders and attempts start again."""
    subscription.period_index = period_containing(
        subscription.period_anchor, period.period_start, timezone).index
    subscription.current_period_start = period.period_start
    subscription.current_period_end = period.period_end
    subscription.used_in_period = 0
    subscription.usage_reminder_sent_for = None
    subscription.renewal_reminder_sent_for = None
    subscription.renewal_attempt = 0


def record_paid_period(
    session: Session, subscription: Subscription, *, start: datetime, end: datetime,
    card: CardOnFile, amount_cents: int, charge_id: str, gateway_charge_id: str,
    charge_key: str, clock: Clock,
) -> SubscriptionPeriod | None:
    """A paid next period and its receipt e-mail; None when the period is paid already (by
    another charge: the database's one-row-per-period constraint refused this one)."""
    period = SubscriptionPeriod(
        subscription_id=subscription.id, period_start=start, period_end=end,
        amount_cents=amount_cents, charge_key=charge_key, charge_id=charge_id,
        charged_at=clock.now(),
    )
    try:
        with session.begin_nested():
            session.add(period)
    except IntegrityError:
        return None
    queue_receipt(session, subscription, start, end, card, gateway_charge_id, clock)
    return period


def paid(session: Session, subscription: Subscription, charge: Charge, timezone: str,
         clock: Clock) -> bool:
    """An approved attempt: record the period it bought and, once the current period has
    ended, enter it. False (the charge is then refunded) when the subscription can no longer
    use it: ended, moved on to another period, or the period paid by another charge."""
    details = RenewalDetails.model_validate_json(charge.details)
    start, end = instant(details.start), instant(details.end)
    taken = session.execute(select(SubscriptionPeriod.charge_key).where(
        SubscriptionPeriod.subscription_id == subscription.id,
        SubscriptionPeriod.period_start == start)).first()
    if taken is not None:
        # Paid under this very key already (a period from before charges were rows): that
        # is this charge's effect, never to be refunded.
        return bool(taken.charge_key == charge.gateway_key)
    if not _still_following(subscription, details):
        return False
    period = record_paid_period(
        session, subscription, start=start, end=end, card=details.card.on_file(),
        amount_cents=charge.amount_cents, charge_id=charge.id,
        gateway_charge_id=charge.gateway_charge_id or "", charge_key=charge.gateway_key,
        clock=clock,
    )
    if period is None:
        return False
    if clock.now() >= subscription.current_period_end:
        enter_period(subscription, period, timezone)
    subscription.renewal_claim = None
    subscription.renewal_claimed_at = None
    return True


def paid_many(session: Session, paying: Sequence[tuple[Subscription, Charge]],
              timezones: dict[str, str], clock: Clock) -> list[bool]:
    """:func:`paid` for a batch of approved attempts (a renewal batch's), each subscription
    locked by the caller and named once: the periods already recorded in one query, the new
    periods and their receipts in one INSERT each, the subscriptions' changes in one
    executemany UPDATE at the caller's flush. The same decision as :func:`paid` for each;
    a period the database refuses fails the whole flush (the caller then settles the batch
    one by one, where that charge alone is refunded)."""
    if not paying:
        return []
    read = [(subscription, charge, RenewalDetails.model_validate_json(charge.details))
            for subscription, charge in paying]
    starts = {(s.id, instant(d.start)) for s, _c, d in read}
    taken = {(p.subscription_id, p.period_start): p.charge_key for p in session.execute(
        select(SubscriptionPeriod.subscription_id, SubscriptionPeriod.period_start,
               SubscriptionPeriod.charge_key).where(tuple_(
                   SubscriptionPeriod.subscription_id, SubscriptionPeriod.period_start
               ).in_(list(starts))))}
    now = clock.now()
    used: list[bool] = []
    periods: list[SubscriptionPeriod] = []  # never added to the session: inserted below
    letters: list[tuple[Letter, str]] = []
    for subscription, charge, details in read:
        start, end = instant(details.start), instant(details.end)
        key = taken.get((subscription.id, start))
        if key is not None:
            used.append(key == charge.gateway_key)  # as in paid(): this charge's own period
            continue
        if not _still_following(subscription, details):
            used.append(False)
            continue
        period = SubscriptionPeriod(
            subscription_id=subscription.id, period_start=start, period_end=end,
            amount_cents=charge.amount_cents, charge_key=charge.gateway_key,
            charge_id=charge.id, charged_at=now)
        periods.append(period)
        taken[(subscription.id, start)] = charge.gateway_key
        letters.append(receipt_letter(session, subscription, start, end,
                                      details.card.on_file(), charge.gateway_charge_id or ""))
        if now >= subscription.current_period_end:
            enter_period(subscription, period, timezones[subscription.facility_id])
        subscription.renewal_claim = None
        subscription.renewal_claimed_at = None
        used.append(True)
    if periods:  # one INSERT (the ORM's would be one per row: their ids are the database's)
        session.execute(insert(SubscriptionPeriod), [{
            "subscription_id": p.subscription_id, "period_start": p.period_start,
            "period_end": p.period_end, "amount_cents": p.amount_cents,
            "charge_key": p.charge_key, "charge_id": p.charge_id, "charged_at": p.charged_at,
        } for p in periods])
    queue_mails(session, letters, clock)
    return used


def declined_ends_coverage(subscription: Subscription, charge: Charge) -> bool:
    """A declined attempt of the renewal run ends coverage for good (rule 5); a declined
    renew-now only answers 402: the period stays open for another card."""
    details = RenewalDetails.model_validate_json(charge.details)
    return details.by == RUN and _still_following(subscription, details)


def _still_following(subscription: Subscription, details: RenewalDetails) -> bool:
    return (subscription.status is SubscriptionStatus.ACTIVE
            and subscription.current_period_end == instant(details.ending_period_end))
