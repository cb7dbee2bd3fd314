"""Real crashes (SIGKILL of a real process, not an exception that unwinds) of the kiosk's
sign-up writer and of its outbox sender: nothing is lost, nothing is sent twice."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from central.app import create_app
from central.identity.limits import Limits, RateLimit
from central.identity.models import Account
from central.mail.mailer import EmlFolderMailer
from kiosk.clock import SystemClock
from kiosk.store import LocalStore, OutboxEntry, OutboxState
from services.vault import Vault
from tests.crash.workers import sign_up_payload
from tests.support import HEAVY, LiveServer, enroll_kiosk, secure_vault

REPOSITORY = Path(__file__).resolve().parents[2]
ROUNDS = int(os.environ.get("KIOSK_CRASH_ROUNDS", "12"))


class Child:
    """A worker process whose stdout lines are collected on a thread as they come."""

    def __init__(self, *args: str) -> None:
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.crash.workers", *args],
            cwd=REPOSITORY, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.strip())

    def wait_for_lines(self, count: int, timeout: float = 60) -> None:
        self.wait_until(lambda: len(self.lines) >= count, f"{count} lines", timeout)

    def wait_for_line(self, text: str, timeout: float = 60) -> None:
        self.wait_until(lambda: text in self.lines, repr(text), timeout)

    def wait_until(self, done: Callable[[], bool], what: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not done():
            if self.process.poll() is not None:
                self._reader.join(2)
                if done():
                    return
                stderr = self.process.stderr.read() if self.process.stderr else ""
                raise AssertionError(f"worker exited {self.process.returncode}: {stderr[-2000:]}")
            if time.monotonic() > deadline:
                raise AssertionError(f"worker never printed {what}: {self.lines[-5:]}")
            time.sleep(0.005)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self._reader.join(5)


def _check_database(path: Path) -> tuple[set[int], int]:
    """Integrity, and every sign-up with its outbox row; returns the numbers stored."""
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        orphans = db.execute(
            "SELECT count(*) FROM registrations r LEFT JOIN outbox o ON o.id = r.outbox_id "
            "WHERE o.id IS NULL").fetchone()[0]
        unrecorded = db.execute(
            "SELECT count(*) FROM outbox o LEFT JOIN registrations r ON r.outbox_id = o.id "
            "WHERE r.id IS NULL AND o.operation = 'create_account'").fetchone()[0]
        keys = [row[0] for row in db.execute("SELECT idempotency_key FROM outbox")]
    assert orphans == 0 and unrecorded == 0
    numbers = {int(key.removeprefix("account:crash-")) for key in keys}
    assert len(numbers) == len(keys)
    return numbers, len(keys)


@HEAVY
def test_sign_up_writer_killed_at_random_points_loses_nothing(tmp_path: Path) -> None:
    database = tmp_path / "kiosk.sqlite3"
    LocalStore(database, SystemClock()).close()
    shuffle = random.Random(os.environ.get("KIOSK_CRASH_SEED", "20261127"))
    acknowledged: set[int] = set()
    stored: set[int] = set()
    first = 1
    for _ in range(ROUNDS):
        writer = Child("write-sign-ups", str(database), str(first))
        writer.wait_for_lines(1)
        time.sleep(shuffle.uniform(0.0, 0.25))
        writer.kill()
        reported = {int(line) for line in writer.lines if line}
        acknowledged |= reported
        before, (stored, _count) = stored, _check_database(database)
        # What the writer reported committed is there; at most the one it was about to
        # report when it died is there too.
        assert acknowledged <= stored and before <= stored
        assert len((stored - before) - reported) <= 1
        first = max(stored) + 1
    assert len(acknowledged) > ROUNDS


@pytest.fixture
def keyring_vault() -> Iterator[Vault]:
    vault = secure_vault("lobby-kiosk-crash-test")
    yield vault
    for prefix in ("pin", "link-pin"):
        for name in vault.names(prefix):
            vault.delete(name)


@pytest.fixture
def roomy_server(seeded_url: str, mail_dir: Path) -> Iterator[LiveServer]:
    """The real server, with room for one kiosk to send two dozen sign-ups (or sign in for
    as many queued links) in a minute (the default allows 10 sign-ups; the drain would
    then wait out a minute's backoff)."""
    limits = Limits(sign_up=RateLimit("sign-up", 1000), sign_in=RateLimit("sign-in", 1000))
    server = LiveServer(create_app(seeded_url, mailer=EmlFolderMailer(mail_dir),
                                   limits=limits))
    server.start()
    yield server
    server.stop()
    server.app.state.services.db.dispose()


def _drain_through_kills(store: LocalStore, database: Path, url: str, token: str,
                         count: int) -> None:
    """SIGKILL a draining sender at random moments until the outbox is empty or the rounds
    run out, let one last sender finish, and check every row of the ``count`` was sent."""
    shuffle = random.Random(os.environ.get("KIOSK_CRASH_SEED", "20261127"))
    for _ in range(ROUNDS):
        if not store.pending():
            break
        sender = Child("drain", str(database), url, token, "lobby-kiosk-crash-test")
        time.sleep(shuffle.uniform(0.05, 0.6))
        sender.kill()
    Child("drain", str(database), url, token,
          "lobby-kiosk-crash-test").wait_for_line("drained", timeout=120)
    assert store.pending() == []
    with store.transaction() as session:
        states = session.execute(select(OutboxEntry.state)).scalars().all()
    assert states == [OutboxState.SENT.value] * count


@HEAVY
@pytest.mark.keyring
def test_sender_killed_during_a_drain_delivers_every_sign_up_exactly_once(
    tmp_path: Path, roomy_server: LiveServer, keyring_vault: Vault
) -> None:
    live_server = roomy_server
    services = live_server.app.state.services
    token = enroll_kiosk(live_server.app)
    database = tmp_path / "kiosk.sqlite3"
    store = LocalStore(database, SystemClock())
    count = 24
    for number in range(count):
        ref = keyring_vault.put_new("pin", "5820")
        store.queue_registration(sign_up_payload(number), ref, f"account:drain-{number}")
    _drain_through_kills(store, database, live_server.url, token, count)
    phones = {sign_up_payload(number)["phone"] for number in range(count)}
    with services.db.transaction() as session:
        created = session.execute(select(Account.phone)).scalars().all()
    assert sorted(created) == sorted(phones)  # each once: none lost, none twice
    assert keyring_vault.names("pin") == []  # every PIN forgotten once delivered
    store.close()


@HEAVY
@pytest.mark.keyring
def test_sender_killed_during_a_drain_of_queued_links_links_each_exactly_once(
    tmp_path: Path, roomy_server: LiveServer, keyring_vault: Vault
) -> None:
    """docs/offline.md, "A loved one added offline": killed between signing in, linking,
    recording the answer and forgetting the PIN, the sender still links each loved one
    once, and no PIN is left behind in the keyring."""
    from fastapi.testclient import TestClient

    from central.identity.models import LinkedResident
    from tests.central.family_support import PIN, register

    live_server = roomy_server
    services = live_server.app.state.services
    token = enroll_kiosk(live_server.app)
    count = 10
    with TestClient(live_server.app) as api:
        api.headers["Authorization"] = f"Bearer {token}"
        accounts = [register(api, phone=f"(713) 555-03{number:02d}") for number in range(count)]
    database = tmp_path / "kiosk.sqlite3"
    store = LocalStore(database, SystemClock())
    for number, account_id in enumerate(accounts):
        store.queue_link(
            {"account_id": account_id, "phone": f"+171355503{number:02d}",
             "facility_id": "desert-springs-prison",
             "resident_id": "desert-springs-prison:003", "resident_name": "Williams, Darnell"},
            keyring_vault.put_new("link-pin", PIN), f"link:drain-{number}")
    _drain_through_kills(store, database, live_server.url, token, count)
    with services.db.transaction() as session:
        links = session.execute(
            select(LinkedResident.account_id)
            .where(LinkedResident.resident_id == "desert-springs-prison:003")).scalars().all()
    assert sorted(links) == sorted(accounts)  # each once: none lost, none twice
    assert keyring_vault.names("link-pin") == []  # every PIN forgotten once delivered
    store.close()


@pytest.mark.keyring
@pytest.mark.parametrize("stage", ["enrolled", "stored", "confirmed"])
def test_a_kiosk_killed_while_enrolling_enrolls_with_the_same_code_after_restart(
    tmp_path: Path, live_server: LiveServer, stage: str
) -> None:
    """The one-time code is not burned by a crash at any step of enrolling: the restarted
    kiosk ends up with one working token, and the code is spent exactly then."""
    from central.identity.kiosks import issue_enrollment_code
    from central.identity.models import EnrollmentCode, Kiosk
    from kiosk.capabilities.access import KioskAccess
    from kiosk.credentials import PENDING_TOKEN_ENTRY, TOKEN_ENTRY
    from services.central_client import CentralClient

    service = "lobby-kiosk-enroll-crash-test"
    vault = secure_vault(service)
    for name in (TOKEN_ENTRY, PENDING_TOKEN_ENTRY):
        vault.delete(name)
    services = live_server.app.state.services
    code = issue_enrollment_code(services.db, services.clock, "harbor-county-jail")
    database = tmp_path / "kiosk.sqlite3"
    first = Child("enroll", str(database), live_server.url, code, service, stage)
    first.wait_for_line(stage)
    first.kill()

    store = LocalStore(database, SystemClock())
    client = CentralClient(live_server.url, timeout=5)
    try:
        KioskAccess(client, store, vault, code, "restarted").ensure()
        assert client.token and vault.get(TOKEN_ENTRY) == client.token
        assert vault.get(PENDING_TOKEN_ENTRY) is None
        assert client.facilities()  # the token works
        with services.db.transaction() as session:
            kiosks = session.execute(select(Kiosk)).scalars().all()
            working = [k for k in kiosks if k.confirmed_at and not k.revoked_at]
            spent = session.execute(select(EnrollmentCode.used_at)).scalar_one()
        assert len(working) == 1 and spent is not None
        # A kiosk that was killed before storing its token retired that token on re-enroll.
        assert len(kiosks) == (2 if stage == "enrolled" else 1)
    finally:
        store.close()
        for name in (TOKEN_ENTRY, PENDING_TOKEN_ENTRY):
            vault.delete(name)
