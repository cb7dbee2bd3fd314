"""The note journal and its headless driver (docs/cash.md), with the real BillAcceptor on the
NV200 simulator's pty, the real SQLite store and, for delivery, a real central API on
loopback: a note is on disk before the unit is told to stack it, a stacked note is one
outbox deposit credited once, a returned note is never sent, a note in doubt after a
restart is settled by what the unit says or flagged for staff, and a cassette removal
queues its count."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from central.money.cash import cash_report
from kiosk.cash import (
    CASH_BOX_COUNT,
    CASH_DEPOSIT,
    CASH_RECEIPT,
    CashDriver,
    NoteJournal,
    NoteState,
)
from kiosk.clock import SystemClock
from kiosk.devices.bill_acceptor import AcceptorEvent, BillAcceptor, Note, NoteStacked, Ready
from kiosk.devices.essp.device import NV200, Behaviour
from kiosk.devices.essp.simulator import Simulator
from kiosk.store import LocalStore, OutboxState
from kiosk.sync import OutboxSender
from services.central_client import CentralClient
from services.vault import VolatileVault
from tests.central.family_support import Family, open_family
from tests.support import LiveServer

USD = (100, 500, 1000, 2000, 5000, 10000)
FAST = {"timeout": 0.05, "retries": 2, "poll_interval": 0.02, "reconnect_interval": 0.05}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LocalStore]:
    local = LocalStore(tmp_path / "kiosk.sqlite3", SystemClock())
    yield local
    local.close()


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(NV200(escrow_timeout=30.0)) as simulator:
        yield simulator


def wait(done: Callable[[], bool], what: str, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, f"never: {what}"
        time.sleep(0.01)


class RecordingAcceptor(BillAcceptor):
    """The real acceptor, noting what the journal held when the kiosk said "stack it"."""

    def __init__(self, port: str, driver: CashDriver, journal: NoteJournal) -> None:
        super().__init__(port, driver, **FAST)
        self.journal = journal
        self.on_disk_at_accept: list[list[str]] = []

    def accept(self, escrow_id: int) -> None:
        self.on_disk_at_accept.append([n.state for n in self.journal.notes()])
        super().accept(escrow_id)


def opened(store: LocalStore, sim: Simulator, **options: float
           ) -> tuple[NoteJournal, CashDriver, RecordingAcceptor]:
    journal = NoteJournal(store)
    ready: list[AcceptorEvent] = []
    driver = CashDriver(journal, doubt_grace=options.get("grace", 0.5),
                        on_event=lambda event: ready.append(event)
                        if isinstance(event, Ready) else None)
    acceptor = RecordingAcceptor(sim.port, driver, journal)
    driver.attach(acceptor)
    acceptor.open()
    wait(lambda: bool(ready), "the acceptor ready")
    return journal, driver, acceptor


def states(journal: NoteJournal) -> list[tuple[int, str]]:
    return [(n.cents, n.state) for n in journal.notes()]


def test_a_note_is_on_disk_before_it_is_stacked_and_becomes_one_outbox_deposit(
    store: LocalStore, sim: Simulator,
) -> None:
    journal, driver, acceptor = opened(store, sim)
    try:
        visit = driver.start("acct-1", USD, maximum=30_000)
        sim.insert(2000)
        sim.insert(500)
        wait(lambda: len(sim.stacked) == 2, "two notes stacked")
        wait(lambda: len(store.pending()) == 2, "two deposits queued")
        assert acceptor.on_disk_at_accept == [[NoteState.ESCROWED],
                                              [NoteState.STACKED, NoteState.ESCROWED]]
        assert states(journal) == [(2000, NoteState.STACKED), (500, NoteState.STACKED)]
        deposits = store.pending()
        assert [e.operation for e in deposits] == [CASH_DEPOSIT, CASH_DEPOSIT]
        assert [e.idempotency_key for e in deposits] == [n.key for n in journal.notes()]
        first = json.loads(deposits[0].payload)
        assert (first["account_id"], first["visit"], first["notes"], first["cassette"]) == (
            "acct-1", visit.key, [2000], 1)
        done = driver.finish()
        assert done is not None
        assert (done.stacked, done.method) == ((2000, 500), "cash, 2 notes")
    finally:
        acceptor.close()


def test_notes_given_back_are_never_sent(store: LocalStore, sim: Simulator) -> None:
    journal, driver, acceptor = opened(store, sim)
    try:
        driver.start("acct-1", USD, maximum=1000)
        sim.insert(2000)  # over the visit's maximum: back before the kiosk sees it
        sim.insert(500, Behaviour.SUSPECT)
        sim.insert(500)
        wait(lambda: len(sim.stacked) == 1 and len(sim.returned) == 2, "one in, two out")
        wait(lambda: len(store.pending()) == 1, "one deposit queued")
        assert states(journal) == [(500, NoteState.STACKED)]
    finally:
        acceptor.close()
    # A recorded note that comes back out (pulled back, timed out) ends returned, unsent.
    key = journal.escrowed("run-2", 7, 1000, "acct-1", "visit-2")
    journal.returned("run-2", 7, "taken_back")
    assert {n.key: n.state for n in journal.notes()}[key] == NoteState.RETURNED
    assert len(store.pending()) == 1


def test_a_note_in_doubt_after_a_crash_is_credited_only_if_the_unit_says_it_stacked(
    store: LocalStore, sim: Simulator,
) -> None:
    # An earlier run recorded two notes in escrow and died: the unit was stacking the
    # $20 (it comes as a note never seen in escrow); of the $5 it says nothing.
    journal = NoteJournal(store)
    lost = journal.escrowed("dead-run", 1, 500, "acct-1", "visit-0")
    stacking = journal.escrowed("dead-run", 2, 2000, "acct-1", "visit-0")
    journal2, driver, acceptor = opened(store, sim, grace=2.0)
    try:
        driver.start("acct-1", USD, maximum=30_000)
        # What the acceptor reports for the note the unit finished stacking at power-up.
        driver(NoteStacked(None, Note(2000, "USD", 4)))
        wait(lambda: all(n.state != NoteState.ESCROWED for n in journal2.notes()),
             "the doubt settled", 5)
        by_key = {n.key: n.state for n in journal2.notes()}
        assert by_key[stacking] == NoteState.STACKED
        assert by_key[lost] == NoteState.IN_DOUBT
        assert [e.idempotency_key for e in store.pending()] == [stacking]
        assert any(e.event == "cash_note_in_doubt" for e in store.audit_events())
    finally:
        acceptor.close()
        driver.close()



def test_staff_settle_a_note_in_doubt_once_crediting_it_under_its_own_key(
    store: LocalStore,
) -> None:
    """docs/cash.md, "Notes in doubt, for staff": crediting queues the note's deposit under
    its own key in the cassette it went into, with a staff audit event and its reason, in
    one transaction; not found credits nothing; neither can be done twice."""
    journal = NoteJournal(store)
    found = journal.escrowed("dead-run", 1, 2000, "acct-1", "visit-0")
    lost = journal.escrowed("dead-run", 2, 500, "acct-1", "visit-0")
    journal.flag_in_doubt("this-run")
    assert journal.count(1).in_doubt == 2
    assert [n.key for n in journal.notes_in_doubt()] == [found, lost]
    assert journal.settle_in_doubt(found, credit=True, staff_id="staff-7",
                                   reason="counted $20 over")
    assert not journal.settle_in_doubt(found, credit=True, staff_id="staff-7", reason="again")
    assert journal.settle_in_doubt(lost, credit=False, staff_id="staff-7", reason="not there")
    assert not journal.settle_in_doubt(lost, credit=True, staff_id="staff-7", reason="again")
    assert journal.notes_in_doubt() == []
    deposits = [e for e in store.pending() if e.operation == CASH_DEPOSIT]
    assert [(e.idempotency_key, json.loads(e.payload)["notes"],
             json.loads(e.payload)["cassette"]) for e in deposits] == [(found, [2000], 1)]
    assert states(journal) == [(2000, NoteState.STACKED), (500, NoteState.NOT_FOUND)]
    assert (journal.count(1).notes, journal.count(1).in_doubt) == ({2000: 1}, 0)
    staff_events = {e.event: json.loads(e.detail) for e in store.audit_events()
                    if e.event.startswith("cash_note_") and e.event != "cash_note_in_doubt"}
    assert staff_events["cash_note_credited"]["reason"] == "counted $20 over"
    assert staff_events["cash_note_not_found"]["staff_id"] == "staff-7"


def test_a_cassette_removal_queues_its_count_and_opens_the_next(
    store: LocalStore, sim: Simulator,
) -> None:
    _journal, driver, acceptor = opened(store, sim)
    try:
        driver.start("acct-1", USD, maximum=30_000)
        for cents in (2000, 2000, 100):
            sim.insert(cents)
        wait(lambda: len(sim.stacked) == 3, "three stacked")
        wait(lambda: len(store.pending()) == 3, "three queued")
        sim.remove_cashbox()
        wait(lambda: len(store.pending()) == 4, "the count queued")
        count = store.pending()[-1]
        assert count.operation == CASH_BOX_COUNT
        assert json.loads(count.payload)["notes"] == [{"cents": 100, "count": 1},
                                                      {"cents": 2000, "count": 2}]
        assert json.loads(count.payload)["cassette"] == 1
        sim.replace_cashbox()
        sim.insert(500)
        wait(lambda: len(sim.stacked) == 4, "the next note stacked")
        wait(lambda: len(store.pending()) == 5, "queued")
        assert json.loads(store.pending()[-1].payload)["cassette"] == 2
    finally:
        acceptor.close()


def test_stacked_notes_reach_the_server_once_with_their_keys(
    store: LocalStore, sim: Simulator, kiosk_api: TestClient, kiosk_token: str,
    live_server: LiveServer,
) -> None:
    family: Family = open_family(kiosk_api)
    journal, driver, acceptor = opened(store, sim)
    try:
        driver.start(family.account_id, USD, maximum=30_000)
        sim.insert(2000)
        sim.insert(1000)
        wait(lambda: len(store.pending()) == 2, "queued")
        driver.finish()  # "Done": the visit's receipt is queued after its notes
        assert [e.operation for e in store.pending()] == [CASH_DEPOSIT, CASH_DEPOSIT,
                                                         CASH_RECEIPT]
        sim.remove_cashbox()
        wait(lambda: len(store.pending()) == 4, "the count queued")
    finally:
        acceptor.close()
    payloads = {e.idempotency_key: e.payload for e in store.pending()}
    sender = OutboxSender(store, CentralClient(live_server.url, kiosk_token, timeout=5),
                          VolatileVault())
    first = sender.drain()
    assert [r.state for r in first] == [OutboxState.SENT] * 4
    # A copy of the first deposit sent again (its answer lost) credits nothing more.
    key = journal.notes()[0].key
    again = CentralClient(live_server.url, kiosk_token, timeout=5).post_cash_deposit(
        json.loads(payloads[key]), key)
    assert again.amount_cents == 2000  # the first answer, replayed
    balance = kiosk_api.get(
        f"/v1/accounts/{family.account_id}/advance-connect/transactions",
        headers=family.headers).json()["balance_cents"]
    assert balance == 3000


def test_a_stacked_note_the_server_refuses_is_failed_for_staff_and_flagged_by_the_report(
    store: LocalStore, sim: Simulator, kiosk_api: TestClient, kiosk_token: str,
    live_server: LiveServer, app: FastAPI,
) -> None:
    family: Family = open_family(kiosk_api)
    journal, driver, acceptor = opened(store, sim)
    try:
        # A kiosk enabled above the server's maximum (a misconfigured screen): the fourth
        # $100 note is stacked, and the server refuses to credit it.
        driver.start(family.account_id, USD, maximum=50_000)
        for _ in range(4):
            sim.insert(10_000)
        wait(lambda: len(store.pending()) == 4, "four deposits queued")
        sim.remove_cashbox()
        wait(lambda: len(store.pending()) == 5, "the count queued")
    finally:
        acceptor.close()
    sender = OutboxSender(store, CentralClient(live_server.url, kiosk_token, timeout=5),
                          VolatileVault())
    results = sender.drain()
    assert [r.state for r in results] == [OutboxState.SENT] * 3 + [
        OutboxState.FAILED, OutboxState.SENT]
    assert results[3].error_code == "amount_above_maximum"
    assert [n.state for n in journal.notes()] == [NoteState.STACKED] * 4  # never forgotten
    with app.state.services.db.read() as session:
        report = cash_report(session, "harbor-county-jail",
                             datetime.now(ZoneInfo("America/Chicago")).date())
    [cassette] = report.cassettes
    assert (cassette.stacked_cents, cassette.credited_cents) == (40_000, 30_000)
    assert (cassette.difference_cents, cassette.flagged, report.balanced) == (10_000, True,
                                                                             False)


def test_the_facilitys_cash_maximum_from_the_server_bounds_the_visit_and_is_kept_offline(
    store: LocalStore, sim: Simulator, kiosk_api: TestClient, kiosk_token: str,
    live_server: LiveServer,
) -> None:
    """A supervisor sets Harbor's cash maximum to $30: the kiosk's cash terms say $30 and
    list no note above it; the $50 note is never taken and the second $20 (which would
    make $40) is given back before it is stacked; offline, the last maximum holds."""
    from kiosk.capabilities.cash import CashDesk
    from kiosk.requests import LoadCashTerms, StartCash

    signed_in = kiosk_api.post("/v1/staff/sessions", json={"badge_id": "1001", "pin": "2468"})
    detail = kiosk_api.get("/v1/facilities/harbor-county-jail").json()
    body = {key: detail[key] for key in (
        "funding_fee_cents", "video_session_price_cents", "offers_subscriptions",
        "offers_single_call", "rates", "plans")} | {"cash_maximum_cents": 3000}
    changed = kiosk_api.put("/v1/admin/facilities/harbor-county-jail/pricing", json=body,
                            headers={"X-Staff-Session": signed_in.json()["token"]})
    assert changed.status_code == 200, changed.text
    family: Family = open_family(kiosk_api)
    desk = CashDesk.open(f"essp:{sim.port}", store, **FAST)
    client = CentralClient(live_server.url, kiosk_token, timeout=5)
    desk.maximum = client.cash_maximum
    desk.account_id = lambda: family.account_id
    desk.start()
    try:
        wait(lambda: desk.available, "the acceptor ready")
        terms = desk.terms(LoadCashTerms())
        assert (terms.value.maximum_cents, terms.value.notes, terms.online) == (
            3000, (100, 500, 1000, 2000), True)
        desk.begin(StartCash(terms.value.maximum_cents))
        for cents in (5000, 2000, 2000, 1000):
            sim.insert(cents)
        wait(lambda: len(sim.stacked) == 2, "the $20 and the $10 stacked")
        assert desk.journal is not None
        wait(lambda: len(desk.journal.notes()) == 2, "both journaled")
        assert sorted(n.cents for n in desk.journal.notes()) == [1000, 2000]
        assert sorted(sim.stacked) == [1000, 2000]
        # The server out of reach: the last maximum it said holds, and the kiosk says so.
        live_server.stop()
        offline = desk.terms(LoadCashTerms())
        assert (offline.value.maximum_cents, offline.online) == (3000, False)
    finally:
        desk.close()


def test_the_acceptors_alert_reaches_the_fleet_in_the_kiosks_heartbeat(
    store: LocalStore, sim: Simulator, kiosk_api: TestClient, kiosk_token: str,
    live_server: LiveServer,
) -> None:
    """The real heartbeat to a real API: the unit jams (a note stuck within reach), and a
    supervisor's fleet list says "jammed" until staff clear it; a unit that stops
    answering is "offline"."""
    from kiosk.capabilities.access import KioskAccess
    from kiosk.capabilities.cash import CashDesk
    from kiosk.capabilities.fleet import Heartbeat
    from kiosk.requests import LoadCashTerms, StartCash

    signed_in = kiosk_api.post("/v1/staff/sessions", json={"badge_id": "1001", "pin": "2468"})
    supervisor = {"X-Staff-Session": signed_in.json()["token"]}
    family: Family = open_family(kiosk_api)
    client = CentralClient(live_server.url, kiosk_token, timeout=5)
    vault = VolatileVault()
    desk = CashDesk.open(f"essp:{sim.port}", store, **FAST)
    desk.maximum = client.cash_maximum
    desk.account_id = lambda: family.account_id
    heartbeat = Heartbeat(client, KioskAccess(client, store, vault, "", "lobby-1"),
                          OutboxSender(store, client, vault), version="0.1.0",
                          keyring_secure=True, printer_state=lambda: "none",
                          last_sync=lambda: None, acceptor_state=lambda: desk.state)

    def in_fleet() -> str:
        heartbeat.beat()
        [entry] = [e for e in kiosk_api.get("/v1/fleet/kiosks", headers=supervisor).json()
                   if e["reported_at"]]
        return str(entry["acceptor"])

    desk.start()
    try:
        wait(lambda: desk.available, "the acceptor ready")
        assert in_fleet() == "ready"
        desk.begin(StartCash(desk.terms(LoadCashTerms()).value.maximum_cents))
        sim.insert(2000, Behaviour.UNSAFE_JAM)
        wait(lambda: desk.alert == "jammed", "the jam heard")
        assert in_fleet() == "jammed"
        sim.clear_jam(into_cashbox=False)
        wait(lambda: desk.alert == "", "the jam cleared")
        assert in_fleet() == "ready"
        sim.go_silent()
        wait(lambda: desk.alert == "offline", "the unit silent", timeout=10)
        assert in_fleet() == "offline"
    finally:
        desk.close()
