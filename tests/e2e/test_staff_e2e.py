"""Staff mode against the live central API through the real kiosk (workflow, SQLite,
keyring): the hidden gesture, sign-in and lockout, the offline cached check, conflicts,
the outbox, assisted sign-up with its audit record, the guard and the idle wipe."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from central.fleet.models import KioskAuditEvent
from central.identity.auth import add_staff_member
from central.identity.models import StaffRole
from kiosk.domain import Address, Language, Registration
from kiosk.requests import DiscardOutboxEntry, RetryOutbox, StaffSignIn
from kiosk.store import LINK_PIN_PREFIX, OutboxState
from tests.central.family_support import PIN as FAMILY_PIN
from tests.central.family_support import open_family
from tests.e2e.e2e_support import (
    PIN,
    Kiosk,
    answer_to,
    fill_sign_up_details,
    make_window,
    sign_in,
    wait_for_home,
)
from tests.support import LiveServer
from ui.main_window import MainWindow
from ui.screens.staff_outbox import row_text

BADGE, STAFF_PIN = "4411", "7302"


def _add_officer(live_server: LiveServer) -> str:
    services = live_server.app.state.services
    return add_staff_member(services.db, services.clock, BADGE, "Dana Whitfield",
                            StaffRole.CLERK, STAFF_PIN, facility_id="harbor-county-jail")


def _five_taps(window: MainWindow, qtbot: QtBot) -> None:
    for _ in range(5):
        qtbot.mouseClick(window.header, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))


def _staff_sign_in(window: MainWindow, qtbot: QtBot, pin: str = STAFF_PIN) -> None:
    _five_taps(window, qtbot)
    assert window.current_screen_name() == "staff_sign_in"
    screen = window.screens["staff_sign_in"]
    screen.badge.setText(BADGE)
    screen.pin.setText(pin)
    screen.next_button.click()


def _in_staff_mode(window: MainWindow, qtbot: QtBot) -> None:
    _staff_sign_in(window, qtbot)
    qtbot.waitUntil(lambda: window.current_screen_name() == "staff_home", timeout=15_000)


def _audit(kiosk: Kiosk, event: str) -> list[dict[str, object]]:
    return [json.loads(e.detail) for e in kiosk.store.audit_events() if e.event == event]


def test_staff_sign_in_shows_the_staff_bar_and_ends_on_request(
    qtbot: QtBot, kiosk: Kiosk, live_server: LiveServer
) -> None:
    staff_id = _add_officer(live_server)
    window = make_window(qtbot, kiosk)
    _in_staff_mode(window, qtbot)
    assert window.staff_bar.isVisible()
    assert window.staff_bar.who.text() == "Dana Whitfield · Officer"
    assert _audit(kiosk, "staff_signed_in") == [{"offline": False, "staff_id": staff_id}]
    window.staff_bar.end_button.click()
    assert window.current_screen_name() == "attract"
    assert not window.staff_bar.isVisible()
    assert kiosk.workflow.staff.member is None


def test_wrong_staff_pins_count_down_then_lock(
    qtbot: QtBot, kiosk: Kiosk, live_server: LiveServer
) -> None:
    _add_officer(live_server)
    window = make_window(qtbot, kiosk)
    screen = window.screens["staff_sign_in"]
    with qtbot.waitSignal(kiosk.workflow.refused, timeout=15_000):
        _staff_sign_in(window, qtbot, pin="1111")
    assert screen.detail.text() == "4 more wrong tries and this badge locks for 15 minutes."
    assert screen.error_text("staff_pin") == "The badge number or PIN is not right."
    assert screen.pin.text() == ""
    for expected in ("3 more", "2 more", "One more"):
        screen.pin.setText("1111")
        with qtbot.waitSignal(kiosk.workflow.refused, timeout=15_000):
            screen.next_button.click()
        assert screen.detail.text().startswith(expected)
    screen.pin.setText(STAFF_PIN)  # even the right PIN, once locked
    screen.pin.setText("1111")
    with qtbot.waitSignal(kiosk.workflow.refused, timeout=15_000) as refused:
        screen.next_button.click()
    assert refused.args[1].code == "account_locked"
    assert screen.detail.text().startswith("Staff sign-in for this badge is locked until ")
    screen.pin.setText(STAFF_PIN)
    with qtbot.waitSignal(kiosk.workflow.refused, timeout=15_000) as refused:
        screen.next_button.click()
    assert refused.args[1].code == "account_locked"
    assert window.current_screen_name() == "staff_sign_in"


def test_a_recent_staff_sign_in_works_again_offline(
    qtbot: QtBot, kiosk: Kiosk, live_server: LiveServer
) -> None:
    _add_officer(live_server)
    window = make_window(qtbot, kiosk)
    _in_staff_mode(window, qtbot)
    window.staff_bar.end_button.click()
    live_server.stop()
    screen = window.screens["staff_sign_in"]
    # The sign-in's own refusal: staff home's card-reader look, still out when End was
    # tapped, is refused "staff_required" once it comes back (CI saw that one first).
    with qtbot.waitSignal(kiosk.workflow.refused, timeout=30_000,
                          check_params_cb=lambda request, _why: isinstance(
                              request, StaffSignIn)) as refused:
        _staff_sign_in(window, qtbot, pin="1111")
    assert refused.args[1].code == "pin_incorrect"
    assert screen.detail.text().startswith("4 more")
    screen.pin.setText(STAFF_PIN)
    screen.next_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "staff_home", timeout=30_000)
    assert window.staff_bar.who.text().endswith("(signed in offline)")
    # The conflicts need the server: it says so instead of an empty list.
    window.screens["staff_home"].conflicts_button.click()
    conflicts = window.screens["staff_conflicts"]
    qtbot.waitUntil(lambda: conflicts.notice.isVisible(), timeout=30_000)


def _queue_sign_up(kiosk: Kiosk, phone: str, secret: str | None) -> int:
    registration = Registration(
        "Rosa", "Martínez", phone, "rosa@example.org",
        Address("1200 Main St", "Houston", "TX", "77002"), PIN, Language.ENGLISH,
        "harbor-county-jail", "harbor-county-jail:001")
    ref = kiosk.vault.put_new("pin", PIN) if secret else "pin-gone"
    return kiosk.store.queue_registration(registration.without_pin(), ref,
                                          f"account:test-{phone}")


def test_retry_now_then_resolve_the_conflict_and_discard_a_failed_entry(
    qtbot: QtBot, kiosk: Kiosk, live_server: LiveServer, kiosk_api: TestClient
) -> None:
    staff_id = _add_officer(live_server)
    open_family(kiosk_api, phone="(713) 555-0177")
    window = make_window(qtbot, kiosk)
    _in_staff_mode(window, qtbot)
    # Queued once staff are signed in: the kiosk drains its outbox as soon as it sees the
    # server (staff sign-in is the first answer), and these must still wait for "Retry now".
    clashing = _queue_sign_up(kiosk, "+17135550177", PIN)  # the phone has an account
    lost = _queue_sign_up(kiosk, "+17135550178", None)  # its PIN is gone from the vault
    window.screens["staff_home"].outbox_button.click()
    outbox = window.screens["staff_outbox"]
    qtbot.waitUntil(lambda: outbox.outbox is not None, timeout=15_000)
    sign_ups = [r for r in outbox.outbox or [] if r.operation == "create_account"]
    assert [r.state for r in sign_ups] == ["pending", "pending"]

    with answer_to(qtbot, kiosk, RetryOutbox, timeout=30_000):
        outbox.retry_button.click()
    states = {r.id: r.state for r in outbox.outbox or []}
    assert states[clashing] == "conflict" and states[lost] == "failed"
    assert any(r.operation == "report_sign_up_conflict" and r.state == "sent"
               for r in outbox.outbox or [])

    index = [r.id for r in outbox.outbox or []].index(lost)
    outbox.rows.buttons[index].click()
    discard = window.screens["staff_outbox_discard"]
    assert window.current_screen_name() == "staff_outbox_discard"
    discard.reason.setText("Signed up again at the desk")
    with answer_to(qtbot, kiosk, DiscardOutboxEntry, timeout=15_000):
        discard.next_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "staff_outbox", timeout=15_000)
    entry = kiosk.store.entry(lost)
    assert entry is not None and entry.state == OutboxState.DISCARDED.value
    assert _audit(kiosk, "outbox_discarded") == [
        {"outbox_id": lost, "reason": "Signed up again at the desk", "staff_id": staff_id}]

    window.header.back_button.click()
    assert window.current_screen_name() == "staff_home"
    window.screens["staff_home"].conflicts_button.click()
    conflicts = window.screens["staff_conflicts"]
    qtbot.waitUntil(lambda: bool(conflicts.conflicts), timeout=15_000)
    assert [c.phone for c in conflicts.conflicts or []] == ["+17135550177"]
    conflicts.rows.buttons[0].click()
    resolve = window.screens["staff_conflict_resolve"]
    assert "Rosa" in resolve.about.text()
    resolve.reason.setText("Family signed in with their PIN")
    resolve.next_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "staff_conflicts", timeout=15_000)
    qtbot.waitUntil(lambda: conflicts.conflicts == [], timeout=15_000)
    assert _audit(kiosk, "staff_resolved_conflict")[0]["staff_id"] == staff_id


def test_staff_sign_a_family_up_after_checking_their_photo_id(
    qtbot: QtBot, kiosk: Kiosk, live_server: LiveServer, kiosk_api: TestClient
) -> None:
    staff_id = _add_officer(live_server)
    window = make_window(qtbot, kiosk)
    _in_staff_mode(window, qtbot)
    window.screens["staff_home"].help_button.click()
    photo = window.screens["staff_photo_id"]
    assert not photo.continue_button.isEnabled()
    photo.checked_button.click()
    photo.continue_button.click()
    facility = window.screens["facility"]
    qtbot.waitUntil(lambda: len(facility.facility_buttons) > 0, timeout=15_000)
    assert window.staff_bar.isVisible()  # staff mode stays on through the sign-up
    facility.choose("harbor-county-jail")
    resident = window.screens["resident"]
    resident.query.setText("lópez")
    resident.search_button.click()
    qtbot.waitUntil(lambda: len(resident.result_buttons) > 0, timeout=10_000)
    resident.result_buttons[0].click()
    fill_sign_up_details(window, "7135550190")
    window.screens["review"].create_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "done", timeout=15_000)
    assert kiosk.workflow.family.signed_in is False  # staff are at the screen, not the family
    # Online, the family's "Your account is ready" has nothing waiting to be sent: the staff
    # records queued with the sign-up go with it (issue 19, item 10).
    for _ in range(3):  # the answer, then what its handling started, then theirs
        kiosk.workflow.tasks.wait_until_idle()
        qtbot.wait(100)
    assert not window.banners.waiting_banner.isVisible(), window.banners.waiting_banner.text()
    window.screens["done"].action_button.click()
    assert window.current_screen_name() == "staff_home"

    assert _audit(kiosk, "staff_photo_id_checked") == [{"detail": "", "staff_id": staff_id}]
    [assisted] = _audit(kiosk, "staff_assisted_sign_up")
    assert assisted["staff_id"] == staff_id and assisted["photo_id_checked"] is True
    sent = kiosk.store.entry(int(str(assisted["outbox_id"])))
    assert sent is not None and sent.state == OutboxState.SENT.value
    assert kiosk_api.post("/v1/sessions", json={"phone": "+17135550190", "pin": PIN}
                          ).status_code == 201

    # The audit trail reaches the server through the outbox, with the staff member's id.
    kiosk.workflow.sync_now(retry_now=True)
    qtbot.waitUntil(lambda: not kiosk.store.pending(), timeout=30_000)
    kiosk.workflow.tasks.wait_until_idle()
    with live_server.app.state.services.db.transaction() as session:
        recorded = session.execute(select(KioskAuditEvent.event, KioskAuditEvent.staff_id)
                                   ).all()
    assert ("staff_assisted_sign_up", staff_id) in recorded
    assert ("staff_photo_id_checked", staff_id) in recorded


def test_a_family_never_reaches_staff_screens(
    qtbot: QtBot, kiosk: Kiosk, live_server: LiveServer, kiosk_api: TestClient
) -> None:
    _add_officer(live_server)
    open_family(kiosk_api, phone="(713) 555-0181")
    window = make_window(qtbot, kiosk)
    sign_in(window, qtbot, "7135550181", FAMILY_PIN)
    wait_for_home(window, qtbot)
    _five_taps(window, qtbot)  # the gesture does nothing over a family's session
    assert window.current_screen_name() == "account_home"
    window.show_screen("staff_outbox")  # nor does any way into a staff step
    assert window.current_screen_name() == "attract"
    assert not window.staff_bar.isVisible()


def test_staff_mode_ends_on_idle(
    qtbot: QtBot, kiosk: Kiosk, live_server: LiveServer
) -> None:
    _add_officer(live_server)
    window = MainWindow(kiosk.workflow, idle_seconds=6.0, countdown_seconds=0.3)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    _in_staff_mode(window, qtbot)
    assert kiosk.workflow.staff.member is not None
    with qtbot.waitSignal(window.idle.timed_out, timeout=20_000):
        pass
    qtbot.waitUntil(lambda: window.current_screen_name() == "attract", timeout=5_000)
    assert kiosk.workflow.staff.member is None
    assert not window.staff_bar.isVisible()


def test_a_queued_link_with_a_wrong_pin_shows_as_a_conflict_staff_may_discard(
    qtbot: QtBot, kiosk: Kiosk, live_server: LiveServer, kiosk_api: TestClient
) -> None:
    """docs/offline.md, "A loved one added offline": staff see the queued link and its
    report like any other row, and close the refused link with a reason."""
    _add_officer(live_server)
    family = open_family(kiosk_api, phone="(713) 555-0179")
    window = make_window(qtbot, kiosk)
    _in_staff_mode(window, qtbot)
    # Queued once staff are signed in: the kiosk drains its outbox as soon as it sees the
    # server, and the row must still be waiting when staff open the list.
    link = kiosk.store.queue_link(
        {"account_id": family.account_id, "phone": "+17135550179",
         "facility_id": "desert-springs-prison", "resident_id": "desert-springs-prison:003",
         "resident_name": "Williams, Darnell"},
        kiosk.vault.put_new(LINK_PIN_PREFIX, "0000"), "link:staff-test")
    window.screens["staff_home"].outbox_button.click()
    outbox = window.screens["staff_outbox"]
    qtbot.waitUntil(lambda: outbox.outbox is not None, timeout=15_000)
    [row] = [r for r in outbox.outbox or [] if r.id == link]
    assert (row.operation, row.state) == ("link_resident", "pending")
    assert [b.text() for b in outbox.rows.buttons if b.text().startswith(f"#{link} ")] == [
        row_text(row)]
    assert "Loved one to add" in row_text(row)

    with answer_to(qtbot, kiosk, RetryOutbox, timeout=30_000):
        outbox.retry_button.click()
    rows = {r.id: r for r in outbox.outbox or []}
    assert rows[link].state == "conflict"
    reports = [r for r in rows.values() if r.operation == "report_link_conflict"]
    assert [r.state for r in reports] == ["sent"] and "Loved one report" in row_text(reports[0])
    index = list(rows).index(link)
    outbox.rows.buttons[index].click()
    discard = window.screens["staff_outbox_discard"]
    discard.reason.setText("Family added them at the desk")
    with answer_to(qtbot, kiosk, DiscardOutboxEntry, timeout=15_000):
        discard.next_button.click()
    entry = kiosk.store.entry(link)
    assert entry is not None and entry.state == OutboxState.DISCARDED.value
    assert len(family.get().json()["linked_residents"]) == 1
