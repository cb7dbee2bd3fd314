"""Renewals at fleet size (docs/renewals.md): the claim query stays the same size however
long the run, a renewal costs a bounded number of transactions, a scheduler round has no
fixed cap, and two worker processes on PostgreSQL split a run with exactly one charge per
subscription. Subscriptions are seeded with bulk INSERTs, as the benchmark does."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, select

from central.db.engine import Database
from central.kernel.clock import ManualClock
from central.mail.mailer import EmlFolderMailer
from central.mail.models import OutgoingMail
from central.money.gateway.models import GatewayCharge
from central.money.gateway.sandbox import SandboxGateway
from central.plans.models import Subscription, SubscriptionPeriod
from central.plans.renewals import run_renewals
from central.scheduler import RenewalScheduler
from tests.benchmarks.renewals import AS_OF, seed_due
from tests.support import HEAVY

NOW = datetime.fromisoformat(AS_OF)


@contextmanager
def statements(db: Database) -> Iterator[list[tuple[str, int]]]:
    """Every statement the engine runs meanwhile, with its number of parameters."""
    seen: list[tuple[str, int]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any,
               executemany: bool) -> None:
        count = len(parameters) if parameters and not executemany else 0
        seen.append((statement, count))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


@contextmanager
def transactions(db: Database) -> Iterator[list[int]]:
    """How many transactions the engine begins meanwhile (one item each)."""
    begun: list[int] = []

    def record(_conn: Any) -> None:
        begun.append(1)

    event.listen(db.engine, "begin", record)
    try:
        yield begun
    finally:
        event.remove(db.engine, "begin", record)


def _renewed_once_each(db: Database, due: int) -> None:
    with db.transaction() as session:
        per_key = session.execute(select(GatewayCharge.idempotency_key, func.count())
                                  .group_by(GatewayCharge.idempotency_key)).all()
        assert len(per_key) == due and {n for _k, n in per_key} == {1}
        assert session.scalar(select(func.count()).select_from(SubscriptionPeriod)) == 2 * due
        left = session.scalar(select(func.count()).select_from(Subscription).where(
            Subscription.current_period_end <= NOW))
        assert left == 0
        assert session.scalar(select(func.count()).select_from(Subscription).where(
            Subscription.renewal_claim.is_not(None))) == 0


def test_the_claim_query_does_not_grow_with_the_run(seeded_url: str) -> None:
    """It carried every id attempted so far (NOT IN), so each claim cost more than the one
    before, and PostgreSQL refuses it past 65,535 parameters."""
    seed_due(seeded_url, 250)
    db = Database(seeded_url)
    clock = ManualClock(NOW)
    try:
        with statements(db) as seen:
            report = run_renewals(db, SandboxGateway(db, clock), clock, worker_id="w1")
        assert report.renewed == 250
        claims = [count for sql, count in seen
                  if sql.lstrip().upper().startswith("SELECT")
                  and "renewal_claim IS NULL" in sql and "subscriptions.id" in sql]
        assert len(claims) >= 3
        assert len(set(claims)) == 1, claims  # the same parameters, batch after batch
        assert max(count for _sql, count in seen) <= 300
        _renewed_once_each(db, 250)
    finally:
        db.dispose()


def test_a_renewal_costs_about_one_transaction(seeded_url: str) -> None:
    """Each renewal opened about seven transactions (claim, decide, three in the sandbox
    gateway, settle, finish); a batch now shares its claim, decide and settle ones, and
    the sandbox gateway answers in one."""
    seed_due(seeded_url, 200)
    db = Database(seeded_url)
    gateway_db = Database(seeded_url)  # the gateway is another system: not counted here
    clock = ManualClock(NOW)
    try:
        with transactions(db) as begun:
            report = run_renewals(db, SandboxGateway(gateway_db, clock), clock,
                                  worker_id="w1")
        assert report.renewed == 200
        assert len(begun) <= 200 * 0.1, len(begun)
        _renewed_once_each(db, 200)
    finally:
        gateway_db.dispose()
        db.dispose()


def test_a_batch_writes_its_effects_in_bulk(seeded_url: str) -> None:
    """A batch's periods, receipts and gateway charges were written one statement each per
    renewal (each effect flushed alone); now one INSERT each per batch, and the
    subscriptions' and charges' changes one executemany each (docs/renewals.md)."""
    seed_due(seeded_url, 100)
    db = Database(seeded_url)
    clock = ManualClock(NOW)
    try:
        with statements(db) as seen:
            report = run_renewals(db, SandboxGateway(db, clock), clock, worker_id="w1")
        assert report.renewed == 100
        writes = [sql.lstrip().split("(")[0].split(" SET")[0].strip() for sql, _n in seen
                  if sql.lstrip().upper().startswith(("INSERT", "UPDATE"))]
        for table in ("subscription_periods", "outgoing_mail", "gateway_charges", "charges"):
            assert writes.count(f"INSERT INTO {table}") == 1, (table, writes)
        # The claim and its release, the decision, the settlement; the charges opened
        # and settled.
        assert writes.count("UPDATE subscriptions") <= 4, writes
        assert writes.count("UPDATE charges") <= 2, writes
        _renewed_once_each(db, 100)
        with db.transaction() as session:
            assert session.scalar(select(func.count()).select_from(OutgoingMail)) == 100
    finally:
        db.dispose()


@pytest.mark.timeout(600)  # the old code took minutes here; a slow shared machine too
def test_a_scheduler_round_renews_more_than_500(seeded_url: str, tmp_path: Any) -> None:
    """The scheduler took at most 500 per round: a server renewed at most 500 a minute."""
    seed_due(seeded_url, 510)
    db = Database(seeded_url)
    clock = ManualClock(NOW)
    try:
        # Its bound is a time budget (its own test is below); a generous one here, so a busy
        # machine cannot cut the round short.
        scheduler = RenewalScheduler(db, SandboxGateway(db, clock),
                                     EmlFolderMailer(tmp_path / "mail", clock=clock), clock, 60,
                                     renewal_budget=timedelta(minutes=10))
        report = scheduler.run_once()
        assert (report.claimed, report.renewed, report.more_due) == (510, 510, False)
        _renewed_once_each(db, 510)
        with db.transaction() as session:  # each receipt queued with its renewal
            assert session.scalar(select(func.count()).select_from(OutgoingMail)) == 510
    finally:
        db.dispose()


def test_a_time_budget_stops_a_round_and_says_more_is_due(seeded_url: str) -> None:
    seed_due(seeded_url, 30)
    db = Database(seeded_url)
    clock = ManualClock(NOW)
    try:
        cut = run_renewals(db, SandboxGateway(db, clock), clock, worker_id="w1",
                           budget=timedelta(0), wall_clock=clock)
        assert (cut.claimed, cut.more_due) == (0, True)
        some = run_renewals(db, SandboxGateway(db, clock), clock, worker_id="w1",
                            limit=10, batch_size=4)
        assert (some.renewed, some.more_due) == (10, True)
        rest = run_renewals(db, SandboxGateway(db, clock), clock, worker_id="w1")
        assert (rest.renewed, rest.more_due) == (20, False)
        _renewed_once_each(db, 30)
    finally:
        db.dispose()


@HEAVY
@pytest.mark.timeout(600)
def test_two_workers_on_postgresql_split_a_run_with_one_charge_each(seeded_url: str) -> None:
    """More than one batch and more than the old cap of 500 each, claimed FOR UPDATE SKIP
    LOCKED by two processes at once."""
    if not seeded_url.startswith("postgresql"):
        pytest.skip("SKIP LOCKED claims are PostgreSQL's; test_renewals_race covers SQLite")
    due = 1200
    seed_due(seeded_url, due)
    command = [sys.executable, "-m", "central.cli", "renew", "--db", seeded_url,
               "--as-of", AS_OF]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=600) for run in runs]
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, out + err
    renewed = [int(out.split(" renewed")[0].rsplit(" ", 1)[1]) for out, _err in outputs]
    assert sum(renewed) == due, outputs
    db = Database(seeded_url)
    try:
        _renewed_once_each(db, due)
    finally:
        db.dispose()
