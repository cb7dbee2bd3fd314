"""Renewals at fleet size: N due subscriptions renewed by two renew worker processes (what
``lobby-central renew`` runs), next to one UPDATE over the same rows; once against the
sandbox gateway and once against a gateway stand-in that answers at once, the gateway's own
time counted apart (a real processor's latency is not ours).

    python -m tests.benchmarks.renewals [--sizes 1000,10000,100000] [--runs 3]
        [--instant-size N] [--pg-url postgresql://...] [--json bench-results.json]

The database is PostgreSQL (``--pg-url`` or ``KIOSK_TEST_PG_URL``; a fresh database per run,
dropped after); without one, ``renewals_100k`` is a skipped row with the reason and the
smaller sizes run on a SQLite file. Subscriptions are seeded with bulk INSERTs (never the
API). Each run checks that every subscription was charged exactly once.

Rows: ``renewals_100k`` (seconds for the largest size; floor: one UPDATE over the same rows,
timed in the same database just before; report only), ``renewals_10k_vs_1k`` (the 10k time
against the 1k time: linear is 10, the goal is <= 11), ``renewals_per_worker`` (renewals per
second per worker at the largest size with the sandbox, against 500/s: ratio >= 1),
``renewals_per_worker_instant`` (the same with the stand-in, at ``--instant-size``),
``renewals_per_cpu_second`` (renewals per CPU second of a worker's run with the stand-in,
its start-up left out, against 500) and ``renewals_peak_rss`` (the larger worker's peak
memory at the largest size against the same at the smallest: bounded memory means a ratio
near 1).
"""

from __future__ import annotations

import argparse
import math
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from sqlalchemy import create_engine, func, insert, select, text, update
from sqlalchemy.engine import make_url

from central.db.engine import Database
from central.db.migrate import upgrade
from central.identity.models import Account
from central.money.gateway import (
    CardDetails,
    CardToken,
    ChargeRequest,
    ChargeResult,
    PaymentGateway,
    RefundResult,
)
from central.money.gateway.models import GatewayCard, GatewayCharge
from central.money.models import Charge, ChargeState, PaymentMethod
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
T = TypeVar("T")  # extra renew arguments (the old code needed "--limit", "1000000")


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


def seed_due(url: str, count: int, anchor: datetime = ANCHOR) -> None:
    """``count`` accounts, each with a card on file and an auto-renewing subscription whose
    first period, begun at ``anchor``, ended before ``AS_OF``, in bulk INSERTs of ``CHUNK``
    rows."""
    db = Database(url)
    end = boundary(anchor, 1, "America/Chicago")
    try:
        with db.transaction() as session:
            session.execute(insert(GatewayCard), [dict(
                token=TOKEN, brand="visa", last4="4242", exp_month=12, exp_year=2030,
                scenario="approve", created_at=anchor)])
        for first in range(0, count, CHUNK):
            numbers = range(first, min(first + CHUNK, count))
            ids = {n: uuid.uuid4().hex for n in numbers}
            with db.transaction() as session:
                session.execute(insert(Account), [dict(
                    id=f"a{ids[n]}", first_name="Family", last_name=f"No {n}",
                    phone=f"+1{n:010d}", email=f"family{n}@example.org",
                    address_line1="1 Main St", address_line2="", city="Houston", state="TX",
                    postal_code="77002", language="en", pin_hash="not-a-real-hash",
                    created_at=anchor, failed_pin_attempts=0, lockouts=0,
                ) for n in numbers])
                session.execute(insert(PaymentMethod), [dict(
                    id=f"m{ids[n]}", account_id=f"a{ids[n]}", gateway_token=TOKEN,
                    brand="visa", last4="4242", exp_month=12, exp_year=2030, created_at=anchor,
                ) for n in numbers])
                session.execute(insert(Subscription), [dict(
                    id=f"s{ids[n]}", account_id=f"a{ids[n]}", facility_id=FACILITY,
                    plan_id=PLAN, service=Service.CALLS, phone=f"+1{n:010d}",
                    status=SubscriptionStatus.ACTIVE, price_cents=3999, allotment=100,
                    renewal_mode=RenewalMode.AUTO, payment_method_id=f"m{ids[n]}",
                    period_anchor=anchor, period_index=0, current_period_start=anchor,
                    current_period_end=end, used_in_period=42, cancel_at_period_end=False,
                    terms_version="t", terms_accepted_at=anchor, created_at=anchor,
                ) for n in numbers])
                session.execute(insert(SubscriptionPeriod), [dict(
                    subscription_id=f"s{ids[n]}", period_start=anchor, period_end=end,
                    amount_cents=3999, charge_key=f"subscription:s{ids[n]}:start",
                    charged_at=anchor,
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
    worker_cpu_seconds: float  # both workers' own CPU time (the database's is not in it)
    gateway: str = "sandbox"
    gateway_seconds: float = 0.0  # both workers' wall time inside the gateway's calls
    gateway_cpu_seconds: float = 0.0  # the part of run_cpu_seconds spent in them
    run_cpu_seconds: float = 0.0  # both workers' CPU time in run_renewals (no start-up)

    @property
    def per_cpu_second(self) -> float:
        """Renewals per CPU second of a worker's run (its start-up, importing the server,
        and the gateway's own CPU time left out)."""
        return self.size / max(self.run_cpu_seconds - self.gateway_cpu_seconds, 1e-9)

    @property
    def per_worker(self) -> float:
        return self.size / self.seconds / WORKERS


def run_workers(url: str, size: int, gateway: str = "sandbox") -> Run:
    """Time ``WORKERS`` renew processes started together; check one charge per subscription."""
    floor = floor_seconds(url)
    command = [sys.executable, "-m", "tests.benchmarks.renewals", "--worker", url,
               "--gateway", gateway]
    started = time.perf_counter()
    workers = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True) for _ in range(WORKERS)]
    outputs: list[str] = []
    peaks: list[float] = []
    cpu: list[float] = []
    run_cpu: list[float] = []
    in_gateway: list[float] = []
    gateway_cpu: list[float] = []
    for worker in workers:
        out, err = worker.communicate()
        if worker.returncode != 0:
            raise RuntimeError(f"a renew worker failed: {out}{err}")
        outputs.append(out)
        peaks.append(int(err.rsplit("peak_rss_kb=", 1)[1].split()[0]) / 1024)
        cpu.append(_figure(err, "cpu_s"))
        run_cpu.append(_figure(err, "run_cpu_s"))
        in_gateway.append(_figure(err, "gateway_s"))
        gateway_cpu.append(_figure(err, "gateway_cpu_s"))
    seconds = time.perf_counter() - started
    renewed = [int(out.split(" renewed")[0].rsplit(" ", 1)[1]) for out in outputs]
    check_renewed(url, size, renewed, gateway)
    return Run(size, seconds, floor, renewed, max(peaks), sum(cpu), gateway, sum(in_gateway),
               sum(gateway_cpu), sum(run_cpu))


def _figure(err: str, name: str) -> float:
    """A figure the worker wrote on its last line, ``name=value``."""
    found = re.findall(rf"(?:^|\s){name}=([0-9.]+)", err)
    return float(found[-1])


def check_renewed(url: str, size: int, renewed: list[int], gateway: str) -> None:
    """One charge per subscription: at the sandbox (its own table), else in our charges."""
    db = Database(url)
    try:
        with db.transaction() as session:
            charges = session.execute(select(func.count(), func.count(
                GatewayCharge.idempotency_key.distinct()))).one() if gateway == "sandbox" \
                else session.execute(select(func.count(), func.count(
                    Charge.gateway_key.distinct())).where(
                        Charge.state == ChargeState.SETTLED)).one()
            periods = session.execute(select(func.count()).select_from(SubscriptionPeriod)
                                      ).scalar_one()
    finally:
        db.dispose()
    if sum(renewed) != size or tuple(charges) != (size, size) or periods != 2 * size:
        raise RuntimeError(f"{size} due: renewed {renewed}, charges {tuple(charges)}, "
                           f"periods {periods}")


def measure(pg_url: str | None, size: int, folder: Path, gateway: str = "sandbox") -> Run:
    with fresh_database(pg_url, folder) as url:
        seeded = time.perf_counter()
        seed_due(url, size)
        sys.stderr.write(f"  seeded {size} in {time.perf_counter() - seeded:.1f} s\n")
        run = run_workers(url, size, gateway)
        sys.stderr.write(f"  {size}, {gateway}: {run.seconds:.2f} s ({run.per_worker:.0f}/s per "
                         f"worker, split {run.renewed}), floor {run.floor:.3f} s, peak "
                         f"{run.peak_rss_mb:.0f} MB, {run.size / run.worker_cpu_seconds:.0f} "
                         f"renewals per worker CPU second ({run.per_cpu_second:.0f} in the run "
                         f"without the gateway's {run.gateway_cpu_seconds:.2f} CPU s; "
                         f"{run.gateway_seconds:.2f} s in the gateway)\n")
        return run


def results(runs: dict[int, list[Run]], pg: bool, instant: list[Run] | None = None
            ) -> list[dict[str, object]]:
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
    cpu_rate = statistics.median(r.size / r.worker_cpu_seconds for r in runs[largest])
    own_rate = statistics.median(r.per_cpu_second for r in runs[largest])
    rows.append(row("renewals_per_worker", per_worker, PER_WORKER_GOAL, "1/s", 1.0, ">=",
                    note=f"{largest} due, {WORKERS} workers on {where}, sandbox gateway; "
                    f"{cpu_rate:.0f} renewals per CPU second of a worker, {own_rate:.0f} "
                    f"in the run without the sandbox's own"))
    if instant:
        size = instant[0].size
        rows.append(row("renewals_per_worker_instant", [r.per_worker for r in instant],
                        PER_WORKER_GOAL, "1/s", 1.0, ">=",
                        note=f"{size} due, {WORKERS} workers on {where}, a gateway stand-in "
                        f"that answers at once"))
        rows.append(row("renewals_per_cpu_second", [r.per_cpu_second for r in instant],
                        PER_WORKER_GOAL, "1/s", 1.0, ">=",
                        note=f"{size} due on {where}, the stand-in gateway: renewals per "
                        f"CPU second of a worker's run (its start-up left out)"))
    if largest != smallest:
        rows.append(row("renewals_peak_rss", [r.peak_rss_mb for r in runs[largest]],
                        min(r.peak_rss_mb for r in runs[smallest]), "MB", 1.5,
                        note=f"a worker's peak at {largest} due against at {smallest} due"))
    return rows


class InstantGateway(PaymentGateway):
    """The gateway stand-in that answers at once: every charge approved, nothing stored, so
    a run's figure is our own cost alone (a real processor's latency is not ours)."""

    @property
    def name(self) -> str:
        return "instant"

    def tokenize(self, card: CardDetails) -> CardToken:
        raise NotImplementedError("the stand-in only charges")

    def describe(self, token: str) -> CardToken:
        raise NotImplementedError("the stand-in only charges")

    def charge(self, token: str, amount_cents: int, idempotency_key: str) -> ChargeResult:
        return ChargeResult(f"ch_{idempotency_key}"[:64], token, amount_cents, True)

    def find_charge(self, idempotency_key: str, charge_id: str | None = None
                    ) -> ChargeResult | None:
        return None

    def refund(self, charge_id: str, amount_cents: int, idempotency_key: str) -> RefundResult:
        raise NotImplementedError("the stand-in only charges")


class TimedGateway(PaymentGateway):
    """A gateway whose calls' wall time and CPU time are counted apart."""

    def __init__(self, inner: PaymentGateway) -> None:
        self.inner = inner
        self.wall = 0.0
        self.cpu = 0.0

    @property
    def name(self) -> str:
        return self.inner.name

    def _timed(self, call: Callable[[], T]) -> T:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return call()
        finally:
            self.wall += time.perf_counter() - wall
            self.cpu += time.process_time() - cpu

    def tokenize(self, card: CardDetails) -> CardToken:
        return self.inner.tokenize(card)

    def describe(self, token: str) -> CardToken:
        return self.inner.describe(token)

    def charge(self, token: str, amount_cents: int, idempotency_key: str) -> ChargeResult:
        return self._timed(lambda: self.inner.charge(token, amount_cents, idempotency_key))

    def charge_many(self, requests: Sequence[ChargeRequest]) -> list[ChargeResult | Exception]:
        return self._timed(lambda: self.inner.charge_many(requests))

    def find_charge(self, idempotency_key: str, charge_id: str | None = None
                    ) -> ChargeResult | None:
        return self.inner.find_charge(idempotency_key, charge_id)

    def refund(self, charge_id: str, amount_cents: int, idempotency_key: str) -> RefundResult:
        return self.inner.refund(charge_id, amount_cents, idempotency_key)


def worker(url: str, gateway_name: str) -> int:
    """One renew worker: what ``lobby-central renew`` runs, in this process, with the
    gateway's own time counted apart; then its CPU time and peak memory."""
    from central.app import register_charge_effects
    from central.kernel.clock import ManualClock
    from central.money.gateway.choice import build_gateway
    from central.plans.renewals import run_renewals
    from central.scheduler import worker_name

    clock = ManualClock(datetime.fromisoformat(AS_OF))
    db = Database(url)
    try:
        register_charge_effects()
        gateway = TimedGateway(InstantGateway() if gateway_name == "instant"
                               else build_gateway(db, clock, gateway_name))
        started = time.process_time()
        report = run_renewals(db, gateway, clock, worker_id=worker_name())
        run_cpu = time.process_time() - started
    finally:
        db.dispose()
    sys.stdout.write(report.summary() + "\n")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    sys.stderr.write(f"cpu_s={usage.ru_utime + usage.ru_stime:.3f} run_cpu_s={run_cpu:.3f} "
                     f"gateway_s={gateway.wall:.3f} gateway_cpu_s={gateway.cpu:.3f} "
                     f"peak_rss_kb={usage.ru_maxrss}\n")
    return 1 if report.failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=3,
                        help="runs of each size below 100,000 (the largest runs once)")
    parser.add_argument("--pg-url", default=os.environ.get("KIOSK_TEST_PG_URL"))
    parser.add_argument("--json", type=Path, help="append the rows to this JSON list")
    parser.add_argument("--instant-size", type=int, default=None,
                        help="due subscriptions of the runs with a gateway stand-in that "
                        "answers at once (default: the largest size below 100,000; 0: none)")
    parser.add_argument("--worker", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--gateway", default="sandbox", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args.worker, args.gateway)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    pg_url: str | None = args.pg_url or None
    rows: list[dict[str, object]] = []
    if pg_url is None:
        rows.append(skipped("renewals_100k", "s", "report",
                            "no PostgreSQL configured (set KIOSK_TEST_PG_URL or --pg-url); "
                            "the smaller sizes ran on SQLite"))
        sizes = [s for s in sizes if s < 100_000] or [1000]
    runs: dict[int, list[Run]] = {size: [] for size in sizes}
    instant_size = (args.instant_size if args.instant_size is not None
                    else max([s for s in sizes if s < 100_000] or sizes))
    instant: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="renewals-bench-") as folder:
        for round_ in range(args.runs):
            for size in sizes:  # interleaved: each round runs every size
                if size >= 100_000 and round_ > 0:
                    continue
                runs[size].append(measure(pg_url, size, Path(folder)))
            if instant_size:
                instant.append(measure(pg_url, instant_size, Path(folder), "instant"))
    rows.extend(results(runs, pg_url is not None, instant))
    publish(rows, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
