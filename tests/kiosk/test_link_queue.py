"""A loved one added offline (docs/offline.md, "A loved one added offline"): the link and
its outbox row are written together, the PIN stays in the vault, a refused link queues its
report, and the start-up sweep knows the vault entries of queued links."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.clock import SystemClock
from kiosk.store import (
    LINK_PIN_PREFIX,
    LINK_RESIDENT,
    REPORT_LINK_CONFLICT,
    LocalStore,
    OutboxState,
)
from kiosk.sync import sweep_orphaned_secrets
from services.vault import VolatileVault

PIN = "4826"
ACCOUNT = "acct-1"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LocalStore]:
    local = LocalStore(tmp_path / "kiosk.sqlite3", SystemClock())
    yield local
    local.close()


def link(account_id: str = ACCOUNT, name: str = "Williams, Darnell") -> dict[str, str]:
    return {"account_id": account_id, "phone": "+17135550194",
            "facility_id": "desert-springs-prison", "resident_id": "desert-springs-prison:003",
            "resident_name": name}


def queue(store: LocalStore, vault: VolatileVault, key: str = "link:1", **changes: str) -> int:
    return store.queue_link(link(**changes), vault.put_new(LINK_PIN_PREFIX, PIN), key)


def test_a_queued_link_is_one_outbox_row_with_its_audit_and_no_pin(store: LocalStore) -> None:
    vault = VolatileVault()
    outbox_id = queue(store, vault)
    [entry] = store.pending()
    assert (entry.id, entry.operation, entry.idempotency_key) == (outbox_id, LINK_RESIDENT,
                                                                  "link:1")
    assert entry.secret_ref is not None and entry.secret_ref.startswith("link-pin:")
    assert vault.get(entry.secret_ref) == PIN
    assert PIN not in entry.payload and json.loads(entry.payload) == link()
    assert [e.event for e in store.audit_events()] == ["link_queued"]


def test_the_same_key_cannot_queue_twice_and_leaves_nothing_half_written(
    store: LocalStore,
) -> None:
    vault = VolatileVault()
    queue(store, vault)
    with pytest.raises(Exception, match="UNIQUE"):
        queue(store, vault)
    assert len(store.pending()) == 1
    assert [e.event for e in store.audit_events()] == ["link_queued"]


def test_waiting_links_are_the_accounts_own_in_order(store: LocalStore) -> None:
    vault = VolatileVault()
    first = queue(store, vault, "link:1")
    queue(store, vault, "link:2", name="Nguyen, Linh")
    queue(store, vault, "link:3", account_id="acct-2", name="Someone, Else")
    assert store.waiting_links(ACCOUNT) == ["Williams, Darnell", "Nguyen, Linh"]
    store.finish(first, OutboxState.SENT, account_id=ACCOUNT)
    assert store.waiting_links(ACCOUNT) == ["Nguyen, Linh"]


def test_a_refused_link_queues_its_report_with_no_pin_in_the_same_transaction(
    store: LocalStore,
) -> None:
    vault = VolatileVault()
    outbox_id = queue(store, vault)
    store.finish(outbox_id, OutboxState.CONFLICT, error_code="pin_incorrect", error_field="pin")
    closed = store.entry(outbox_id)
    assert closed is not None and closed.payload == "{}" and closed.secret_ref is None
    assert json.loads(closed.response or "") == {
        "code": "pin_incorrect", "field": "pin", "title": "", "detail": ""}
    [report] = store.pending()
    assert report.operation == REPORT_LINK_CONFLICT
    assert report.idempotency_key == "conflict:link:1"
    body = json.loads(report.payload)
    assert body == {"account_id": ACCOUNT, "phone": "+17135550194",
                    "facility_id": "desert-springs-prison",
                    "resident_name": "Williams, Darnell", "reason": "pin_incorrect",
                    "requested_at": closed.created_at.isoformat()}
    assert report.secret_ref is None and PIN not in report.payload


def test_a_delivered_or_failed_link_queues_no_report(store: LocalStore) -> None:
    vault = VolatileVault()
    store.finish(queue(store, vault, "link:1"), OutboxState.SENT, account_id=ACCOUNT)
    store.finish(queue(store, vault, "link:2"), OutboxState.FAILED, error_code="secret_lost")
    assert store.pending() == []


def test_the_start_up_sweep_deletes_orphaned_link_pins_and_keeps_queued_ones(
    store: LocalStore,
) -> None:
    vault = VolatileVault()
    queue(store, vault)
    [needed] = vault.names(LINK_PIN_PREFIX)
    orphan = vault.put_new(LINK_PIN_PREFIX, PIN)  # a crash before the row was written
    assert sweep_orphaned_secrets(store, vault) == 1
    assert vault.names(LINK_PIN_PREFIX) == [needed] and vault.get(orphan) is None
