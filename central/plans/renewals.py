"""Renewals at period end (rules 5-8) and the manual-renewal reminder (rule 6): one function,
:func:`run_renewals`, run by ``lobby-central renew --as-of`` and by the in-process scheduler.

Safe to run in several processes at once. Each due subscription is claimed with a conditional
UPDATE whose row count says who won (candidates are picked ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL; SQLite ignores that clause and serializes writers anyway). The card is charged
with no transaction open, under the key ``renewal:{id}:{end of the period that ends}``, after
a ``charges`` row is committed (:mod:`central.money.charges`): if the process dies between
the charge and the commit, the reconciler settles the charge, or the claim goes stale and a
later run takes it over and gets the gateway's replay instead of a second charge.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from central.clock import Clock, SystemClock
from central.db.engine import Database
from central.mail.notifications import CoverageEndReason
from central.money.charges import (
    ask_gateway,
    charge_by_key,
    open_charge,
    settle,
)
from central.money.gateway import PaymentGateway
from central.money.models import ChargeState
from central.money.payments import CardOnFile, card_on_file
from central.plans.models import Facility, RenewalMode, Subscription, SubscriptionStatus
from central.plans.periods import (
    boundary,
    canonical_utc,
    period_containing,
    renewal_idempotency_key,
)
from central.plans.purchases import RENEWAL, expire, renewal_spec
from central.plans.subscriptions import (
    apply_pending_change,
    enter_period,
    prepaid_next_period,
    queue_coverage_ended,
    queue_manual_renewal_reminder,
)

log = logging.getLogger(__name__)

CLAIM_STALE_AFTER = timedelta(minutes=10)
REMINDER_BEFORE_END = timedelta(days=3)
DEFAULT_LIMIT = 500


class Outcome(enum.Enum):
    RENEWED = "renewed"
    EXPIRED = "expired"
    CANCELED = "canceled"
    SKIPPED = "skipped"  # another worker got there first


@dataclass
class RenewalReport:
    as_of: datetime
    claimed: int = 0
    renewed: int = 0
    expired: int = 0
    canceled: int = 0
    skipped: int = 0
    failed: int = 0
    reminders: int = 0

    def count(self, outcome: Outcome) -> None:
        setattr(self, outcome.value, getattr(self, outcome.value) + 1)

    def summary(self) -> str:
        return (
            f"renewals as of {canonical_utc(self.as_of)}: {self.claimed} due, "
            f"{self.renewed} renewed, {self.expired} expired, {self.canceled} canceled, "
            f"{self.skipped} skipped, {self.failed} failed, {self.reminders} reminders queued"
        )


def run_renewals(
    db: Database, gateway: PaymentGateway, clock: Clock, *, worker_id: str,
    limit: int = DEFAULT_LIMIT, wall_clock: Clock | None = None,
) -> RenewalReport:
    """Renew, expire or end every active subscription whose period ended by ``clock.now()``
    (at most ``limit`` of them), then queue due manual-renewal reminders. E-mail is queued in
    the outbox; deliver it with :func:`central.mail.outbox.deliver_pending`.

    Claims are stamped and judged stale by ``wall_clock`` (the real time by default), never
    by ``clock``: a run ``--as-of`` a past time would otherwise stamp claims that the live
    scheduler at once takes for abandoned ones."""
    now = clock.now()
    wall = wall_clock or SystemClock()
    report = RenewalReport(as_of=now)
    attempted: set[str] = set()
    while len(attempted) < limit:
        claimed = _claim_next(db, worker_id, now, wall.now(), attempted)
        if claimed is None:
            break
        subscription_id, won = claimed
        attempted.add(subscription_id)
        if not won:
            report.skipped += 1
            continue
        report.claimed += 1
        try:
            report.count(_renew_one(db, gateway, clock, subscription_id, worker_id, now))
        # One subscription's failure (gateway down, a bug) must not stop the others; its
        # claim is released so the next run retries it under the same charge key.
        except Exception:
            log.exception("renewal of subscription %s failed", subscription_id)
            _release(db, subscription_id, worker_id)
            report.failed += 1
    report.reminders = queue_manual_renewal_reminders(db, clock, now)
    return report


def _claimable(now: datetime) -> ColumnElement[bool]:
    return or_(Subscription.renewal_claim.is_(None),
               Subscription.renewal_claimed_at < now - CLAIM_STALE_AFTER)


def _claim_next(db: Database, worker_id: str, now: datetime, wall_now: datetime,
                attempted: set[str]) -> tuple[str, bool] | None:
    """The next due subscription and whether this worker won its claim; None when none is
    left. One at a time, so two workers share the work instead of one taking it all."""
    due = and_(Subscription.status == SubscriptionStatus.ACTIVE,
               Subscription.current_period_end <= now, _claimable(wall_now))
    with db.transaction() as session:
        query = select(Subscription.id).where(due)
        if attempted:
            query = query.where(Subscription.id.not_in(attempted))
        candidate = session.execute(
            query.order_by(Subscription.current_period_end, Subscription.id)
            .limit(1).with_for_update(skip_locked=True)
        ).scalar_one_or_none()
        if candidate is None:
            return None
        result = session.execute(
            update(Subscription)
            .where(Subscription.id == candidate, due)
            .values(renewal_claim=worker_id, renewal_claimed_at=wall_now)
            .execution_options(synchronize_session=False)
        )
        return candidate, isinstance(result, CursorResult) and result.rowcount == 1


def _release(db: Database, subscription_id: str, worker_id: str) -> None:
    with db.transaction() as session:
        session.execute(
            update(Subscription)
            .where(Subscription.id == subscription_id, Subscription.renewal_claim == worker_id)
            .values(renewal_claim=None, renewal_claimed_at=None)
            .execution_options(synchronize_session=False)
        )


def _locked_if_ours(session: Session, subscription_id: str, worker_id: str, now: datetime
                    ) -> Subscription | None:
    subscription = session.execute(
        select(Subscription).where(Subscription.id == subscription_id).with_for_update()
    ).scalar_one()
    if (subscription.renewal_claim != worker_id
            or subscription.status is not SubscriptionStatus.ACTIVE
            or subscription.current_period_end > now):
        return None
    return subscription


def _end(subscription: Subscription, status: SubscriptionStatus) -> None:
    subscription.status = status
    subscription.ended_at = subscription.current_period_end
    subscription.renewal_claim = None
    subscription.renewal_claimed_at = None


def _next_period(subscription: Subscription, timezone: str, now: datetime
                 ) -> tuple[datetime, datetime]:
    start = subscription.current_period_end
    end = boundary(subscription.period_anchor, subscription.period_index + 2, timezone)
    if end <= now:
        # Renewals did not run for a whole period (server down, a late --as-of): bill the
        # period the family can use now, not months already past.
        current = period_containing(subscription.period_anchor, now, timezone)
        return current.start, current.end
    return start, end


def _renew_one(db: Database, gateway: PaymentGateway, clock: Clock, subscription_id: str,
               worker_id: str, now: datetime) -> Outcome:
    with db.transaction() as session:
        subscription = _locked_if_ours(session, subscription_id, worker_id, now)
        if subscription is None:
            return Outcome.SKIPPED
        timezone = session.get_one(Facility, subscription.facility_id).timezone
        apply_pending_change(subscription)  # rule 7: first, so the new choice decides
        if subscription.cancel_at_period_end:
            _end(subscription, SubscriptionStatus.CANCELED)
            queue_coverage_ended(session, subscription, CoverageEndReason.CANCELLED, clock)
            return Outcome.CANCELED
        prepaid = prepaid_next_period(session, subscription)
        if prepaid is not None:  # renew-now paid for it (rule 6)
            enter_period(subscription, prepaid, timezone)
            subscription.renewal_claim = None
            subscription.renewal_claimed_at = None
            return Outcome.RENEWED
        # The key names the period that ends, never this run's time: two runs with two
        # clocks (a late --as-of beside the scheduler) ask the gateway the same question.
        charge_key = renewal_idempotency_key(subscription.id, subscription.current_period_end)
        # A renew-now may be paying this very period (same key): then its charge is
        # finished here, under the same key (a replay at the gateway), never expired.
        existing = charge_by_key(session, charge_key)
        open_states = (ChargeState.PENDING, ChargeState.ABANDONED)
        if (subscription.renewal_mode is RenewalMode.MANUAL
                and (existing is None or existing.state not in open_states)):
            _end(subscription, SubscriptionStatus.EXPIRED)
            queue_coverage_ended(session, subscription, CoverageEndReason.NOT_RENEWED, clock)
            return Outcome.EXPIRED
        card = card_on_file(session, subscription.account_id)
        if existing is None and card is None:
            expire(session, subscription, None, clock)
            return Outcome.EXPIRED
        start, end = _next_period(subscription, timezone, now)
        if card is None:  # only the existing charge's card matters now
            card = CardOnFile("", existing.gateway_token if existing else "", "", "", 0, 0)
        charge = open_charge(session, renewal_spec(subscription, card, start=start, end=end,
                                                   charge_key=charge_key, by="renewal"), now)
    if charge.state in (ChargeState.PENDING, ChargeState.ABANDONED):
        charge = settle(db, gateway, clock, charge.id, ask_gateway(gateway, charge), RENEWAL)
    if charge.state is ChargeState.SETTLED:
        return _after_settled(db, subscription_id, worker_id, clock)
    if charge.state is ChargeState.DECLINED:
        with db.transaction() as session:
            subscription = session.execute(
                select(Subscription).where(Subscription.id == subscription_id)
                .with_for_update()).scalar_one()
            if (subscription.status is SubscriptionStatus.ACTIVE
                    and subscription.current_period_end <= now):
                expire(session, subscription, charge.decline_code, clock)
        return Outcome.EXPIRED
    _release(db, subscription_id, worker_id)
    return Outcome.SKIPPED


def _after_settled(db: Database, subscription_id: str, worker_id: str, clock: Clock
                   ) -> Outcome:
    """The paid period is recorded; enter it if an earlier settlement left it waiting."""
    with db.transaction() as session:
        subscription = session.get_one(Subscription, subscription_id)
        prepaid = prepaid_next_period(session, subscription)
        if prepaid is not None and subscription.current_period_end <= clock.now():
            timezone = session.get_one(Facility, subscription.facility_id).timezone
            enter_period(subscription, prepaid, timezone)
        if subscription.renewal_claim == worker_id:
            subscription.renewal_claim = None
            subscription.renewal_claimed_at = None
    return Outcome.RENEWED


def queue_manual_renewal_reminders(db: Database, clock: Clock, now: datetime) -> int:
    """Rule 6: once per period, ``REMINDER_BEFORE_END`` before a manual subscription ends
    (unless it is already renewed or marked for cancellation). Recorded in
    ``renewal_reminder_sent_for`` by a conditional UPDATE, so two workers send one."""
    manual_at_end = or_(
        Subscription.pending_renewal_mode == RenewalMode.MANUAL,
        and_(Subscription.pending_renewal_mode.is_(None),
             Subscription.renewal_mode == RenewalMode.MANUAL),
    )
    not_sent = or_(Subscription.renewal_reminder_sent_for.is_(None),
                   Subscription.renewal_reminder_sent_for != Subscription.current_period_start)
    due = and_(
        Subscription.status == SubscriptionStatus.ACTIVE,
        Subscription.cancel_at_period_end.is_(False),
        Subscription.current_period_end > now,
        Subscription.current_period_end <= now + REMINDER_BEFORE_END,
        manual_at_end, not_sent,
    )
    queued = 0
    with db.transaction() as session:
        for subscription in list(session.execute(select(Subscription).where(due)).scalars()):
            if prepaid_next_period(session, subscription) is not None:
                continue
            result = session.execute(
                update(Subscription)
                .where(Subscription.id == subscription.id, due)
                .values(renewal_reminder_sent_for=Subscription.current_period_start)
                .execution_options(synchronize_session=False)
            )
            if isinstance(result, CursorResult) and result.rowcount == 1:
                queue_manual_renewal_reminder(session, subscription, clock)
                queued += 1
    return queued
