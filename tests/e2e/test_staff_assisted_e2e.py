"""Staff running a family's journeys for them, against the live central API through the
real kiosk: the family signs in on the same screen with their own PIN, staff add money
with the staff bar still there, the staff action with the staff id reaches the server
through the outbox and reads back from the supervisors' audit route, signing the family out
returns to the staff home, and the idle wipe ends both. Also: the outbox screen shows why
the server refused an entry."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from central.fleet.models import KioskAuditEvent
from kiosk.domain import Address, Language, Registration
from kiosk.requests import RetryOutbox
from tests.central.family_support import PIN as FAMILY_PIN
from tests.central.family_support import open_family, registration
from tests.e2e.e2e_support import PIN, Kiosk, answer_to, make_window, tap, wait_for_home
from tests.e2e.test_staff_e2e import BADGE, STAFF_PIN, _add_officer, _in_staff_mode
from tests.gui.english_check import english_words
from tests.support import LiveServer
from ui.main_window import MainWindow
from ui.messages import known_message
from ui.screens.staff_outbox import row_text


def _family_signs_in(window: MainWindow, qtbot: QtBot, digits: str) -> None:
    window.screens["staff_home"].family_button.click()
    assert window.current_screen_name() == "sign_in"
    assert window.staff_bar.isVisible()
    screen = window.screens["sign_in"]
    screen.phone.setText(digits)
    screen.pin.setText(FAMILY_PIN)
    screen.next_button.click()
    wait_for_home(window, qtbot)


def _staff_session(api: TestClient, badge: str, pin: str) -> dict[str, str]:
    response = api.post("/v1/staff/sessions", json={"badge_id": badge, "pin": pin})
    assert response.status_code == 201, response.text
    return {"X-Staff-Session": response.json()["token"]}


def test_staff_add_money_for_a_family_and_the_server_learns_who_did(
    qtbot: QtBot, kiosk: Kiosk, live_server: LiveServer, kiosk_api: TestClient
) -> None:
    staff_id = _add_officer(live_server)
    family = open_family(kiosk_api, phone="(713) 555-0191")
    family.add_card()
    window = make_window(qtbot, kiosk)
    _in_staff_mode(window, qtbot)
    _family_signs_in(window, qtbot, "7135550191")
    assert window.staff_bar.isVisible()  # staff mode stays on through the family's journeys
    home = window.screens["account_home"]
    home.action_buttons["deposit"].click()
    amount = window.screens["deposit_amount"]
    qtbot.waitUntil(lambda: amount.quote is not None, timeout=15_000)
    amount.preset_buttons[2000].click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "deposit_confirm", timeout=15_000)
    window.screens["deposit_confirm"].pay_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "deposit_receipt", timeout=15_000)
    assert window.staff_bar.isVisible()
    (journal,) = family.get("/advance-connect/transactions").json()["transactions"]

    recorded = [json.loads(e.detail) for e in kiosk.store.audit_events()
                if e.event == "staff_assisted_deposit"]
    assert recorded == [{"staff_id": staff_id, "account_id": family.account_id,
                         "transaction_id": journal["id"], "amount_cents": 2000,
                         "total_cents": recorded[0]["total_cents"]}]
    signed_in = [json.loads(e.detail) for e in kiosk.store.audit_events()
                 if e.event == "staff_assisted_family_signed_in"]
    assert signed_in == [{"staff_id": staff_id, "account_id": family.account_id}]

    # Signing the family out returns to the staff home, still in staff mode.
    tap(qtbot, window.screens["deposit_receipt"].done_button)
    wait_for_home(window, qtbot)
    home.sign_out_button.click()
    assert window.current_screen_name() == "staff_home"
    assert window.staff_bar.isVisible() and kiosk.workflow.staff.member is not None
    # Nothing of the family is left: staff, and the language on screen the staff home asked
    # the server in (it loads which card reader the kiosk has).
    assert set(window.router.flow.data) == {"staff", "language"}
    assert home.account is None and window.screens["deposit_receipt"].receipt is None
    assert kiosk.workflow.family.signed_in is False

    # The staff action reaches the server through the outbox, with the staff id.
    kiosk.workflow.sync_now(retry_now=True)
    qtbot.waitUntil(lambda: not kiosk.store.pending(), timeout=30_000)
    kiosk.workflow.tasks.wait_until_idle()
    with live_server.app.state.services.db.transaction() as session:
        rows = session.execute(select(KioskAuditEvent).where(
            KioskAuditEvent.event == "staff_assisted_deposit")).scalars().all()
        assert [(r.staff_id, json.loads(r.detail)["transaction_id"]) for r in rows] == [
            (staff_id, journal["id"])]

    # A supervisor reads it back from the audit route; an officer may not.
    supervisor = _staff_session(kiosk_api, "1001", "2468")
    page = kiosk_api.get("/v1/admin/audit-events", params={"staff_id": staff_id},
                         headers=supervisor)
    assert page.status_code == 200, page.text
    events = [e["event"] for e in page.json()["events"]]
    assert "staff_assisted_deposit" in events and "staff_signed_in" in events
    officer = _staff_session(kiosk_api, BADGE, STAFF_PIN)
    refused = kiosk_api.get("/v1/admin/audit-events", headers=officer)
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"


def test_the_idle_wipe_ends_the_family_session_and_staff_mode(
    qtbot: QtBot, kiosk: Kiosk, live_server: LiveServer, kiosk_api: TestClient
) -> None:
    _add_officer(live_server)
    open_family(kiosk_api, phone="(713) 555-0192")
    window = MainWindow(kiosk.workflow, idle_seconds=8.0, countdown_seconds=0.3)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    _in_staff_mode(window, qtbot)
    _family_signs_in(window, qtbot, "7135550192")
    assert kiosk.workflow.family.signed_in
    with qtbot.waitSignal(window.idle.timed_out, timeout=30_000):
        pass
    qtbot.waitUntil(lambda: window.current_screen_name() == "attract", timeout=5_000)
    assert kiosk.workflow.staff.member is None and not kiosk.workflow.family.signed_in
    assert not window.staff_bar.isVisible()


def test_the_outbox_screen_says_why_the_server_refused_an_entry(
    qtbot: QtBot, kiosk: Kiosk, live_server: LiveServer, kiosk_api: TestClient
) -> None:
    _add_officer(live_server)
    open_family(kiosk_api, phone="(713) 555-0193")
    # What the server answers a second sign-up with that phone, in its own words.
    answer = kiosk_api.post("/v1/accounts", json=registration(phone="(713) 555-0193"),
                            headers={"Idempotency-Key": "e2e-dup-0193"}).json()
    sign_up = Registration(
        "Rosa", "Martínez", "+17135550193", "rosa@example.org",
        Address("1200 Main St", "Houston", "TX", "77002"), PIN, Language.ENGLISH,
        "harbor-county-jail", "harbor-county-jail:001")
    clashing = kiosk.store.queue_registration(sign_up.without_pin(),
                                              kiosk.vault.put_new("pin", PIN), "account:0193")
    window = make_window(qtbot, kiosk)
    _in_staff_mode(window, qtbot)
    window.screens["staff_home"].outbox_button.click()
    outbox = window.screens["staff_outbox"]
    qtbot.waitUntil(lambda: outbox.outbox is not None, timeout=15_000)
    with answer_to(qtbot, kiosk, RetryOutbox, timeout=30_000):
        outbox.retry_button.click()
    (row,) = [r for r in outbox.outbox or [] if r.id == clashing]
    assert row.state == "conflict" and row.problem_code == answer["code"]
    shown = outbox.rows.buttons[(outbox.outbox or []).index(row)].text()
    assert shown == row_text(row)
    # The kiosk's own sentence for the server's code, in the language on screen (issue 19:
    # the server's English title was shown on Spanish screens).
    said = known_message(answer["code"])
    assert said is not None and f"Server said: {said}" in shown
    window.set_language(Language.SPANISH)
    try:
        assert english_words(row_text(row)) == [], row_text(row)
    finally:
        window.set_language(Language.ENGLISH)
    # The same words on the discard screen, where staff decide what to do about it.
    outbox.rows.buttons[(outbox.outbox or []).index(row)].click()
    discard = window.screens["staff_outbox_discard"]
    assert f"Server said: {said}" in discard.about.text()

