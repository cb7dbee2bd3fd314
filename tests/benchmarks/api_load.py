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
from pathlib import Path
from typing import IO

import httpx2 as httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from central.clock import SystemClock
from central.db.engine import Database
from central.db.migrate import upgrade
from central.identity.kiosks import issue_enrollment_code
from central.money import ledger
from central.seed import seed_demo
from tests.benchmarks.report import publish, row, skipped
from tests.support import free_port

FACILITY = "harbor-county-jail"
FAMILIES = 20  # kiosks with a signed-in family (each sign-up and sign-in is an argon2 hash)
TIMEOUT = httpx.Timeout(30.0)
P99_GOAL = 3.0
THROUGHPUT_GOAL = 0.5


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


def _phone(i: int) -> str:
    return f"(713) 555-{2000 + i:04d}"


def _e164(i: int) -> str:
    return f"+1713555{2000 + i:04d}"


@contextmanager
def server(url: str) -> Iterator[str]:
    """``lobby-central serve`` on a free loopback port, until the block ends."""
    port = free_port()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "central.cli", "serve", "--db", url, "--port", str(port),
             "--scheduler-interval", "0", "--sign-in-limit", "100000",
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
                response = await client.post(
                    f"/v1/calls/{response.json()['call_id']}/rate", headers=platform,
                    json={"duration_seconds": 90})
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
    async with httpx.AsyncClient(base_url=base, timeout=TIMEOUT, limits=limits) as client:
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="length of each phase")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--kiosks", type=int, default=200, help="concurrent simulated kiosks")
    parser.add_argument("--json", type=Path, help="append the rows to this JSON list")
    args = parser.parse_args(argv)
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'central.sqlite3'}"
        rows += measure(url, args.kiosks, args.seconds, args.runs, "SQLite")
    pg_url = os.environ.get("KIOSK_TEST_PG_URL")
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
