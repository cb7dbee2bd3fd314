"""Renewals at period end (rules 5-8) and the manual-renewal reminder (rule 6): one function,
:func:`run_renewals`, run by ``lobby-central renew --as-of`` and by the in-process scheduler.

Safe to run in several processes at once. Each due subscription is claimed with a conditional
UPDATE whose row count says who won (candidates are picked ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL; SQLite ignores that clause and serializes writers anyway). The card is charged
with no transaction open, under the key ``renewal:{id}:{end of the period that ends}:{attempt}``
(:mod:`central.plans.next_period`, which decides what each subscription does), after
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

from central.db.engine import Database
from central.identity.models import Account
from central.kernel.clock import Clock, SystemClock
from central.kernel.facilities import Facility, Plan
from central.mail.notifications import CoverageEndReason
from central.money.charges import (
    ChargeSpec,
    ChargeView,
    ask_gateway_many,
    open_charges,
    settle_many,
)
from central.money.gateway import ChargeResult, PaymentGateway
from central.money.models import Charge, ChargeState
from central.money.payments import CardOnFile, cards_on_file
from central.plans import next_period
from central.plans.coverage import prepaid_next_period
from central.plans.letters import queue_coverage_ended, queue_manual_renewal_reminder
from central.plans.models import (
    RenewalMode,
    Subscription,
    SubscriptionStatus,
)
from central.plans.next_period import AtEnd, NextPeriod, Payment
from central.plans.periods import (
    boundary,
    canonical_utc,
    period_containing,
)
from central.plans.purchases import RENEWAL, expire, renewal_spec

log = logging.getLogger(__name__)

CLAIM_STALE_AFTER = timedelta(minutes=10)
REMINDER_BEFORE_END = timedelta(days=3)
# Subscriptions claimed, opened, charged and settled together: each batch costs one claim,
# one open and one settle transaction however large it is, and a crash or a failed
# transaction costs at most one batch's work. Small enough that its claims never go stale.
BATCH_SIZE = 100


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
    # Left alone: the period's charge is PENDING with another gateway, which this run
    # must not ask (a run on that gateway, or its reconcile, finishes it).
    other_gateway: int = 0
    # Left alone: the family's renew-now is paying the next period (its charge pending);
    # that charge decides, once the request or the reconciler finishes it.
    waiting: int = 0
    reminders: int = 0
    # The run stopped at its limit or time budget: more may be due (run again at once).
    more_due: bool = False

    def count(self, outcome: Outcome) -> None:
        setattr(self, outcome.value, getattr(self, outcome.value) + 1)

    def summary(self) -> str:
        return (
            f"renewals as of {canonical_utc(self.as_of)}: {self.claimed} due, "
            f"{self.renewed} renewed, {self.expired} expired, {self.canceled} canceled, "
            f"{self.skipped} skipped, {self.failed} failed, {self.reminders} reminders queued"
            + (f", {self.other_gateway} left for another gateway" if self.other_gateway
               else "")
            + (f", {self.waiting} waiting for a renew-now's payment" if self.waiting else "")
        )


def run_renewals(
    db: Database, gateway: PaymentGateway, clock: Clock, *, worker_id: str,
    limit: int | None = None, budget: timedelta | None = None,
    wall_clock: Clock | None = None, batch_size: int = BATCH_SIZE,
) -> RenewalReport:
    """Renew, expire or end every active subscription whose period ended by ``clock.now()``,
    in batches of ``batch_size``, until none is due (or ``limit`` were taken, or the
    ``budget`` of wall-clock time is spent: then ``more_due`` is set), then queue due
    manual-renewal reminders. E-mail is queued in the outbox; deliver it with
    :func:`central.mail.outbox.deliver_pending`.

    Claims are stamped and judged stale by ``wall_clock`` (the real time by default), never
    by ``clock``: a run ``--as-of`` a past time would otherwise stamp claims that the live
    scheduler at once takes for abandoned ones.

    A subscription that failed (gateway down, a bug) or was left unfinished keeps this
    run's claim until the run ends, so the run never takes it twice; then the claim is
    released and the next run retries it under the same charge key."""
    now = clock.now()
    wall = wall_clock or SystemClock()
    deadline = wall.now() + budget if budget is not None else None
    report = RenewalReport(as_of=now)
    held: list[str] = []
    while True:
        taken = report.claimed + report.skipped
        if (limit is not None and taken >= limit) or (
                deadline is not None and wall.now() >= deadline):
            report.more_due = True
            break
        size = batch_size if limit is None else min(batch_size, limit - taken)
        won, lost = _claim_batch(db, worker_id, now, wall.now(), size)
        if not won and not lost:
            break
        report.claimed += len(won)
        report.skipped += lost
        if won:
            _renew_batch(db, gateway, clock, won, worker_id, now, report, held)
    for first in range(0, len(held), BATCH_SIZE):
        _release(db, held[first:first + BATCH_SIZE], worker_id)
    report.reminders = queue_manual_renewal_reminders(db, clock, now)
    return report


def _claimable(now: datetime) -> ColumnElement[bool]:
    return or_(Subscription.renewal_claim.is_(None),
               Subscription.renewal_claimed_at < now - CLAIM_STALE_AFTER)


def _claim_batch(db: Database, worker_id: str, now: datetime, wall_now: datetime, size: int
                 ) -> tuple[list[str], int]:
    """Claim up to ``size`` due subscriptions: the ids this worker won, and how many it
    lost to another worker. The query's parameters are the same whatever the run has done
    (what this run holds is excluded by its claims, not by a list of ids), and candidates
    are picked ``FOR UPDATE SKIP LOCKED``, so two workers take different batches."""
    due = and_(Subscription.status == SubscriptionStatus.ACTIVE,
               Subscription.current_period_end <= now, _claimable(wall_now))
    with db.transaction() as session:
        candidates = list(session.execute(
            select(Subscription.id).where(due)
            .order_by(Subscription.current_period_end)
            .limit(size).with_for_update(skip_locked=True)
        ).scalars())
        if not candidates:
            return [], 0
        won = set(session.execute(
            update(Subscription)
            .where(Subscription.id.in_(candidates), due)
            .values(renewal_claim=worker_id, renewal_claimed_at=wall_now)
            .returning(Subscription.id)
            .execution_options(synchronize_session=False)
        ).scalars())
    return [c for c in candidates if c in won], len(candidates) - len(won)


def _release(db: Database, subscription_ids: list[str], worker_id: str) -> None:
    with db.transaction() as session:
        session.execute(
            update(Subscription)
            .where(Subscription.id.in_(subscription_ids),
                   Subscription.renewal_claim == worker_id)
            .values(renewal_claim=None, renewal_claimed_at=None)
            .execution_options(synchronize_session=False)
        )


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


@dataclass(frozen=True)
class _Batch:
    """What one batch's deciding transaction left to do: charges to ask the gateway about
    (each with its subscription), and the outcomes already final."""

    charges: list[tuple[str, ChargeView]]
    done: list[Outcome]
    waiting: list[str]  # a renew-now's charge is pending: left to it (claims kept)


def _renew_batch(db: Database, gateway: PaymentGateway, clock: Clock, ids: list[str],
                 worker_id: str, now: datetime, report: RenewalReport, held: list[str]
                 ) -> None:
    """Renew the claimed ``ids``: decide and open their charges in one transaction, ask the
    gateway with no transaction open, settle the answers in one transaction. When a batch
    transaction fails, its subscriptions are done one by one, so one bad subscription
    costs only itself."""
    try:
        with db.transaction() as session:
            batch = _decide(session, ids, worker_id, now, clock, gateway.name)
    except Exception:
        log.warning("renewal batch of %d failed to open; renewing one by one", len(ids),
                    exc_info=True)
        for subscription_id in ids:
            try:
                with db.transaction() as session:
                    one = _decide(session, [subscription_id], worker_id, now, clock,
                                  gateway.name)
            except Exception:
                log.exception("renewal of subscription %s failed", subscription_id)
                held.append(subscription_id)
                report.failed += 1
                continue
            _charge_and_settle(db, gateway, clock, one, worker_id, now, report, held)
        return
    _charge_and_settle(db, gateway, clock, batch, worker_id, now, report, held)


def _decide(session: Session, ids: list[str], worker_id: str, now: datetime, clock: Clock,
            gateway_name: str) -> _Batch:
    """What each claimed subscription still ours does at period end, as the state machine
    of :mod:`central.plans.next_period` says (enter a paid period, end it, wait for the
    family's attempt, or charge); the charges of those to renew by card are opened
    (committed before the gateway is asked)."""
    subscriptions = list(session.execute(
        select(Subscription).where(Subscription.id.in_(ids))
        .order_by(Subscription.id).with_for_update()
    ).scalars())
    facts = next_period.read_many(session, subscriptions)
    cards = cards_on_file(session, [s.account_id for s in subscriptions])
    # Held here: the session keeps loaded objects only while something refers to them.
    facilities = {f.id: f for f in session.execute(select(Facility).where(
        Facility.id.in_({s.facility_id for s in subscriptions}))).scalars()}
    done: list[Outcome] = []
    waiting: list[str] = []
    to_open: list[tuple[str, ChargeSpec]] = []
    for subscription in subscriptions:
        if (subscription.renewal_claim != worker_id
                or subscription.status is not SubscriptionStatus.ACTIVE
                or subscription.current_period_end > now):
            done.append(Outcome.SKIPPED)
            continue
        timezone = facilities[subscription.facility_id].timezone
        known = facts[subscription.id]
        state = next_period.state_of(subscription, known)
        next_period.apply_pending_change(subscription)  # rule 7: the new choice decides
        action = next_period.at_period_end(state)
        if action is AtEnd.ENTER:
            assert known.paid is not None
            next_period.enter_period(subscription, known.paid, timezone)
            subscription.renewal_claim = None
            subscription.renewal_claimed_at = None
            done.append(Outcome.RENEWED)
        elif action is AtEnd.CANCEL:
            _end(subscription, SubscriptionStatus.CANCELED)
            queue_coverage_ended(session, subscription, CoverageEndReason.CANCELLED, clock)
            done.append(Outcome.CANCELED)
        elif action is AtEnd.EXPIRE:
            decline = known.charge.decline_code if known.charge is not None else None
            _end(subscription, SubscriptionStatus.EXPIRED)
            queue_coverage_ended(session, subscription, next_period.end_reason(state, decline),
                                 clock)
            done.append(Outcome.EXPIRED)
        elif action is AtEnd.WAIT:
            # The family's own attempt is pending: the request that made it, or the
            # reconciler, finishes it; a manual plan renews only on a charge the gateway
            # took, so this run never asks the gateway about it.
            waiting.append(subscription.id)
        else:
            opened = _charge_spec(session, subscription, state, cards, known, timezone, now,
                                  clock)
            if opened is None:
                done.append(Outcome.EXPIRED)
            else:
                to_open.append((subscription.id, opened))
    views = (open_charges(session, [spec for _id, spec in to_open], now, gateway_name)
             if to_open else [])
    return _Batch([(sid, view) for (sid, _spec), view in zip(to_open, views, strict=True)],
                  done, waiting)


def _charge_spec(session: Session, subscription: Subscription, state: NextPeriod,
                 cards: dict[str, CardOnFile], known: next_period.Facts, timezone: str,
                 now: datetime, clock: Clock) -> ChargeSpec | None:
    """Rule 5: the charge of an automatic renewal, under its attempt's key: the pending
    one again (a replay at the gateway), else a new attempt on the card on file (None, and
    the subscription expired, when there is no card)."""
    attempt = state.next_attempt()
    pending = known.charge if state.payment is Payment.PAYING else None
    card = cards.get(subscription.account_id)
    if pending is None and card is None:
        expire(session, subscription, None, clock)
        return None
    if card is None:  # only the pending charge's card matters now
        card = CardOnFile("", pending.gateway_token if pending else "", "", "", 0, 0)
    subscription.renewal_attempt = attempt
    start, end = _next_period(subscription, timezone, now)
    # The key names the period that ends and the attempt, never this run's time: two runs
    # with two clocks (a late --as-of beside the scheduler) ask the gateway the same
    # question, and a run that takes over a crashed one gets the gateway's replay.
    return renewal_spec(subscription, card, start=start, end=end, by=next_period.RUN,
                        charge_key=next_period.attempt_key(
                            subscription.id, subscription.current_period_end, attempt))


def _charge_and_settle(db: Database, gateway: PaymentGateway, clock: Clock, batch: _Batch,
                       worker_id: str, now: datetime, report: RenewalReport,
                       held: list[str]) -> None:
    for outcome in batch.done:
        report.count(outcome)
    held.extend(batch.waiting)
    report.waiting += len(batch.waiting)
    answers: list[tuple[str, ChargeView, ChargeResult | None]] = []
    finished: list[tuple[str, ChargeView, bool]] = []
    asking: list[tuple[str, ChargeView]] = []
    for subscription_id, charge in batch.charges:
        if charge.state not in (ChargeState.PENDING, ChargeState.ABANDONED):
            finished.append((subscription_id, charge, False))
            continue
        if charge.gateway != gateway.name:
            log.warning("renewal of subscription %s left alone: its charge %s is pending "
                        "with the %r gateway and this run uses %r; finish it with that "
                        "gateway", subscription_id, charge.id, charge.gateway, gateway.name)
            held.append(subscription_id)
            report.other_gateway += 1
            continue
        asking.append((subscription_id, charge))
    # The whole batch through the gateway's batch path. One subscription's failure (gateway
    # down, a bug) must not stop the others; its charge stays PENDING, to be finished by the
    # next run (same key) or the reconciler.
    try:
        asked = ask_gateway_many(gateway, [charge for _s, charge in asking])
    except Exception as exc:
        log.exception("asking the gateway about %d renewals failed", len(asking))
        asked = [exc] * len(asking)
    for (subscription_id, charge), answer in zip(asking, asked, strict=True):
        if isinstance(answer, Exception):
            log.error("renewal of subscription %s failed", subscription_id, exc_info=answer)
            held.append(subscription_id)
            report.failed += 1
        else:
            answers.append((subscription_id, charge, answer))
    if answers:
        try:
            answered = settle_many(db, gateway, clock,
                                   [(c.id, result) for _s, c, result in answers], RENEWAL,
                                   preload=_receipt_context)
            finished.extend((sid, view, acted) for (sid, _c, _r), (view, acted)
                            in zip(answers, answered, strict=True))
        except Exception:
            log.warning("settling a renewal batch failed; settling one by one", exc_info=True)
            for subscription_id, charge, result in answers:
                try:
                    [(view, acted)] = settle_many(db, gateway, clock, [(charge.id, result)],
                                                  RENEWAL)
                except Exception:
                    log.exception("renewal of subscription %s failed", subscription_id)
                    held.append(subscription_id)
                    report.failed += 1
                    continue
                finished.append((subscription_id, view, acted))
    settled: list[str] = []
    for subscription_id, charge, _acted in finished:
        if charge.state is ChargeState.SETTLED:
            settled.append(subscription_id)
            continue
        try:
            report.count(_not_renewed(db, clock, subscription_id, charge, now, held))
        except Exception:
            log.exception("renewal of subscription %s failed", subscription_id)
            held.append(subscription_id)
            report.failed += 1
    if settled:
        try:
            _finish_settled(db, settled, worker_id, clock)
            report.renewed += len(settled)
        except Exception:
            log.exception("finishing %d renewals failed", len(settled))
            held.extend(settled)
            report.failed += len(settled)


def _receipt_context(session: Session, charges: list[Charge]) -> list[object]:
    """What settling a batch of renewals reads besides the subscription (locked one by one
    by the effect): the accounts, facilities and plans its receipts name, in three queries
    instead of three per renewal."""
    subject_ids = [c.subject_id for c in charges if c.subject_id is not None]
    owners = session.execute(select(Subscription.account_id, Subscription.facility_id,
                                    Subscription.plan_id)
                             .where(Subscription.id.in_(subject_ids))).all()
    return [
        *session.execute(select(Account).where(
            Account.id.in_({o.account_id for o in owners}))).scalars(),
        *session.execute(select(Facility).where(
            Facility.id.in_({o.facility_id for o in owners}))).scalars(),
        *session.execute(select(Plan).where(Plan.id.in_({o.plan_id for o in owners}))).scalars(),
    ]


def _not_renewed(db: Database, clock: Clock, subscription_id: str, charge: ChargeView,
                 now: datetime, held: list[str]) -> Outcome:
    """A renewal whose charge did not settle: a decline ends coverage (a renew-now's own
    declined charge does not, so it is done here too); anything else is retried by the
    next run."""
    if charge.state is ChargeState.DECLINED:
        with db.transaction() as session:
            subscription = session.execute(
                select(Subscription).where(Subscription.id == subscription_id)
                .with_for_update()).scalar_one()
            if (subscription.status is SubscriptionStatus.ACTIVE
                    and subscription.current_period_end <= now):
                expire(session, subscription, charge.decline_code, clock)
        return Outcome.EXPIRED
    held.append(subscription_id)
    return Outcome.SKIPPED


def _finish_settled(db: Database, subscription_ids: list[str], worker_id: str, clock: Clock
                    ) -> None:
    """The paid periods are recorded. Settling them entered each one and cleared the claim;
    one still claimed here was settled earlier (a renew-now, the reconciler, a period from
    before charges were rows): enter its period now if it is waiting. One query when
    there is nothing to finish."""
    with db.transaction() as session:
        for subscription in session.execute(
            select(Subscription).where(Subscription.id.in_(subscription_ids),
                                       Subscription.renewal_claim == worker_id)
            .order_by(Subscription.id).with_for_update()
        ).scalars():
            prepaid = prepaid_next_period(session, subscription)
            if prepaid is not None and subscription.current_period_end <= clock.now():
                timezone = session.get_one(Facility, subscription.facility_id).timezone
                next_period.enter_period(subscription, prepaid, timezone)
            subscription.renewal_claim = None
            subscription.renewal_claimed_at = None


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
