"""Offline sign-up: the outbox keeps it, the sender delivers it once when the server is back,
and the PIN is never written to the kiosk's disk."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from kiosk.clock import SystemClock
from kiosk.store import LINK_PIN_PREFIX, LocalStore, OutboxState
from kiosk.sync import OutboxSender
from services.central_client import CentralClient, CentralUnreachable
from services.vault import VolatileVault
from tests.support import LiveServer, enroll_kiosk, free_port

PIN = "9137"


def payload(phone: str = "+15125550143") -> dict[str, Any]:
    return {
        "first_name": "Luis", "last_name": "Reyes", "phone": phone, "email": "luis@example.org",
        "address": {"line1": "5 Elm St", "line2": "", "city": "Austin", "state": "TX",
                    "postal_code": "78701"},
        "language": "en", "facility_id": "harbor-county-jail",
        "resident_id": "harbor-county-jail:002",
    }


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    local = LocalStore(tmp_path / "kiosk.sqlite3", SystemClock())
    yield local
    local.close()


def queue(store: LocalStore, vault: VolatileVault, key: str = "account:1",
          phone: str = "+15125550143") -> int:
    return store.queue_registration(payload(phone), vault.put_new("pin", PIN), key)


def test_offline_sign_up_is_kept_then_delivered_once(
    store: LocalStore, live_server: LiveServer
) -> None:
    vault = VolatileVault()
    token = enroll_kiosk(live_server.app)
    offline = OutboxSender(store, CentralClient(f"http://127.0.0.1:{free_port()}", token,
                                                timeout=1, post_attempts=1), vault)
    outbox_id = queue(store, vault)
    with pytest.raises(CentralUnreachable):
        offline.send(outbox_id)
    assert [e.id for e in store.pending()] == [outbox_id]
    assert store.entry(outbox_id).attempts == 1  # type: ignore[union-attr]

    online = OutboxSender(store, CentralClient(live_server.url, token, timeout=5), vault)
    [result] = online.drain(retry_now=True)  # the network is back
    assert result.state is OutboxState.SENT and result.account_id
    assert store.pending() == []
    assert online.drain() == []  # nothing is sent twice
    registration = store.registration_for(outbox_id)
    assert registration is not None and registration.account_id == result.account_id
    assert vault.get(store.entry(outbox_id).secret_ref or "x") is None  # type: ignore[union-attr]


def test_drain_keeps_order_and_stops_when_offline(store: LocalStore) -> None:
    vault = VolatileVault()
    first = queue(store, vault, "account:1", "+15125550143")
    second = queue(store, vault, "account:2", "+15125550144")
    sender = OutboxSender(store, CentralClient(f"http://127.0.0.1:{free_port()}", "t",
                                               timeout=1, post_attempts=1), vault)
    assert sender.drain() == []
    assert [e.id for e in store.pending()] == [first, second]
    assert store.entry(first).attempts == 1 and store.entry(second).attempts == 0  # type: ignore[union-attr]


def test_rejection_is_final_and_recorded(store: LocalStore, live_server: LiveServer) -> None:
    vault = VolatileVault()
    token = enroll_kiosk(live_server.app)
    sender = OutboxSender(store, CentralClient(live_server.url, token, timeout=5), vault)
    assert sender.send(queue(store, vault, "account:1")).state is OutboxState.SENT
    duplicate = queue(store, vault, "account:2")
    result = sender.send(duplicate)
    assert (result.state, result.error_code, result.error_field) == (
        OutboxState.CONFLICT, "phone_registered", "phone")


def test_a_conflict_is_reported_to_the_server_through_the_outbox(
    store: LocalStore, live_server: LiveServer
) -> None:
    """The family who was told "saved" is not left in the dark: the conflict report waits in
    the outbox like any command and reaches the server once (docs/offline.md, "Conflicts")."""
    from sqlalchemy import select

    from central.identity.models import SignUpConflict
    from central.mail.models import OutgoingMail

    vault = VolatileVault()
    token = enroll_kiosk(live_server.app)
    sender = OutboxSender(store, CentralClient(live_server.url, token, timeout=5), vault)
    assert sender.send(queue(store, vault, "account:1")).state is OutboxState.SENT
    duplicate = queue(store, vault, "account:2")
    assert sender.send(duplicate).state is OutboxState.CONFLICT
    [report] = store.pending()
    assert report.operation == "report_sign_up_conflict"
    assert report.idempotency_key == "conflict:account:2"
    assert "pin" not in report.payload and "address" not in report.payload
    [sent] = sender.drain()
    assert sent.state is OutboxState.SENT and store.pending() == []
    assert sender.send(report.id).state is OutboxState.SENT  # closed: not sent again
    services = live_server.app.state.services
    with services.db.transaction() as session:
        [conflict] = session.execute(select(SignUpConflict)).scalars().all()
        letters = session.execute(select(OutgoingMail.kind)).scalars().all()
    assert (conflict.phone, conflict.first_name, conflict.email) == (
        "+15125550143", "Luis", "luis@example.org")
    assert conflict.signed_up_at == store.entry(duplicate).created_at  # type: ignore[union-attr]
    assert letters.count("sign_up_conflict_notice") == 1


def test_lost_secret_rejects_instead_of_sending_without_pin(store: LocalStore) -> None:
    vault = VolatileVault()
    outbox_id = queue(store, vault)
    restarted = VolatileVault()  # a restart empties a volatile vault
    sender = OutboxSender(store, CentralClient("http://127.0.0.1:9", "t", timeout=1), restarted)
    result = sender.send(outbox_id)
    assert (result.state, result.error_code) == (OutboxState.FAILED, "secret_lost")


def test_pin_never_reaches_the_kiosk_disk(
    store: LocalStore, live_server: LiveServer, tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Neither a waiting sign-up's PIN nor the PIN a family confirmed a queued link with
    (docs/offline.md, "A loved one added offline") is ever in the kiosk's SQLite files, its
    WAL or its logs: only the vault holds them."""
    caplog.set_level(logging.DEBUG)
    vault = VolatileVault()
    token = enroll_kiosk(live_server.app)
    outbox_id = queue(store, vault)
    link_id: int | None = None
    # Scan while the sign-up waits, while the link waits, and after both were sent.
    for _ in range(3):
        for file in tmp_path.glob("kiosk.sqlite3*"):
            data = file.read_bytes()
            assert f'"{PIN}"'.encode() not in data and b'"pin"' not in data, file
        OutboxSender(store, CentralClient(live_server.url, token, timeout=5), vault).drain()
        registration = store.registration_for(outbox_id)
        if link_id is None and registration is not None and registration.account_id:
            # The new family, signed in, adds a loved one while the kiosk is offline.
            link_id = store.queue_link(
                {"account_id": registration.account_id, "phone": "+15125550143",
                 "facility_id": "desert-springs-prison",
                 "resident_id": "desert-springs-prison:003",
                 "resident_name": "Williams, Darnell"},
                vault.put_new(LINK_PIN_PREFIX, PIN), "link:1")
    assert store.entry(outbox_id).state == OutboxState.SENT.value  # type: ignore[union-attr]
    assert link_id is not None
    assert store.entry(link_id).state == OutboxState.SENT.value  # type: ignore[union-attr]
    # Personal data leaves the outbox once delivered.
    assert store.entry(outbox_id).payload == "{}"  # type: ignore[union-attr]
    assert store.entry(link_id).payload == "{}"  # type: ignore[union-attr]
    assert PIN not in caplog.text
