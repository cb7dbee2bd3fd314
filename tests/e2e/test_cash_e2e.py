"""A family adds money with cash at the kiosk's window (docs/cash.md): the real workflow,
SQLite and note journal, the real BillAcceptor on the NV200 simulator's pty, and the live
central API on loopback. The notes taken and "no refund at a kiosk" before the first note,
each note held then stacked with a running total, a rejected note's message, a jam's own
screen and staff alert, "Done" and a receipt naming the method; the balance rises once.
The idle wipe mid-visit stops the acceptor and still credits what was stacked; staff's
"Cash box removed" shows and sends the count."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from central.identity.auth import add_staff_member
from central.identity.kiosks import issue_enrollment_code
from central.identity.models import StaffRole
from central.money.cash import CashBoxCount, CashDeposit
from kiosk.cash import CASH_RECEIPT
from kiosk.devices.essp.device import NV200, Behaviour
from kiosk.devices.essp.simulator import Simulator
from kiosk.store import OutboxEntry, OutboxState
from services.receipts import ReceiptPrinter
from services.vault import Vault
from tests.central.family_support import PIN as FAMILY_PIN
from tests.central.family_support import Family, open_family
from tests.e2e.e2e_support import Kiosk, make_window, sign_in, tap, wait_for_home
from tests.services.test_receipts import StatusDummy
from tests.support import LiveServer
from ui.main_window import MainWindow
from ui.screens.cash_insert import returned_text

FAST = {"timeout": 0.1, "retries": 2, "poll_interval": 0.02, "reconnect_interval": 0.1}
BADGE, STAFF_PIN = "4412", "7303"


@pytest.fixture
def sim() -> Iterator[Simulator]:
    # The unit's own escrow time-out is long: a slow test run never has a note given back.
    with Simulator(NV200(escrow_timeout=30.0)) as simulator:
        yield simulator


@pytest.fixture
def paper() -> StatusDummy:
    """The kiosk's receipt printer: python-escpos's Dummy, read back byte for byte."""
    return StatusDummy()


@pytest.fixture
def cash_kiosk(live_server: LiveServer, tmp_path: Path, vault: Vault, sim: Simulator,
               paper: StatusDummy) -> Iterator[Kiosk]:
    services = live_server.app.state.services
    code = issue_enrollment_code(services.db, services.clock, "harbor-county-jail")
    built = Kiosk(live_server.url, code, tmp_path, vault,
                  bill_acceptor={"simulator": sim, **FAST},
                  printer=ReceiptPrinter(lambda: paper))
    yield built
    built.close()


def _balance(api: TestClient, family: Family) -> int:
    answer = family.get("/advance-connect/transactions").json()
    return int(answer["balance_cents"])


def _receipts(kiosk: Kiosk) -> list[str]:
    """The states of the outbox's e-mailed-receipt rows."""
    with kiosk.store.transaction() as session:
        return list(session.execute(select(OutboxEntry.state).where(
            OutboxEntry.operation == CASH_RECEIPT).order_by(OutboxEntry.id)).scalars())


def _deposits(live_server: LiveServer, account_id: str) -> int:
    with live_server.app.state.services.db.read() as session:
        return int(session.execute(select(func.count()).select_from(CashDeposit).where(
            CashDeposit.account_id == account_id)).scalar_one())


def _to_insert(window: MainWindow, qtbot: QtBot, kiosk: Kiosk, phone: str) -> None:
    sign_in(window, qtbot, phone, FAMILY_PIN)
    wait_for_home(window, qtbot)
    home = window.screens["account_home"]
    qtbot.waitUntil(lambda: kiosk.workflow.cash_available, timeout=10_000)
    qtbot.waitUntil(lambda: home.action_buttons["cash"].isVisible(), timeout=5_000)
    home.action_buttons["cash"].click()
    assert window.current_screen_name() == "cash_intro"
    intro = window.screens["cash_intro"]
    qtbot.waitUntil(lambda: intro.terms is not None, timeout=10_000)
    # Before the first note: which notes, the limits, and no refund at a kiosk.
    assert intro.notes_label.text() == (
        "This kiosk takes these notes: $1.00, $5.00, $10.00, $20.00, $50.00, $100.00.")
    assert "up to $300.00 in one visit" in intro.limits_label.text()
    assert "Cash cannot be refunded at a kiosk" in intro.no_refund_label.text()
    intro.start_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "cash_insert", timeout=10_000)


def _insert(qtbot: QtBot, window: MainWindow, sim: Simulator, cents: int,
            total: str) -> None:
    sim.insert(cents)
    screen = window.screens["cash_insert"]
    qtbot.waitUntil(lambda: screen.total_label.text() == f"Total added: {total}",
                    timeout=10_000)


@pytest.mark.gui
@pytest.mark.parametrize("notes", [(2000,), (1000, 1000)], ids=["one-note", "two-notes"])
def test_a_family_adds_20_dollars_in_cash_and_the_balance_rises_once(
    qtbot: QtBot, cash_kiosk: Kiosk, kiosk_api: TestClient, sim: Simulator,
    live_server: LiveServer, notes: tuple[int, ...],
) -> None:
    family = open_family(kiosk_api, phone="(713) 555-0171")
    window = make_window(qtbot, cash_kiosk)
    _to_insert(window, qtbot, cash_kiosk, "7135550171")
    screen = window.screens["cash_insert"]
    assert screen.total_label.text() == "Total added: $0.00"
    # A note the unit cannot read comes back with a message, and adds nothing.
    sim.insert(2000, Behaviour.UNRECOGNISED)
    qtbot.waitUntil(lambda: screen.returned_label.isVisible(), timeout=10_000)
    assert screen.returned_label.text().startswith("This note could not be read.")
    running = 0
    for cents in notes:
        running += cents
        _insert(qtbot, window, sim, cents, f"${running / 100:.2f}")
    assert screen.stacked_label.text() == "Notes added: " + ", ".join(
        f"${c / 100:.2f}" for c in notes)
    assert sim.stacked == list(notes)
    screen.done_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "cash_receipt", timeout=15_000)
    receipt = window.screens["cash_receipt"]
    count = len(notes)
    method = "Cash, 1 note" if count == 1 else f"Cash, {count} notes"
    assert receipt.rows.values["method"].text() == method
    assert receipt.rows.values["amount"].text() == "$20.00"
    assert "$20.00 was added to your AdvanceConnect balance." in receipt.body.text()
    assert "Cash cannot be refunded at a kiosk." in receipt.body.text()
    assert _balance(kiosk_api, family) == 2000
    # The outbox sent again (the timer, the network coming back) credits nothing more.
    cash_kiosk.workflow.sync_now(retry_now=True)
    cash_kiosk.workflow.tasks.wait_until_idle()
    assert _balance(kiosk_api, family) == 2000
    assert _deposits(live_server, family.account_id) == count
    # The e-mailed receipt was asked for once, behind the notes, and went.
    assert _receipts(cash_kiosk) == [OutboxState.SENT.value]
    tap(qtbot, receipt.done_button)
    wait_for_home(window, qtbot)
    assert window.screens["account_home"].balance_label.text() == (
        "AdvanceConnect balance: $20.00")


@pytest.mark.gui
def test_a_jam_has_its_own_screen_and_a_staff_alert_and_done_keeps_what_was_stacked(
    qtbot: QtBot, cash_kiosk: Kiosk, kiosk_api: TestClient, sim: Simulator,
) -> None:
    family = open_family(kiosk_api, phone="(713) 555-0172")
    window = make_window(qtbot, cash_kiosk)
    _to_insert(window, qtbot, cash_kiosk, "7135550172")
    _insert(qtbot, window, sim, 500, "$5.00")
    sim.insert(2000, Behaviour.UNSAFE_JAM)  # stuck while being read, within reach
    qtbot.waitUntil(lambda: window.current_screen_name() == "cash_problem", timeout=10_000)
    problem = window.screens["cash_problem"]
    assert problem.title.text() == "A note is stuck"
    assert problem.added_label.text() == "Added so far: $5.00"
    assert problem.staff_label.isVisible()
    assert not problem.more_button.isVisible()
    # The staff alert: the kiosk's audit trail, and the staff home's status line.
    assert cash_kiosk.workflow.cash_alert == "jammed"
    assert "cash_acceptor_alert" in [e.event for e in cash_kiosk.store.audit_events()]
    problem.done_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "cash_receipt", timeout=15_000)
    receipt = window.screens["cash_receipt"]
    assert receipt.rows.values["method"].text() == "Cash, 1 note"
    assert _balance(kiosk_api, family) == 500


@pytest.mark.gui
def test_a_note_jammed_after_it_was_taken_is_added_once_the_jam_is_cleared(
    qtbot: QtBot, cash_kiosk: Kiosk, kiosk_api: TestClient, sim: Simulator,
) -> None:
    """The demo's jam: inside the unit, after the note was accepted; its simulated staff
    clear it into the cashbox, and the note is the family's."""
    family = open_family(kiosk_api, phone="(713) 555-0176")
    window = make_window(qtbot, cash_kiosk)
    _to_insert(window, qtbot, cash_kiosk, "7135550176")
    _insert(qtbot, window, sim, 500, "$5.00")
    sim.insert(2000, Behaviour.SAFE_JAM)
    qtbot.waitUntil(lambda: window.current_screen_name() == "cash_problem", timeout=10_000)
    problem = window.screens["cash_problem"]
    qtbot.waitUntil(lambda: problem.added_label.text() == "Added so far: $25.00",
                    timeout=15_000)
    qtbot.waitUntil(lambda: problem.title.text() == "The note acceptor works again",
                    timeout=15_000)
    assert sim.stacked == [500, 2000]
    problem.done_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "cash_receipt", timeout=15_000)
    assert window.screens["cash_receipt"].rows.values["method"].text() == "Cash, 2 notes"
    assert _balance(kiosk_api, family) == 2500


@pytest.mark.gui
def test_a_note_pulled_back_is_not_added_and_the_family_may_go_on(
    qtbot: QtBot, cash_kiosk: Kiosk, kiosk_api: TestClient, sim: Simulator,
) -> None:
    open_family(kiosk_api, phone="(713) 555-0175")
    window = make_window(qtbot, cash_kiosk)
    _to_insert(window, qtbot, cash_kiosk, "7135550175")
    # The unit holds a note until the kiosk has recorded it, which takes a moment; a slow
    # disk (another writer holding SQLite's lock) makes that moment long enough to pull
    # the note back out of the escrow before the kiosk says "stack".
    writer = sqlite3.connect(cash_kiosk.store.path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        sim.insert(1000)
        qtbot.waitUntil(lambda: sim.in_escrow, timeout=10_000)
        assert sim.pull_back()
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    qtbot.waitUntil(lambda: window.current_screen_name() == "cash_problem", timeout=15_000)
    problem = window.screens["cash_problem"]
    assert problem.title.text() == "Your note was pulled back"
    assert cash_kiosk.workflow.cash_alert == "taken_back"
    problem.more_button.click()
    assert window.current_screen_name() == "cash_insert"
    _insert(qtbot, window, sim, 1000, "$10.00")
    assert sim.stacked == [1000] and sim.returned == [1000]


@pytest.mark.gui
def test_the_idle_wipe_mid_visit_stops_the_acceptor_and_credits_what_was_stacked(
    qtbot: QtBot, cash_kiosk: Kiosk, kiosk_api: TestClient, sim: Simulator,
    live_server: LiveServer,
) -> None:
    family = open_family(kiosk_api, phone="(713) 555-0173")
    window = make_window(qtbot, cash_kiosk)
    _to_insert(window, qtbot, cash_kiosk, "7135550173")
    _insert(qtbot, window, sim, 2000, "$20.00")
    window.idle.timed_out.emit()  # the family walked away
    assert window.current_screen_name() == "attract"
    qtbot.waitUntil(lambda: _balance(kiosk_api, family) == 2000, timeout=15_000)
    cash_kiosk.workflow.tasks.wait_until_idle()
    # The acceptor takes no more notes: one inserted now stays out of the cashbox.
    sim.insert(500)
    qtbot.wait(500)
    assert sim.stacked == [2000]
    assert _deposits(live_server, family.account_id) == 1
    assert _receipts(cash_kiosk) == [OutboxState.SENT.value]


@pytest.mark.gui
def test_staff_take_the_cash_box_out_and_see_and_send_its_count(
    qtbot: QtBot, cash_kiosk: Kiosk, kiosk_api: TestClient, sim: Simulator,
    live_server: LiveServer, paper: StatusDummy,
) -> None:
    open_family(kiosk_api, phone="(713) 555-0174")
    window = make_window(qtbot, cash_kiosk)
    _to_insert(window, qtbot, cash_kiosk, "7135550174")
    _insert(qtbot, window, sim, 2000, "$20.00")
    _insert(qtbot, window, sim, 500, "$25.00")
    _insert(qtbot, window, sim, 2000, "$45.00")
    window.screens["cash_insert"].done_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "cash_receipt", timeout=15_000)
    window.wipe()
    services = live_server.app.state.services
    add_staff_member(services.db, services.clock, BADGE, "Dana Whitfield", StaffRole.CLERK,
                     STAFF_PIN, facility_id="harbor-county-jail")
    window.open_staff_mode()
    staff = window.screens["staff_sign_in"]
    staff.badge.setText(BADGE)
    staff.pin.setText(STAFF_PIN)
    staff.next_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "staff_home", timeout=15_000)
    window.screens["staff_home"].cash_button.click()
    box = window.screens["staff_cash_box"]
    qtbot.waitUntil(lambda: box.box is not None, timeout=10_000)
    assert box.count_label.text() == "1 x $5.00\n2 x $20.00\nTotal: $45.00 in 3 notes"
    # Cuts so far (the family's receipt was printed): the slip prints on entering the count.
    before = paper.output.count(b"\x1dV\x00")
    box.removed_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "staff_cash_count",
                    timeout=15_000)
    count = window.screens["staff_cash_count"]
    assert count.title.text() == "Cash box 1 taken out"
    assert count.count_label.text().startswith("1 x $5.00\n2 x $20.00")
    # The count slip goes in the bag with the cash box (docs/cash.md, "The cash box"): the
    # notes by denomination, the total, and lines for the two staff who count it.
    qtbot.waitUntil(lambda: paper.output.count(b"\x1dV\x00") == before + 1, timeout=15_000)
    slip = paper.output.split(b"\x1dV\x00")[-2]
    assert b"Cash box 1 count" in slip
    assert b"$5.00 notes" in slip and b"$20.00 notes" in slip
    assert b"$45.00 in 3 notes" in slip and b"Counted by" in slip
    with services.db.read() as session:
        [kept] = session.execute(select(CashBoxCount)).scalars().all()
    assert (kept.cassette, kept.total_cents, json.loads(kept.notes)) == (
        1, 4500, {"500": 1, "2000": 2})
    # The unit's own report of the same removal counts nothing twice.
    sim.remove_cashbox()
    qtbot.wait(300)
    cash_kiosk.workflow.tasks.wait_until_idle()
    with services.db.read() as session:
        assert len(session.execute(select(CashBoxCount)).scalars().all()) == 1
    count.back_button.click()
    assert window.current_screen_name() == "staff_home"


@pytest.mark.gui
def test_the_acceptor_going_offline_then_back_and_a_full_cashbox_each_have_their_screen(
    qtbot: QtBot, cash_kiosk: Kiosk, kiosk_api: TestClient, sim: Simulator,
) -> None:
    family = open_family(kiosk_api, phone="(713) 555-0177")
    window = make_window(qtbot, cash_kiosk)
    _to_insert(window, qtbot, cash_kiosk, "7135550177")
    _insert(qtbot, window, sim, 1000, "$10.00")
    problem = window.screens["cash_problem"]
    sim.go_silent()  # unplugged
    qtbot.waitUntil(lambda: window.current_screen_name() == "cash_problem", timeout=10_000)
    assert problem.title.text() == "The note acceptor stopped working"
    assert problem.added_label.text() == "Added so far: $10.00"
    assert not cash_kiosk.workflow.cash_available
    assert cash_kiosk.workflow.cash_alert == "offline"
    sim.speak()  # plugged back in: the family may go on
    qtbot.waitUntil(lambda: problem.title.text() == "The note acceptor works again",
                    timeout=10_000)
    assert cash_kiosk.workflow.cash_available and cash_kiosk.workflow.cash_alert == ""
    problem.more_button.click()
    assert window.current_screen_name() == "cash_insert"
    sim.fill_stacker()
    qtbot.waitUntil(lambda: window.current_screen_name() == "cash_problem", timeout=10_000)
    assert problem.title.text() == "The cash box is full"
    assert cash_kiosk.workflow.cash_alert == "full"
    problem.done_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "cash_receipt", timeout=15_000)
    assert _balance(kiosk_api, family) == 1000


@pytest.mark.gui
def test_staff_credit_a_note_in_doubt_once_after_counting_or_mark_it_not_found(
    qtbot: QtBot, cash_kiosk: Kiosk, kiosk_api: TestClient, live_server: LiveServer,
) -> None:
    """docs/cash.md, "Notes in doubt, for staff": two notes a kiosk that died could not
    confirm stacked; staff count the cash box, credit the $20 (once, under the note's own
    key, with a reason in the audit trail) and mark the $5 not found."""
    from central.fleet.models import KioskAuditEvent

    family = open_family(kiosk_api, phone="(713) 555-0179")
    assert cash_kiosk.cash is not None and cash_kiosk.cash.journal is not None
    journal = cash_kiosk.cash.journal
    twenty = journal.escrowed("dead-run", 1, 2000, family.account_id, "visit-dead")
    five = journal.escrowed("dead-run", 2, 500, family.account_id, "visit-dead")
    assert cash_kiosk.cash.driver is not None
    assert journal.flag_in_doubt(cash_kiosk.cash.driver.run) == [twenty, five]
    window = make_window(qtbot, cash_kiosk)
    services = live_server.app.state.services
    add_staff_member(services.db, services.clock, BADGE, "Dana Whitfield", StaffRole.CLERK,
                     STAFF_PIN, facility_id="harbor-county-jail")
    window.open_staff_mode()
    staff = window.screens["staff_sign_in"]
    staff.badge.setText(BADGE)
    staff.pin.setText(STAFF_PIN)
    staff.next_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "staff_home", timeout=15_000)
    window.screens["staff_home"].doubt_button.click()
    assert window.current_screen_name() == "staff_cash_doubt"
    doubt = window.screens["staff_cash_doubt"]
    qtbot.waitUntil(lambda: doubt.notes is not None and len(doubt.notes) == 2,
                    timeout=10_000)
    first = doubt.rows.buttons[0].text()
    assert first.startswith("$20.00 note, ") and "cash box 1" in first
    assert f"Account {family.account_id}, visit visit-dead" in first
    doubt.rows.buttons[0].click()
    assert window.current_screen_name() == "staff_cash_doubt_settle"
    settle = window.screens["staff_cash_doubt_settle"]
    assert settle.about.text() == first
    settle.next_button.click()  # no reason: nothing is credited
    assert window.current_screen_name() == "staff_cash_doubt_settle"
    settle.reason.setText("Counted the box: $20 over")
    settle.next_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "staff_cash_doubt",
                    timeout=15_000)
    qtbot.waitUntil(lambda: doubt.notes is not None and len(doubt.notes) == 1,
                    timeout=10_000)
    qtbot.waitUntil(lambda: _balance(kiosk_api, family) == 2000, timeout=15_000)
    # The $5: not in the box.
    doubt.rows.buttons[0].click()
    qtbot.waitUntil(settle.not_found_button.isEnabled, timeout=10_000)  # the list loaded
    settle.reason.setText("Not in the box")
    settle.not_found_button.click()
    qtbot.waitUntil(lambda: doubt.notes == [], timeout=15_000)
    assert doubt.summary.text() == "No notes are in doubt."
    cash_kiosk.workflow.sync_now()
    qtbot.waitUntil(lambda: cash_kiosk.store.pending() == [], timeout=15_000)
    # Credited once, under the note's own key (the server's exactly-once credit: the same
    # key again replays it, tests/central/test_cash.py); the $5 never.
    with services.db.read() as session:
        [deposit] = session.execute(select(CashDeposit).where(
            CashDeposit.account_id == family.account_id)).scalars().all()
        assert (deposit.kiosk_key, deposit.amount_cents, deposit.cassette) == (twenty, 2000, 1)
        events = {e.event: json.loads(e.detail) for e in session.execute(
            select(KioskAuditEvent)).scalars()}
    assert _balance(kiosk_api, family) == 2000
    credited, missing = events["cash_note_credited"], events["cash_note_not_found"]
    assert (credited["note"], credited["cents"], credited["reason"]) == (
        twenty, 2000, "Counted the box: $20 over")
    assert (missing["note"], missing["reason"]) == (five, "Not in the box")
    assert credited["staff_id"] == missing["staff_id"] != ""
    # Settled is settled: neither can be credited again from the journal.
    assert not journal.settle_in_doubt(twenty, credit=True, staff_id="x", reason="again")
    assert not journal.settle_in_doubt(five, credit=True, staff_id="x", reason="again")


@pytest.mark.gui
def test_the_intro_shows_the_facilitys_own_cash_maximum_and_the_acceptor_keeps_to_it(
    qtbot: QtBot, cash_kiosk: Kiosk, kiosk_api: TestClient, sim: Simulator,
) -> None:
    """docs/cash.md, "The limits": Harbor's supervisor sets $30; the family reads it before
    the first note, no note above it is offered, and a second $20 is given back unstacked."""
    signed_in = kiosk_api.post("/v1/staff/sessions", json={"badge_id": "1001", "pin": "2468"})
    detail = kiosk_api.get("/v1/facilities/harbor-county-jail").json()
    body = {key: detail[key] for key in (
        "funding_fee_cents", "video_session_price_cents", "offers_subscriptions",
        "offers_single_call", "rates", "plans")} | {"cash_maximum_cents": 3000}
    assert kiosk_api.put("/v1/admin/facilities/harbor-county-jail/pricing", json=body,
                         headers={"X-Staff-Session": signed_in.json()["token"]}
                         ).status_code == 200
    family = open_family(kiosk_api, phone="(713) 555-0180")
    window = make_window(qtbot, cash_kiosk)
    sign_in(window, qtbot, "7135550180", FAMILY_PIN)
    wait_for_home(window, qtbot)
    home = window.screens["account_home"]
    qtbot.waitUntil(lambda: home.action_buttons["cash"].isVisible(), timeout=10_000)
    home.action_buttons["cash"].click()
    intro = window.screens["cash_intro"]
    qtbot.waitUntil(lambda: intro.terms is not None, timeout=10_000)
    assert "You can add up to $30.00 in one visit." in intro.limits_label.text()
    assert intro.notes_label.text() == (
        "This kiosk takes these notes: $1.00, $5.00, $10.00, $20.00.")
    intro.start_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "cash_insert", timeout=10_000)
    _insert(qtbot, window, sim, 2000, "$20.00")
    sim.insert(2000)  # $40 would pass $30: given back before it is stacked
    insert = window.screens["cash_insert"]
    qtbot.waitUntil(lambda: insert.returned_label.isVisible(), timeout=10_000)
    assert insert.returned_label.text() == returned_text("over_limit")
    assert sim.stacked == [2000]
    qtbot.waitUntil(lambda: _balance(kiosk_api, family) == 2000, timeout=15_000)
