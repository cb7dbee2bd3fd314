"""Draining the kiosk's outbox: N queued sign-ups sent by the real sender
(``kiosk.sync.OutboxSender`` over ``kiosk.store.LocalStore``) to a real central server
on loopback, next to the same number of plain POSTs to a bare endpoint of that server.

    python -m tests.benchmarks.sync_drain [--count 10000] [--runs 3] [--json FILE]

The server is ``create_app`` on a SQLite file, served by uvicorn in a child process (so it
does not share the sender's interpreter), with the sign-up limit raised for the drain and
one extra route, ``POST /bench/bare``, that reads the body and answers 201. Runs
interleave: bare POSTs, then a drain of fresh sign-ups, each round. The row is
``sync_drain_10k`` whatever ``--count`` is, with the count in its note.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import requests
from fastapi import Request, Response

from kiosk.clock import SystemClock
from kiosk.store import LocalStore, OutboxState
from kiosk.sync import OutboxSender
from services.central_client import CentralClient
from services.vault import VolatileVault
from tests.benchmarks.report import publish, row
from tests.support import free_port

PIN = "9137"
GOAL = 2.0


def payload(n: int) -> dict[str, Any]:
    return {
        "first_name": "Luis", "last_name": "Reyes",
        "phone": f"+1512{234 + n // 10_000:03d}{n % 10_000:04d}",  # a valid US number
        "email": f"luis{n}@example.org",
        "address": {"line1": "5 Elm St", "line2": "", "city": "Austin", "state": "TX",
                    "postal_code": "78701"},
        "language": "en", "facility_id": "harbor-county-jail",
        "resident_id": "harbor-county-jail:002",
    }


def serve(url: str, port: int) -> int:
    """The child process: the real app plus the bare endpoint, on ``port``."""
    import uvicorn

    from central.app import create_app
    from central.identity.limits import Limits, RateLimit

    limits = Limits(sign_up=RateLimit("sign-up", 10_000_000, timedelta(minutes=1)))
    app = create_app(url, limits=limits)

    @app.post("/bench/bare", include_in_schema=False)
    async def bare(request: Request) -> Response:
        await request.body()
        return Response(status_code=201, content=b"{}", media_type="application/json")

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
    return 0


class Server:
    def __init__(self, folder: Path) -> None:
        from central.db.engine import Database
        from central.db.migrate import upgrade
        from central.seed import seed_demo

        self.db_url = f"sqlite:///{folder / 'central.sqlite3'}"
        upgrade(self.db_url)
        db = Database(self.db_url)
        seed_demo(db)
        db.dispose()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.benchmarks.sync_drain", "--serve", self.db_url,
             str(self.port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("the central server did not start")
            time.sleep(0.1)

    def kiosk_token(self) -> str:
        from central.db.engine import Database
        from central.identity.kiosks import issue_enrollment_code
        from central.kernel.clock import SystemClock as CentralClock

        db = Database(self.db_url)
        try:
            code = issue_enrollment_code(db, CentralClock(), "harbor-county-jail")
        finally:
            db.dispose()
        response = requests.post(self.url + "/v1/kiosks/enroll",
                                 json={"code": code, "name": "Bench lobby"}, timeout=30)
        response.raise_for_status()
        token: str = response.json()["token"]
        requests.post(self.url + "/v1/kiosks/enroll/confirm",
                      headers={"Authorization": f"Bearer {token}"}, timeout=30).raise_for_status()
        return token

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)


def bare_posts(url: str, count: int) -> float:
    """``count`` POSTs of a sign-up-sized body to the bare endpoint, one after another,
    over one keep-alive session (as the kiosk's client does)."""
    body = json.dumps({**payload(0), "pin": PIN})
    with requests.Session() as session:
        started = time.perf_counter()
        for _ in range(count):
            response = session.post(url + "/bench/bare", data=body, timeout=30,
                                    headers={"Content-Type": "application/json"})
            assert response.status_code == 201, (response.status_code, response.text)
        return time.perf_counter() - started


def drain(url: str, token: str, folder: Path, first: int, count: int) -> float:
    """Queue ``count`` sign-ups in a fresh kiosk store, then time one drain of them."""
    store = LocalStore(folder / f"kiosk-{first}.sqlite3", SystemClock())
    vault = VolatileVault()
    try:
        for n in range(first, first + count):
            store.queue_registration(payload(n), vault.put_new("pin", PIN), f"bench:{n}")
        sender = OutboxSender(store, CentralClient(url, token, timeout=30), vault)
        started = time.perf_counter()
        results = sender.drain(retry_now=True)
        elapsed = time.perf_counter() - started
        sent = sum(r.state is OutboxState.SENT for r in results)
        if sent != count:
            codes = {r.error_code for r in results if r.state is not OutboxState.SENT}
            raise RuntimeError(f"drained {sent} of {count}: {codes}")
        return elapsed
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, help="append the rows to this JSON list")
    parser.add_argument("--serve", nargs=2, metavar=("DB_URL", "PORT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        return serve(args.serve[0], int(args.serve[1]))
    drains: list[float] = []
    floors: list[float] = []
    with tempfile.TemporaryDirectory(prefix="sync-drain-bench-") as name:
        folder = Path(name)
        server = Server(folder)
        try:
            token = server.kiosk_token()
            for round_ in range(args.runs):
                floors.append(bare_posts(server.url, args.count))
                drains.append(drain(server.url, token, folder, round_ * args.count,
                                    args.count))
                sys.stderr.write(f"  round {round_ + 1}: drain {drains[-1]:.2f} s, bare "
                                 f"POSTs {floors[-1]:.2f} s\n")
        finally:
            server.stop()
    publish([row("sync_drain_10k", drains, min(floors), "s", GOAL,
                 note=f"{args.count} queued sign-ups against {args.count} bare POSTs")],
            args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
