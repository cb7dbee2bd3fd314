"""The outbox's sync engine: backoff with jitter after a transient failure, order kept,
final answers recorded, and convergence through a network that misbehaves on purpose
(a fault proxy on loopback): no duplicate, no loss."""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from central.identity.models import Account
from kiosk.store import LocalStore, OutboxEntry, OutboxState
from kiosk.sync import Backoff, OutboxSender
from services.central_client import CentralClient
from services.vault import VolatileVault
from tests.faultproxy import Fault, FaultProxy
from tests.support import LiveServer, enroll_kiosk, free_port

PIN = "9137"


class SteppedClock:
    """The kiosk's clock, moved by the test."""

    def __init__(self) -> None:
        self.moment = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.moment

    def advance(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)


def payload(number: int) -> dict[str, Any]:
    return {
        "first_name": "Luis", "last_name": "Reyes", "phone": f"+1512555{number:04d}",
        "email": f"luis{number}@example.org",
        "address": {"line1": "5 Elm St", "line2": "", "city": "Austin", "state": "TX",
                    "postal_code": "78701"},
        "language": "en", "facility_id": "harbor-county-jail",
        "resident_id": "harbor-county-jail:002",
    }


@pytest.fixture
def clock() -> SteppedClock:
    return SteppedClock()


@pytest.fixture
def store(tmp_path: Path, clock: SteppedClock) -> Iterator[LocalStore]:
    local = LocalStore(tmp_path / "kiosk.sqlite3", clock)
    yield local
    local.close()


def queue(store: LocalStore, vault: VolatileVault, number: int) -> int:
    return store.queue_registration(payload(number), vault.put_new("pin", PIN),
                                    f"account:{number}")


def offline_sender(store: LocalStore, vault: VolatileVault) -> OutboxSender:
    client = CentralClient(f"http://127.0.0.1:{free_port()}", "t", timeout=1, post_attempts=1)
    return OutboxSender(store, client, vault, backoff=Backoff(2, 60), rng=random.Random(7))


def test_backoff_grows_with_full_jitter_and_a_cap() -> None:
    backoff = Backoff(base_seconds=2, cap_seconds=60)
    rng = random.Random(1)
    for attempts in range(1, 12):
        delays = [backoff.delay(attempts, rng).total_seconds() for _ in range(200)]
        ceiling = min(60, 2 * 2**attempts)
        assert min(delays) >= 0 and max(delays) <= ceiling
        assert max(delays) > ceiling * 0.8  # spread over the whole range, not a fixed step
    assert backoff.delay(10_000, rng).total_seconds() <= 60


def test_a_failed_entry_waits_its_backoff_and_holds_back_the_ones_after_it(
    store: LocalStore, clock: SteppedClock
) -> None:
    vault = VolatileVault()
    first, second = queue(store, vault, 1), queue(store, vault, 2)
    sender = offline_sender(store, vault)
    assert sender.drain() == []
    entry = store.entry(first)
    assert entry is not None and entry.attempts == 1 and entry.last_error == "offline"
    assert entry.next_attempt_at is not None
    wait = entry.next_attempt_at - clock.now()
    assert timedelta(0) <= wait <= timedelta(seconds=4)
    assert store.entry(second).attempts == 0  # type: ignore[union-attr]

    # Not due yet: a drain does not even try (nothing is counted).
    clock.advance(wait.total_seconds() / 2)
    assert sender.drain() == []
    assert store.entry(first).attempts == 1  # type: ignore[union-attr]
    clock.advance(wait.total_seconds())
    assert sender.drain() == []
    assert store.entry(first).attempts == 2  # type: ignore[union-attr]
    assert sender.waiting() == 2


def test_final_answers_are_kept_as_conflict_or_failure(
    store: LocalStore, live_server: LiveServer
) -> None:
    vault = VolatileVault()
    token = enroll_kiosk(live_server.app)
    sender = OutboxSender(store, CentralClient(live_server.url, token, timeout=5), vault)
    created = queue(store, vault, 1)
    duplicate = store.queue_registration(payload(1), vault.put_new("pin", PIN), "account:dup")
    bad = payload(2) | {"email": "not an address"}
    invalid = store.queue_registration(bad, vault.put_new("pin", PIN), "account:bad")
    after = queue(store, vault, 3)
    results = {result.outbox_id: result for result in sender.drain()}
    assert results[created].state is OutboxState.SENT
    assert (results[duplicate].state, results[duplicate].error_code) == (
        OutboxState.CONFLICT, "phone_registered")
    assert results[invalid].state is OutboxState.FAILED
    assert results[invalid].error_field == "email"
    assert results[after].state is OutboxState.SENT  # a final "no" does not block the rest
    answer = json.loads(store.entry(duplicate).response or "")  # type: ignore[union-attr]
    # The server's own words are kept for staff to read (docs/staff-mode.md).
    assert answer == {"code": "phone_registered", "field": "phone",
                      "title": "This phone number already has an account",
                      "detail": "Sign in with the phone number and PIN instead."}
    assert json.loads(store.entry(created).response or "") == {  # type: ignore[union-attr]
        "account_id": results[created].account_id}
    assert vault.names("pin") == []


def test_a_database_from_an_older_kiosk_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    with sqlite3.connect(path) as old:
        old.execute(
            "CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, created_at DATETIME "
            "NOT NULL, operation VARCHAR(40) NOT NULL, idempotency_key VARCHAR(80) NOT NULL "
            "UNIQUE, payload TEXT NOT NULL, secret_ref VARCHAR(120), state VARCHAR(16) NOT "
            "NULL, attempts INTEGER NOT NULL, last_error VARCHAR(200), finished_at DATETIME)")
        old.execute(
            "INSERT INTO outbox (created_at, operation, idempotency_key, payload, state, "
            "attempts) VALUES ('2026-11-01 10:00:00', 'create_account', 'account:old', '{}', "
            "'pending', 3)")
    store = LocalStore(path, SteppedClock())
    try:
        [entry] = store.pending()
        assert (entry.idempotency_key, entry.attempts, entry.next_attempt_at) == (
            "account:old", 3, None)
    finally:
        store.close()


FAULTS = [Fault.REFUSE, Fault.HANG, Fault.ERROR_500, Fault.DROP_ANSWER, Fault.SLOW, Fault.PASS]


def test_the_outbox_converges_through_a_bad_network(
    store: LocalStore, clock: SteppedClock, live_server: LiveServer
) -> None:
    services = live_server.app.state.services
    vault = VolatileVault()
    token = enroll_kiosk(live_server.app)
    count = 12
    for number in range(count):
        queue(store, vault, number)
    shuffle = random.Random(20261127)
    schedule = iter([shuffle.choice(FAULTS) for _ in range(80)])
    with FaultProxy(live_server.port, schedule) as proxy:
        client = CentralClient(proxy.url, token, timeout=1.0, connect_timeout=1.0)
        sender = OutboxSender(store, client, vault, backoff=Backoff(1, 8), rng=shuffle)
        for _ in range(200):
            if not store.pending():
                break
            sender.drain()  # a transient failure pauses the drain; it never raises
            clock.advance(10)  # past any backoff: the next tick finds the entry due
    assert store.pending() == []
    assert {Fault.REFUSE, Fault.HANG, Fault.ERROR_500, Fault.DROP_ANSWER} <= set(proxy.seen)
    with store.transaction() as session:
        states = session.execute(select(OutboxEntry.state)).scalars().all()
    assert states == [OutboxState.SENT.value] * count  # a dropped answer was replayed, not lost
    with services.db.transaction() as session:
        phones = session.execute(select(Account.phone)).scalars().all()
    assert sorted(phones) == sorted(payload(n)["phone"] for n in range(count))


def test_a_report_queued_by_a_refusal_goes_out_in_the_same_drain(
    store: LocalStore, live_server: LiveServer
) -> None:
    """A sign-up refused as ``phone_registered`` queues its conflict report
    (docs/offline.md, "Conflicts"); the family's e-mail must not wait for the next timer."""
    vault = VolatileVault()
    token = enroll_kiosk(live_server.app)
    sender = OutboxSender(store, CentralClient(live_server.url, token, timeout=5), vault)
    queue(store, vault, 4)
    clash = store.queue_registration(payload(4), vault.put_new("pin", PIN), "account:clash")
    results = sender.drain()
    assert results[1].outbox_id == clash and results[1].state is OutboxState.CONFLICT
    [report] = [r for r in results if r.outbox_id not in (clash, results[0].outbox_id)]
    assert report.state is OutboxState.SENT
    assert store.pending() == []
