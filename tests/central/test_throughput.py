"""What keeps the API's mixed workload near /healthz's throughput (issue 11): a kiosk call
writes its ``last_seen_at`` at most once a minute, read routes do not take SQLite's write
lock, and the connection pool is as large as the threads that use it."""

from __future__ import annotations

import os
import sqlite3
import sys
import threading
from datetime import timedelta

import anyio.to_thread
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from central.clock import ManualClock
from central.db.engine import DB_THREADS, Database
from central.identity.models import Kiosk
from central.identity.pin_work import PinWork
from central.identity.security import token_digest


def _last_seen(app: FastAPI, token: str) -> object:
    with app.state.services.db.transaction() as session:
        return session.execute(
            select(Kiosk.last_seen_at).where(Kiosk.token_hash == token_digest(token))
        ).scalar_one()


def test_a_kiosk_call_writes_last_seen_at_most_once_a_minute(
    kiosk_api: TestClient, app: FastAPI, kiosk_token: str, clock: ManualClock
) -> None:
    assert kiosk_api.get("/v1/facilities").status_code == 200
    first = _last_seen(app, kiosk_token)
    assert first == clock.now()
    clock.advance(timedelta(seconds=20))
    assert kiosk_api.get("/v1/facilities").status_code == 200
    assert _last_seen(app, kiosk_token) == first  # seconds ago: no write
    clock.advance(timedelta(seconds=41))
    assert kiosk_api.get("/v1/facilities").status_code == 200
    assert _last_seen(app, kiosk_token) == clock.now()  # over a minute: written again


def _hold_the_write_lock(url: str) -> sqlite3.Connection:
    """Another process's writer, mid-transaction: it holds SQLite's write lock."""
    writer = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None, timeout=0)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE facilities SET name = name")
    return writer


def test_two_readers_run_while_a_writer_holds_sqlites_write_lock(sqlite_url: str) -> None:
    db = Database(sqlite_url)
    writer = _hold_the_write_lock(sqlite_url)
    answers: list[int] = []
    try:
        def read() -> None:
            with db.read() as session:
                count = session.execute(text("SELECT count(*) FROM facilities"))
                answers.append(count.scalar_one())

        readers = [threading.Thread(target=read, daemon=True) for _ in range(2)]
        for reader in readers:
            reader.start()
        for reader in readers:
            reader.join(timeout=5)
        assert len(answers) == 2, "a read waited on the writer's lock"
    finally:
        writer.rollback()
        writer.close()
        db.dispose()


def test_a_read_route_answers_while_a_writer_holds_sqlites_write_lock(
    kiosk_api: TestClient, seeded_url: str
) -> None:
    if not seeded_url.startswith("sqlite"):
        return  # PostgreSQL readers never wait on writers
    assert kiosk_api.get("/v1/facilities").status_code == 200  # last_seen_at now fresh
    writer = _hold_the_write_lock(seeded_url)
    results: list[int] = []
    try:
        worker = threading.Thread(
            target=lambda: results.append(kiosk_api.get("/v1/facilities").status_code),
            daemon=True)
        worker.start()
        worker.join(timeout=5)
        assert results == [200], "GET /v1/facilities waited on the writer's lock"
        facility = kiosk_api.get("/v1/facilities").json()[0]["id"]
        detail = kiosk_api.get(f"/v1/facilities/{facility}")
        assert detail.status_code == 200
    finally:
        writer.rollback()
        writer.close()
    worker.join(timeout=60)


def test_the_pool_holds_a_connection_for_every_request_thread(api: TestClient, app: FastAPI
                                                              ) -> None:
    pool = app.state.services.db.engine.pool
    assert pool.size() >= DB_THREADS
    assert api.get("/healthz").status_code == 200  # the lifespan has run

    async def tokens() -> float:
        return anyio.to_thread.current_default_thread_limiter().total_tokens

    assert api.portal is not None
    assert api.portal.call(tokens) == DB_THREADS


def test_pin_hashing_runs_below_the_request_threads_priority() -> None:
    """A burst of sign-ins (argon2 takes a core per hash) must not starve other requests of
    the CPU: the hashing threads run niced below the threads that serve requests."""
    if not sys.platform.startswith("linux"):
        pytest.skip("per-thread nice values are Linux's")
    work = PinWork(workers=1, waiting=0)
    try:
        def niceness() -> int:
            return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

        hashing = work.run(niceness)
        assert hashing > niceness()
    finally:
        work.shutdown()
