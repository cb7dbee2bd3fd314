"""The central API under a fleet's mixed load: ``api_mixed_p99`` and ``api_mixed_throughput``.

    python -m tests.benchmarks.api_load [--seconds 60] [--runs 3] [--kiosks 200] [--json FILE]

A real ``lobby-central serve`` (uvicorn) runs in its own process on loopback; this process
is the load generator (asyncio + httpx), ``--kiosks`` simulated kiosks each sending its next
request as soon as the last one is answered. The mixed workload is what a lobby fleet sends
all day: the facility list, a resident search, a subscription quote (a signed-in family) and,
from the facility's call platform, a call authorization and its rating. Every request must
succeed (zero errors, or the run stops with the first one).

- ``api_mixed_p99``: p99 latency of the mixed requests, against the p99 of ``/healthz``
  requests interleaved with them (one in ten) under the same load; goal ratio <= 3.
- ``api_mixed_throughput``: mixed requests per second, against ``/healthz`` alone from the
  same number of clients on the same server; goal ratio >= 0.5.

Phases alternate (healthz alone, mixed, healthz alone, ...) so both figures of a run see the
same machine. SQLite always; PostgreSQL too when ``KIOSK_TEST_PG_URL`` is set (a fresh
database, dropped afterwards), else a skipped row says why.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO

import httpx2 as httpx
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from central.calls.models import Call
from central.db.engine import Database
from central.db.migrate import upgrade
from central.identity.kiosks import issue_enrollment_code
from central.kernel.clock import SystemClock
from central.money import ledger
from central.seed import seed_demo
from tests.benchmarks.report import publish, row, skipped
from tests.support import free_port

FACILITY = "harbor-county-jail"
FAMILIES = 20  # kiosks with a signed-in family (each sign-up and sign-in is an argon2 hash)
TIMEOUT = httpx.Timeout(30.0)
P99_GOAL = 3.0
THROUGHPUT_GOAL = 0.5
TWO_PROCESSES_GOAL = 1.0  # two processes serve the mix at least as fast as one


class LoadError(RuntimeError):
    """A request of the workload failed: the run does not count."""


@dataclass
class Fleet:
    """Credentials of the simulated kiosks, their signed-in families and the call platform."""

    kiosk_tokens: list[str]
    families: list[tuple[str, str, str]]  # (account id, session token, phone) per kiosk
    platform_token: str
    plan_id: str
    resident_id: str


@dataclass
class Samples:
    mixed: list[float] = field(default_factory=list)
    healthz: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    rated: dict[str, int] = field(default_factory=dict)  # call id -> charged cents answered


def _phone(i: int) -> str:
    return f"(713) 555-{2000 + i:04d}"


def _e164(i: int) -> str:
    return f"+1713555{2000 + i:04d}"


@contextmanager
def server(url: str, scheduler_interval: float = 0) -> Iterator[str]:
    """``lobby-central serve`` on a free loopback port, until the block ends (its scheduler
    off unless ``scheduler_interval`` says how often it runs)."""
    port = free_port()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "central.cli", "serve", "--db", url, "--port", str(port),
             "--scheduler-interval", f"{scheduler_interval:g}", "--sign-in-limit", "100000",
             "--sign-up-limit", "100000"],
            stdout=log, stderr=log)
        yield from _until_stopped(process, log, f"http://127.0.0.1:{port}")


def _until_stopped(process: subprocess.Popen[bytes], log: IO[bytes], base: str
                   ) -> Iterator[str]:
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise RuntimeError(f"the server did not start: {log.read()[-2000:]!r}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def prepare_database(url: str, kiosks: int) -> list[str]:
    """Migrate and seed; the enrollment codes of ``kiosks`` kiosks."""
    upgrade(url)
    db = Database(url)
    try:
        seed_demo(db)
        return [issue_enrollment_code(db, SystemClock(), FACILITY) for _ in range(kiosks)]
    finally:
        db.dispose()


def platform_token(url: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "central.cli", "platform-token", "--db", url,
         "--facility", FACILITY], capture_output=True, text=True, timeout=120, check=True)
    return done.stdout.strip()


def enroll(base: str, codes: list[str], platform: str) -> Fleet:
    """Enroll the kiosks, and sign up and sign in a family at each of the first FAMILIES."""
    with httpx.Client(base_url=base, timeout=TIMEOUT) as client:
        tokens = []
        for n, code in enumerate(codes):
            answer = client.post("/v1/kiosks/enroll", json={"code": code, "name": f"Lobby {n}"})
            answer.raise_for_status()
            tokens.append(answer.json()["token"])
            client.post("/v1/kiosks/enroll/confirm",
                        headers={"Authorization": f"Bearer {tokens[-1]}"}).raise_for_status()
        detail = client.get(f"/v1/facilities/{FACILITY}",
                            headers={"Authorization": f"Bearer {tokens[0]}"}).json()
        plan_id = detail["plans"][0]["id"]
        resident_id = f"{FACILITY}:001"
        families = []
        for i, token in enumerate(tokens[:FAMILIES]):  # fewer when fewer kiosks
            kiosk = {"Authorization": f"Bearer {token}"}
            body = {
                "first_name": "Rosa", "last_name": "Martínez", "phone": _phone(i),
                "email": f"rosa{i}@example.org",
                "address": {"line1": "1200 Main St", "line2": "", "city": "Houston",
                            "state": "TX", "postal_code": "77002"},
                "pin": "4826", "language": "en", "facility_id": FACILITY,
                "resident_id": resident_id,
            }
            account = client.post("/v1/accounts", json=body,
                                  headers={**kiosk, "Idempotency-Key": f"bench-{uuid.uuid4()}"})
            account.raise_for_status()
            signed_in = client.post("/v1/sessions", headers=kiosk,
                                    json={"phone": _phone(i), "pin": "4826"})
            signed_in.raise_for_status()
            families.append((account.json()["id"], signed_in.json()["token"], _e164(i)))
    return Fleet(tokens, families, platform, plan_id, resident_id)


def fund(url: str, fleet: Fleet) -> None:
    """Put money on each family's AdvanceConnect balance, so their calls are charged and
    rated (deposits by card are not what this measures)."""
    db = Database(url)
    try:
        with db.transaction() as session:
            for n, (account_id, _token, _phone) in enumerate(fleet.families):
                ledger.post_deposit(session, account_id, 1_000_000, 0,
                                    reference=f"bench:{n}", now=SystemClock().now())
    finally:
        db.dispose()


def _ok(response: httpx.Response, samples: Samples) -> bool:
    if response.status_code >= 400:
        samples.errors.append(f"{response.request.method} {response.request.url.path}: "
                              f"{response.status_code} {response.text[:200]}")
        return False
    return True


async def _mixed_client(n: int, client: httpx.AsyncClient, fleet: Fleet, stop: float,
                        samples: Samples) -> None:
    kiosk = {"Authorization": f"Bearer {fleet.kiosk_tokens[n % len(fleet.kiosk_tokens)]}"}
    account, session, phone = fleet.families[n % len(fleet.families)]
    family = {"Authorization": f"Bearer {fleet.kiosk_tokens[n % len(fleet.families)]}",
              "X-Family-Session": session}
    platform = {"Authorization": f"Bearer {fleet.platform_token}"}
    keys = itertools.count()
    steps = itertools.cycle(range(6))
    for _ in itertools.islice(steps, n % 6):  # clients start at different steps
        pass
    while time.perf_counter() < stop and not samples.errors:
        step = next(steps)
        started = time.perf_counter()
        into = samples.mixed
        if step == 0:  # client 0 starts here: every phase has healthz samples
            into = samples.healthz
            response = await client.get("/healthz")
        elif step == 1:
            response = await client.get("/v1/facilities", headers=kiosk)
        elif step == 2:
            response = await client.get(f"/v1/facilities/{FACILITY}/residents",
                                        params={"q": "mar"}, headers=kiosk)
        elif step == 3:
            response = await client.post(
                f"/v1/accounts/{account}/subscriptions/quote", headers=family,
                json={"plan_id": fleet.plan_id, "renewal_mode": "auto"})
        elif step == 4:
            response = await client.post(
                "/v1/calls/authorize",
                headers={**platform, "Idempotency-Key": f"bench-{n}-{next(keys)}-{stop}"},
                json={"facility_id": FACILITY, "resident_id": fleet.resident_id,
                      "phone": phone, "kind": "audio", "destination": "in_state"})
            if _ok(response, samples) and response.json()["decision"] in ("covered", "charged"):
                samples.mixed.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                call_id = response.json()["call_id"]
                response = await client.post(
                    f"/v1/calls/{call_id}/rate", headers=platform,
                    json={"duration_seconds": 90})
                if response.status_code == 200:
                    samples.rated[call_id] = response.json()["charged_cents"]
        else:
            response = await client.get(f"/v1/facilities/{FACILITY}/residents",
                                        params={"q": "001"}, headers=kiosk)
        if _ok(response, samples):
            into.append((time.perf_counter() - started) * 1000)


async def _healthz_client(client: httpx.AsyncClient, stop: float, samples: Samples) -> None:
    while time.perf_counter() < stop and not samples.errors:
        started = time.perf_counter()
        if _ok(await client.get("/healthz"), samples):
            samples.healthz.append((time.perf_counter() - started) * 1000)


async def _phase(base: str, clients: int, seconds: float, fleet: Fleet | None) -> Samples:
    samples = Samples()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=TIMEOUT, limits=limits,
                                 verify=not base.startswith("https:")) as client:
        stop = time.perf_counter() + seconds
        if fleet is None:
            work = [_healthz_client(client, stop, samples) for _ in range(clients)]
        else:
            work = [_mixed_client(n, client, fleet, stop, samples) for n in range(clients)]
        try:
            await asyncio.gather(*work)
        except httpx.HTTPError as exc:
            samples.errors.append(f"{type(exc).__name__}: {exc}")
    if samples.errors:
        raise LoadError(f"{len(samples.errors)} failed request(s), first: {samples.errors[0]}")
    return samples


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def measure(url: str, kiosks: int, seconds: float, runs: int, label: str
            ) -> list[dict[str, object]]:
    codes = prepare_database(url, kiosks)
    platform = platform_token(url)
    with server(url) as base:
        fleet = enroll(base, codes, platform)
        fund(url, fleet)
        p99s: list[float] = []
        p99_floors: list[float] = []
        rates: list[float] = []
        floors: list[float] = []
        for _ in range(runs):
            alone = asyncio.run(_phase(base, kiosks, seconds, None))
            floors.append(len(alone.healthz) / seconds)
            mixed = asyncio.run(_phase(base, kiosks, seconds, fleet))
            rates.append(len(mixed.mixed) / seconds)
            p99s.append(_p99(mixed.mixed))
            p99_floors.append(_p99(mixed.healthz))
    note = (f"{label}: {kiosks} kiosks, {seconds:g} s a phase; healthz alone "
            f"{statistics.median(floors):.0f} req/s")
    return [
        row("api_mixed_p99", p99s, statistics.median(p99_floors), "ms", P99_GOAL,
            note=f"{label}: p99 of /healthz under the same load is the floor"),
        row("api_mixed_throughput", rates, statistics.median(floors), "req/s",
            THROUGHPUT_GOAL, direction=">=", note=note),
    ]


def _port(base: str) -> int:
    return int(base.rsplit(":", 1)[1])


async def _rate_on_both(a: str, b: str, fleet: Fleet) -> dict[str, int]:
    """Each family's call authorized on ``a``, then rated on ``b`` and on ``a`` at the same
    moment: both answer the one rating (call id -> charged cents)."""
    platform = {"Authorization": f"Bearer {fleet.platform_token}"}
    rated: dict[str, int] = {}
    async with httpx.AsyncClient(timeout=TIMEOUT) as client:
        for n, (_account, _session, phone) in enumerate(fleet.families):
            authorized = await client.post(
                f"{a}/v1/calls/authorize",
                headers={**platform, "Idempotency-Key": f"cross-{n}-{uuid.uuid4()}"},
                json={"facility_id": FACILITY, "resident_id": fleet.resident_id,
                      "phone": phone, "kind": "audio", "destination": "in_state"})
            authorized.raise_for_status()
            call_id = authorized.json()["call_id"]
            answers = await asyncio.gather(*(client.post(
                f"{base}/v1/calls/{call_id}/rate", headers=platform,
                json={"duration_seconds": 150}) for base in (b, a)))
            cents = {answer.raise_for_status().json()["charged_cents"] for answer in answers}
            if len(cents) != 1:
                raise LoadError(f"call {call_id} rated twice differently: {cents}")
            rated[call_id] = cents.pop()
    return rated


def _charged_once(url: str, rated: dict[str, int]) -> None:
    """Every rated call has exactly one call charge in the ledger, of what was answered."""
    from central.money.models import JournalKind, LedgerJournal

    db = Database(url)
    try:
        journals: dict[str, int] = {}
        stored: dict[str, int | None] = {}
        ids = list(rated)
        with db.read() as session:
            for first in range(0, len(ids), 1000):
                chunk = ids[first:first + 1000]
                for reference, count in session.execute(
                        select(LedgerJournal.reference, func.count())
                        .where(LedgerJournal.reference.in_([f"call:{c}" for c in chunk]),
                               LedgerJournal.kind == JournalKind.CALL_CHARGE)
                        .group_by(LedgerJournal.reference)):
                    journals[reference] = count
                for call_id, cents in session.execute(
                        select(Call.id, Call.charged_cents).where(Call.id.in_(chunk))):
                    stored[call_id] = cents
    finally:
        db.dispose()
    wrong = [c for c, cents in rated.items()
             if journals.get(f"call:{c}", 0) != (1 if cents else 0)
             or stored.get(c) != cents]
    if wrong:
        raise LoadError(f"{len(wrong)} of {len(rated)} rated calls not charged exactly once, "
                        f"first {wrong[0]}")


def _renewed_once(url: str, due: int, seconds: float) -> float:
    """Wait until both servers' schedulers have renewed every due subscription; check one
    charge and one new period each. How many seconds after the load the last one was in."""
    from central.plans.models import SubscriptionPeriod
    from tests.benchmarks.renewals import check_renewed

    started = time.monotonic()
    db = Database(url)
    try:
        while True:
            with db.read() as session:
                periods = session.execute(select(func.count()).select_from(
                    SubscriptionPeriod)).scalar_one()
            if periods >= 2 * due or time.monotonic() - started > seconds:
                break
            time.sleep(1)
    finally:
        db.dispose()
    took = time.monotonic() - started
    time.sleep(3)  # a second renewal, if there were one, would have come by now
    check_renewed(url, due, [due], "sandbox")
    return took


def measure_two_processes(pg_url: str, kiosks: int, seconds: float, runs: int, due: int
                          ) -> list[dict[str, object]]:
    """Two ``serve`` processes on one PostgreSQL behind the installer's nginx (``least_conn``),
    their schedulers both on with ``due`` subscriptions to renew this month. Phases, per run:
    /healthz alone through nginx with both processes (the floor), the mix through nginx with
    one process as its upstream, the mix with both. Every request must succeed; every call
    rated (in the load, and each of the families' calls authorized on one process and rated on
    both at once) is charged once; every due subscription renewed once."""
    from tests.benchmarks.nginx_front import nginx
    from tests.benchmarks.renewals import seed_due

    with fresh_postgres(pg_url) as url, tempfile.TemporaryDirectory() as folder:
        codes = prepare_database(url, kiosks)
        seed_due(url, due, anchor=datetime.now(UTC) - timedelta(days=35))
        platform = platform_token(url)
        with server(url, scheduler_interval=2) as a, server(url, scheduler_interval=2) as b:
            fleet = enroll(a, codes, platform)
            fund(url, fleet)
            rated = asyncio.run(_rate_on_both(a, b, fleet))
            one_rates: list[float] = []
            two_rates: list[float] = []
            floors: list[float] = []
            with nginx([_port(a)], Path(folder) / "one") as one, \
                    nginx([_port(a), _port(b)], Path(folder) / "two") as two:
                for _ in range(runs):
                    alone = asyncio.run(_phase(two, kiosks, seconds, None))
                    floors.append(len(alone.healthz) / seconds)
                    for base, into in ((one, one_rates), (two, two_rates)):
                        mixed = asyncio.run(_phase(base, kiosks, seconds, fleet))
                        into.append(len(mixed.mixed) / seconds)
                        rated.update(mixed.rated)
            renewal_seconds = _renewed_once(url, due, 120)
            _charged_once(url, rated)
    checks = (f"every request succeeded; {len(rated)} calls rated, each charged once "
              f"({len(fleet.families)} authorized on one process and rated on both at once); "
              f"{due} due subscriptions renewed once by the two schedulers "
              f"(all in {renewal_seconds:.0f} s after the load)")
    note = (f"PostgreSQL, nginx {kiosks} kiosks, {seconds:g} s a phase: one process "
            f"{statistics.median(one_rates):.1f} req/s, two {statistics.median(two_rates):.1f}"
            f" req/s; healthz alone through nginx {statistics.median(floors):.0f} req/s; "
            + checks)
    return [
        row("api_nginx_one_process_throughput", one_rates, statistics.median(floors),
            "req/s", THROUGHPUT_GOAL, direction=">=",
            note="the mix through nginx with one serve process, against /healthz alone "
                 "through nginx with two"),
        row("api_nginx_two_processes_throughput", two_rates, statistics.median(one_rates),
            "req/s", TWO_PROCESSES_GOAL, direction=">=",
            note="the mix through nginx with two serve processes, against one: " + note),
    ]


@contextmanager
def fresh_postgres(base_url: str) -> Iterator[str]:
    name = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(make_url(base_url).set(drivername="postgresql+psycopg"),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _two_processes(pg_url: str | None, args: argparse.Namespace) -> list[dict[str, object]]:
    from tests.benchmarks.nginx_front import NginxMissing, nginx_binary

    names = ("api_nginx_one_process_throughput", "api_nginx_two_processes_throughput")
    reason = None if pg_url else "KIOSK_TEST_PG_URL is not set"
    try:
        nginx_binary()
    except NginxMissing as missing:
        reason = reason or str(missing)
    if reason is not None or pg_url is None:
        return [skipped(names[0], "req/s", f"ratio >= {THROUGHPUT_GOAL:g}", str(reason)),
                skipped(names[1], "req/s", f"ratio >= {TWO_PROCESSES_GOAL:g}", str(reason))]
    return measure_two_processes(pg_url, args.kiosks, args.seconds, args.runs, args.due)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="length of each phase")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--kiosks", type=int, default=200, help="concurrent simulated kiosks")
    parser.add_argument("--json", type=Path, help="append the rows to this JSON list")
    parser.add_argument("--two-processes", action="store_true",
                        help="also two serve processes behind nginx on PostgreSQL "
                        "(make bench-full; needs nginx and KIOSK_TEST_PG_URL)")
    parser.add_argument("--due", type=int, default=1000,
                        help="subscriptions the two processes' schedulers renew meanwhile")
    parser.add_argument("--only-two-processes", action="store_true",
                        help="skip the one-server runs (with --two-processes)")
    args = parser.parse_args(argv)
    rows: list[dict[str, object]] = []
    pg_url = os.environ.get("KIOSK_TEST_PG_URL")
    if args.two_processes:
        rows += _two_processes(pg_url, args)
        if args.only_two_processes:
            publish(rows, args.json)
            return 0
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'central.sqlite3'}"
        rows += measure(url, args.kiosks, args.seconds, args.runs, "SQLite")
    if pg_url:
        with fresh_postgres(pg_url) as url:
            for r in measure(url, args.kiosks, args.seconds, args.runs, "PostgreSQL"):
                r["name"] = f"{r['name']}_postgres"
                rows.append(r)
    else:
        reason = "KIOSK_TEST_PG_URL is not set"
        rows += [skipped("api_mixed_p99_postgres", "ms", f"ratio <= {P99_GOAL:g}", reason),
                 skipped("api_mixed_throughput_postgres", "req/s",
                         f"ratio >= {THROUGHPUT_GOAL:g}", reason)]
    publish(rows, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
