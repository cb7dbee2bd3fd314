"""What keeps the API's mixed workload near /healthz's throughput (issue 11): a kiosk call
writes its ``last_seen_at`` at most once a minute, read routes do not take SQLite's write
lock, and the connection pool is as large as the threads that use it."""

from __future__ import annotations

import os
import sqlite3
import sys
import threading
import time
from datetime import timedelta
from typing import Any

import anyio.to_thread
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event, select, text

from central.api.deps import _note_seen
from central.db.engine import DB_THREADS, Database
from central.identity.models import Kiosk
from central.identity.pin_work import PinWork
from central.identity.security import token_digest
from central.kernel.clock import ManualClock
from tests.central.rating_support import authorize, subscribe
from tests.support import enroll_kiosk


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


# --- issue 21: the API's hot paths ------------------------------------------------------


def test_writers_of_one_process_take_turns_without_sqlites_busy_handler(
    sqlite_url: str,
) -> None:
    """Writers queue on the engine's lock, not on SQLite's busy handler, which polls with
    sleeps of up to 100 ms and under load left the write lock free while request threads
    slept (docs/performance.md, "One writer at a time"). With SQLite's busy timeout at zero,
    a second writer that met the lock directly would fail at once with "database is locked";
    queued, it waits for the first to commit and then writes."""
    db = Database(sqlite_url)

    @event.listens_for(db.engine, "connect")
    def _no_busy_wait(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA busy_timeout=0")

    first_writes, second_may_start = threading.Event(), threading.Event()
    order: list[str] = []
    errors: list[BaseException] = []

    def first() -> None:
        with db.transaction() as session:
            session.execute(text("UPDATE facilities SET name = name"))
            first_writes.set()
            second_may_start.wait(5)
            time.sleep(0.3)  # the second writer is waiting meanwhile
            order.append("first")

    def second() -> None:
        first_writes.wait(5)
        second_may_start.set()
        try:
            with db.transaction() as session:
                session.execute(text("UPDATE facilities SET name = name"))
                order.append("second")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    try:
        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        assert not errors, errors
        assert order == ["first", "second"]
        # The queue is released with each connection: a third write needs no wait at all.
        with db.transaction() as session:
            session.execute(text("UPDATE facilities SET name = name"))
    finally:
        db.dispose()


def _write_transactions(app: FastAPI) -> list[int]:
    """A counter of the write transactions the app's engine begins from now on."""
    begun = [0]

    @event.listens_for(app.state.services.db.engine, "begin")
    def _count(connection: Any) -> None:
        if not connection.get_execution_options().get("lobby_read_only", False):
            begun[0] += 1

    return begun


def test_a_call_authorization_is_one_write_transaction(
    api: TestClient, app: FastAPI, call_platform: dict[str, str]
) -> None:
    """The Idempotency-Key's claim, the decision and its stored answer commit together:
    every call of every facility is authorized, and on SQLite each write transaction waits
    its turn (docs/performance.md). It was two: the claim, then the decision."""
    assert authorize(api, key="warm").status_code == 201  # the platform's last_seen_at
    begun = _write_transactions(app)
    assert authorize(api, key="call-1").status_code == 201
    assert begun[0] == 1
    replayed = authorize(api, key="call-1")
    assert replayed.status_code == 201 and replayed.headers.get("Idempotent-Replayed")
    assert begun[0] == 2


def test_kiosks_due_together_write_last_seen_in_one_transaction(
    app: FastAPI, clock: ManualClock
) -> None:
    """A fleet's kiosks come due for ``last_seen_at`` together (each minute, and all at
    once when the server starts): 20 kiosks' calls queued behind another writer make two
    write transactions, not 20, and each call returns with its kiosk's time written."""
    services = app.state.services
    tokens = [enroll_kiosk(app) for _ in range(20)]
    with services.db.transaction() as session:
        ids = [session.execute(select(Kiosk.id).where(Kiosk.token_hash == token_digest(t))
                               ).scalar_one() for t in tokens]
    clock.advance(timedelta(minutes=2))
    holding, release = threading.Event(), threading.Event()

    def other_writer() -> None:  # holds the first kiosk's row and SQLite's write lock
        with services.db.transaction() as session:
            session.execute(text("UPDATE kiosks SET name = name WHERE id = :id"),
                            {"id": ids[0]})
            holding.set()
            release.wait(10)

    holder = threading.Thread(target=other_writer)
    holder.start()
    assert holding.wait(10)
    begun = _write_transactions(app)
    first = threading.Thread(target=_note_seen, args=(services, ids[0], None))
    first.start()
    time.sleep(0.3)  # the first call waits for the other writer, with its turn taken
    rest = [threading.Thread(target=_note_seen, args=(services, kiosk_id, None))
            for kiosk_id in ids[1:]]
    for thread in rest:
        thread.start()
    time.sleep(0.5)  # the other 19 wait behind it
    release.set()
    for thread in [holder, first, *rest]:
        thread.join(20)
        assert not thread.is_alive()
    assert begun[0] == 2
    with services.db.read() as session:
        seen = session.execute(select(Kiosk.last_seen_at).where(Kiosk.id.in_(ids))).scalars()
        assert set(seen) == {clock.now()}


def _thread_trips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the server sends to a worker thread from now on (FastAPI and Starlette go
    through ``anyio.to_thread.run_sync`` for every sync dependency, sync route and sync
    validation of a sync route's answer), by name."""
    trips: list[str] = []
    run_sync = anyio.to_thread.run_sync

    async def counted(func: Any, *args: Any, **kwargs: Any) -> Any:
        # Starlette sends a functools.partial; FastAPI's sync route is its ``function``.
        named = getattr(func, "keywords", {}).get("function", getattr(func, "func", func))
        trips.append(getattr(named, "__name__", repr(named)))
        return await run_sync(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    return trips


def test_the_mixed_workload_goes_to_a_worker_thread_only_for_its_database_work(
    kiosk_api: TestClient, app: FastAPI, kiosk_token: str, call_platform: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Under a fleet's load every trip to a worker thread waits its turn for one of the
    ``DB_THREADS`` (behind 200 kiosks' requests) and costs the event loop and the GIL a
    hand-over each way: a request of ``api_load``'s mix takes one trip for each blocking step
    it has (the kiosk's token, the family's session, the route), none for the checks that
    only look at the request or at what was already read, nor for serializing the answer.
    Before (docs/performance.md, "Fewer trips to a worker thread") the facility list and
    the resident search took seven trips, a quote ten, an authorization and a rating six."""
    from tests.central.family_support import open_family

    kiosk = {"Authorization": f"Bearer {kiosk_token}"}
    api = kiosk_api
    family = open_family(api)  # signed in at the test kiosk
    subscribe(app, family.account_id)  # its calls are covered, so rated
    plan = api.get("/v1/facilities/harbor-county-jail", headers=kiosk).json()["plans"][0]["id"]
    trips = _thread_trips(monkeypatch)

    def count(send: Any) -> list[str]:
        del trips[:]
        response = send()
        assert response.status_code < 300, response.text
        return list(trips)

    assert count(lambda: api.get("/v1/facilities", headers=kiosk)) == [
        "current_enrolled_kiosk", "list_facilities"]
    assert count(lambda: api.get("/v1/facilities/harbor-county-jail/residents",
                                 params={"q": "mar"}, headers=kiosk)) == [
        "current_enrolled_kiosk", "search_residents"]
    assert count(lambda: api.post(
        f"/v1/accounts/{family.account_id}/subscriptions/quote",
        headers={**kiosk, **family.headers},
        json={"plan_id": plan, "renewal_mode": "auto"})) == [
        "current_enrolled_kiosk", "current_family", "quote"]
    authorized = authorize(api, key="trips")
    assert authorized.status_code == 201, authorized.text
    assert count(lambda: authorize(api, key="trips-2")) == [
        "current_enrolled_kiosk", "authorize"]
    call_id = authorized.json()["call_id"]
    assert count(lambda: api.post(f"/v1/calls/{call_id}/rate", json={"duration_seconds": 90},
                                  headers=call_platform)) == [
        "current_enrolled_kiosk", "rate"]


def test_an_authorization_reads_its_idempotency_record_once(
    api: TestClient, app: FastAPI, call_platform: dict[str, str]
) -> None:
    """Inside the authorization's write transaction (on SQLite, while every other writer
    waits) the Idempotency-Key's record is read once, by the claim; the answer is stored by
    one UPDATE of the claimed row, not a second read of it and then the write."""
    assert authorize(api, key="warm").status_code == 201
    statements: list[str] = []

    @event.listens_for(app.state.services.db.engine, "before_cursor_execute")
    def _seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "idempotency_records" in statement:
            statements.append(statement.split()[0].upper())

    assert authorize(api, key="once").status_code == 201
    assert statements == ["SELECT", "INSERT", "UPDATE"]
    del statements[:]
    replayed = authorize(api, key="once")
    assert replayed.status_code == 201 and replayed.headers.get("Idempotent-Replayed")
    assert statements == ["SELECT"]
