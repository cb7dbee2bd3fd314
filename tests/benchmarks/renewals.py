"""Renewals at fleet size: N due subscriptions renewed by two ``lobby-central renew`` worker
processes against the sandbox gateway, next to one UPDATE over the same rows.

    python -m tests.benchmarks.renewals [--sizes 1000,10000,100000] [--runs 3]
        [--pg-url postgresql://...] [--json bench-results.json]

The database is PostgreSQL (``--pg-url`` or ``KIOSK_TEST_PG_URL``; a fresh database per run,
dropped after); without one, ``renewals_100k`` is a skipped row with the reason and the
smaller sizes run on a SQLite file. Subscriptions are seeded with bulk INSERTs (never the
API). Each run checks that every subscription was charged exactly once.

Rows: ``renewals_100k`` (seconds for the largest size; floor: one UPDATE over the same rows,
timed in the same database just before; report only), ``renewals_10k_vs_1k`` (the 10k time
against the 1k time: linear is 10, the goal is <= 11), ``renewals_per_worker`` (renewals per
second per worker at the largest size, against 500/s: ratio >= 1) and ``renewals_peak_rss``
(the larger worker's peak memory at the largest size against the same at the smallest:
bounded memory means a ratio near 1).
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, func, insert, select, text, update
from sqlalchemy.engine import make_url

from central.db.engine import Database
from central.db.migrate import upgrade
from central.identity.models import Account
from central.money.gateway.models import GatewayCard, GatewayCharge
from central.money.models import PaymentMethod
from central.plans.models import (
    RenewalMode,
    Service,
    Subscription,
    SubscriptionPeriod,
    SubscriptionStatus,
)
from central.plans.periods import boundary
from central.seed import seed_demo
from tests.benchmarks.report import publish, row, skipped

ANCHOR = datetime(2026, 1, 15, 17, 0, tzinfo=UTC)
AS_OF = "2026-02-15T18:00:00Z"
FACILITY = "harbor-county-jail"
PLAN = f"{FACILITY}:call-100"
TOKEN = "tok_sandbox_bench"
PER_WORKER_GOAL = 500.0  # renewals per second per worker
WORKERS = 2
CHUNK = 5_000
LIMIT: list[str] = []  # extra renew arguments (the old code needed "--limit", "1000000")


@contextmanager
def fresh_database(pg_url: str | None, folder: Path) -> Iterator[str]:
    """A migrated, seeded database: a new one on the PostgreSQL server, else a SQLite file."""
    if pg_url is None:
        url = f"sqlite:///{folder / f'renewals-{uuid.uuid4().hex[:8]}.sqlite3'}"
        name = ""
    else:
        name = f"kiosk_bench_{uuid.uuid4().hex[:12]}"
        admin_url = make_url(pg_url).set(drivername="postgresql+psycopg")
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = admin_url.set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        db = Database(url)
        seed_demo(db)
        db.dispose()
        yield url
    finally:
        if pg_url is not None:
            admin = create_engine(make_url(pg_url).set(drivername="postgresql+psycopg"),
                                  isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def seed_due(url: str, count: int) -> None:
    """``count`` accounts, each with a card on file and an auto-renewing subscription whose
    first period ended before ``AS_OF``, in bulk INSERTs of ``CHUNK`` rows."""
    db = Database(url)
    end = boundary(ANCHOR, 1, "America/Chicago")
    try:
        with db.transaction() as session:
            session.execute(insert(GatewayCard), [dict(
                token=TOKEN, brand="visa", last4="4242", exp_month=12, exp_year=2030,
                scenario="approve", created_at=ANCHOR)])
        for first in range(0, count, CHUNK):
            numbers = range(first, min(first + CHUNK, count))
            ids = {n: uuid.uuid4().hex for n in numbers}
            with db.transaction() as session:
                session.execute(insert(Account), [dict(
                    id=f"a{ids[n]}", first_name="Family", last_name=f"No {n}",
                    phone=f"+1{n:010d}", email=f"family{n}@example.org",
                    address_line1="1 Main St", address_line2="", city="Houston", state="TX",
                    postal_code="77002", language="en", pin_hash="not-a-real-hash",
                    created_at=ANCHOR, failed_pin_attempts=0, lockouts=0,
                ) for n in numbers])
                session.execute(insert(PaymentMethod), [dict(
                    id=f"m{ids[n]}", account_id=f"a{ids[n]}", gateway_token=TOKEN,
                    brand="visa", last4="4242", exp_month=12, exp_year=2030, created_at=ANCHOR,
                ) for n in numbers])
                session.execute(insert(Subscription), [dict(
                    id=f"s{ids[n]}", account_id=f"a{ids[n]}", facility_id=FACILITY,
                    plan_id=PLAN, service=Service.CALLS, phone=f"+1{n:010d}",
                    status=SubscriptionStatus.ACTIVE, price_cents=3999, allotment=100,
                    renewal_mode=RenewalMode.AUTO, payment_method_id=f"m{ids[n]}",
                    period_anchor=ANCHOR, period_index=0, current_period_start=ANCHOR,
                    current_period_end=end, used_in_period=42, cancel_at_period_end=False,
                    terms_version="t", terms_accepted_at=ANCHOR, created_at=ANCHOR,
                ) for n in numbers])
                session.execute(insert(SubscriptionPeriod), [dict(
                    subscription_id=f"s{ids[n]}", period_start=ANCHOR, period_end=end,
                    amount_cents=3999, charge_key=f"subscription:s{ids[n]}:start",
                    charged_at=ANCHOR,
                ) for n in numbers])
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
    finally:
        db.dispose()


def floor_seconds(url: str) -> float:
    """One UPDATE over the same due rows (then undone): the least a renewal run could cost."""
    db = Database(url)
    as_of = datetime.fromisoformat(AS_OF)
    try:
        with db.transaction() as session:
            started = time.perf_counter()
            session.execute(update(Subscription).where(
                Subscription.status == SubscriptionStatus.ACTIVE,
                Subscription.current_period_end <= as_of,
            ).values(period_index=Subscription.period_index + 1,
                     current_period_start=Subscription.current_period_end,
                     used_in_period=0).execution_options(synchronize_session=False))
            elapsed = time.perf_counter() - started
            session.rollback()
        return elapsed
    finally:
        db.dispose()


@dataclass
class Run:
    size: int
    seconds: float
    floor: float
    renewed: list[int]
    peak_rss_mb: float

    @property
    def per_worker(self) -> float:
        return self.size / self.seconds / WORKERS


def run_workers(url: str, size: int) -> Run:
    """Time ``WORKERS`` renew processes started together; check one charge per subscription."""
    floor = floor_seconds(url)
    command = [sys.executable, "-m", "tests.benchmarks.renewals", "--worker", url]
    started = time.perf_counter()
    workers = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True) for _ in range(WORKERS)]
    outputs, peaks = [], []
    for worker in workers:
        out, err = worker.communicate()
        if worker.returncode != 0:
            raise RuntimeError(f"a renew worker failed: {out}{err}")
        outputs.append(out)
        peaks.append(int(err.rsplit("peak_rss_kb=", 1)[1].split()[0]) / 1024)
    seconds = time.perf_counter() - started
    renewed = [int(out.split(" renewed")[0].rsplit(" ", 1)[1]) for out in outputs]
    _check(url, size, renewed)
    return Run(size, seconds, floor, renewed, max(peaks))


def _check(url: str, size: int, renewed: list[int]) -> None:
    db = Database(url)
    try:
        with db.transaction() as session:
            charges = session.execute(select(func.count(), func.count(
                GatewayCharge.idempotency_key.distinct()))).one()
            periods = session.execute(select(func.count()).select_from(SubscriptionPeriod)
                                      ).scalar_one()
    finally:
        db.dispose()
    if sum(renewed) != size or tuple(charges) != (size, size) or periods != 2 * size:
        raise RuntimeError(f"{size} due: renewed {renewed}, charges {tuple(charges)}, "
                           f"periods {periods}")


def measure(pg_url: str | None, size: int, folder: Path) -> Run:
    with fresh_database(pg_url, folder) as url:
        seeded = time.perf_counter()
        seed_due(url, size)
        sys.stderr.write(f"  seeded {size} in {time.perf_counter() - seeded:.1f} s\n")
        run = run_workers(url, size)
        sys.stderr.write(f"  {size}: {run.seconds:.2f} s ({run.per_worker:.0f}/s per worker, "
                         f"split {run.renewed}), floor {run.floor:.3f} s, peak "
                         f"{run.peak_rss_mb:.0f} MB\n")
        return run


def results(runs: dict[int, list[Run]], pg: bool) -> list[dict[str, object]]:
    sizes = sorted(runs)
    rows: list[dict[str, object]] = []
    largest, smallest = sizes[-1], sizes[0]
    where = "PostgreSQL" if pg else "SQLite"
    if largest >= 100_000 and pg:
        big = runs[largest]
        rows.append(row("renewals_100k", [r.seconds for r in big],
                        min(r.floor for r in big), "s", math.inf,
                        note=f"{largest} due, {WORKERS} workers on {where}; report only"))
    if 1000 in runs and 10_000 in runs:
        ratios = [ten.seconds for ten in runs[10_000]]
        rows.append(row("renewals_10k_vs_1k", ratios,
                        min(one.seconds for one in runs[1000]), "s", 11.0,
                        note=f"10,000 due against 1,000 due on {where}; linear is 10"))
    per_worker = [r.per_worker for r in runs[largest]]
    rows.append(row("renewals_per_worker", per_worker, PER_WORKER_GOAL, "1/s", 1.0, ">=",
                    note=f"{largest} due, {WORKERS} workers on {where}"))
    if largest != smallest:
        rows.append(row("renewals_peak_rss", [r.peak_rss_mb for r in runs[largest]],
                        min(r.peak_rss_mb for r in runs[smallest]), "MB", 1.5,
                        note=f"a worker's peak at {largest} due against at {smallest} due"))
    return rows


def worker(url: str) -> int:
    """One renew worker: ``lobby-central renew`` in this process, then its peak memory."""
    from central.cli import main as cli_main

    code = cli_main(["renew", "--db", url, "--as-of", AS_OF, *LIMIT])
    sys.stderr.write(f"peak_rss_kb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\n")
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=3,
                        help="runs of each size below 100,000 (the largest runs once)")
    parser.add_argument("--pg-url", default=os.environ.get("KIOSK_TEST_PG_URL"))
    parser.add_argument("--json", type=Path, help="append the rows to this JSON list")
    parser.add_argument("--worker", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args.worker)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    pg_url: str | None = args.pg_url or None
    rows: list[dict[str, object]] = []
    if pg_url is None:
        rows.append(skipped("renewals_100k", "s", "report",
                            "no PostgreSQL configured (set KIOSK_TEST_PG_URL or --pg-url); "
                            "the smaller sizes ran on SQLite"))
        sizes = [s for s in sizes if s < 100_000] or [1000]
    runs: dict[int, list[Run]] = {size: [] for size in sizes}
    with tempfile.TemporaryDirectory(prefix="renewals-bench-") as folder:
        for round_ in range(args.runs):
            for size in sizes:  # interleaved: each round runs every size
                if size >= 100_000 and round_ > 0:
                    continue
                runs[size].append(measure(pg_url, size, Path(folder)))
    rows.extend(results(runs, pg_url is not None))
    publish(rows, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
