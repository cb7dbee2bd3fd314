"""Kiosk operations end to end (docs/deployment.md, "Fleet"): the kiosk's heartbeat fills the
server's fleet list, an operator's out-of-service switch covers the kiosk at its next
heartbeat and signs out whoever is at it; a payment's receipt is printed on the receipt
printer (python-escpos's Dummy printer, checked byte for byte), and a printer out of paper
turns into a banner, never a failed payment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pytestqt.qtbot import QtBot

from central.identity.kiosks import issue_enrollment_code
from kiosk.domain import Language
from kiosk.requests import PrintReceipt
from services.receipts import ReceiptPrinter
from services.vault import Vault
from tests.central.family_support import PIN, open_family
from tests.e2e.e2e_support import Kiosk, make_window, sign_in, wait_for_home
from tests.services.test_receipts import StatusDummy
from tests.support import LiveServer
from ui.formats import reference
from ui.main_window import MainWindow
from ui.widgets.banners import MORE


def _printing_kiosk(live_server: LiveServer, tmp_path: Path, vault: Vault,
                    printer: StatusDummy) -> Kiosk:
    services = live_server.app.state.services
    code = issue_enrollment_code(services.db, services.clock, "harbor-county-jail")
    return Kiosk(live_server.url, code, tmp_path, vault, printer=ReceiptPrinter(lambda: printer))


@pytest.fixture
def paper() -> StatusDummy:
    return StatusDummy()


@pytest.fixture
def printing_kiosk(live_server: LiveServer, tmp_path: Path, vault: Vault, paper: StatusDummy
                   ) -> Iterator[Kiosk]:
    kiosk = _printing_kiosk(live_server, tmp_path, vault, paper)
    yield kiosk
    kiosk.close()


def _deposit_with_the_card_on_file(window: MainWindow, qtbot: QtBot, phone: str) -> None:
    window.set_language(Language.ENGLISH)  # the application's language outlives a window
    sign_in(window, qtbot, phone, PIN)
    wait_for_home(window, qtbot)
    window.screens["account_home"].action_buttons["deposit"].click()
    amount = window.screens["deposit_amount"]
    qtbot.waitUntil(lambda: amount.quote is not None, timeout=15_000)
    amount.preset_buttons[2000].click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "deposit_confirm", timeout=15_000)
    window.screens["deposit_confirm"].pay_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "deposit_receipt", timeout=15_000)


@pytest.mark.gui
def test_a_payment_receipt_is_printed_once(
    qtbot: QtBot, printing_kiosk: Kiosk, kiosk_api: TestClient, paper: StatusDummy
) -> None:
    family = open_family(kiosk_api, phone="(713) 555-0170")
    family.add_card()
    window = make_window(qtbot, printing_kiosk)
    _deposit_with_the_card_on_file(window, qtbot, "7135550170")
    qtbot.waitUntil(lambda: b"\x1dV\x00" in paper.output, timeout=15_000)  # cut
    (journal,) = family.get("/advance-connect/transactions").json()["transactions"]
    printed = paper.output
    assert b"Money added" in printed
    assert f"Reference: {reference(journal['id'])}".encode() in printed
    assert b"Total charged" in printed and b"$20.00" in printed
    assert b"4242424242424242" not in printed and PIN.encode() not in printed
    # Shown again in Spanish, it is not printed twice.
    before = len(paper.output)
    window.header.spanish_button.click()
    qtbot.wait(200)
    printing_kiosk.workflow.tasks.wait_until_idle()
    assert len(paper.output) == before
    assert window.banners.printer_banner.isHidden()
    window.set_language(Language.ENGLISH)


@pytest.mark.gui
def test_printing_never_holds_the_screen(
    qtbot: QtBot, printing_kiosk: Kiosk, kiosk_api: TestClient, paper: StatusDummy
) -> None:
    """A printer takes seconds; "Back to my account" is not held meanwhile (a cash kiosk
    with a printer ignored the family's touch while the receipt printed)."""
    busy: list[bool] = []
    printing_kiosk.workflow.busy_changed.connect(busy.append)
    printing_kiosk.workflow.request(PrintReceipt(
        heading="Money added", reference="Reference: 1234", lines=(("Amount", "$20.00"),),
        total=("Total charged", "$21.95")))
    qtbot.waitUntil(lambda: b"\x1dV\x00" in paper.output, timeout=15_000)
    printing_kiosk.workflow.tasks.wait_until_idle()
    qtbot.wait(50)  # the answer's queued signals
    assert busy == []


@pytest.mark.gui
@pytest.mark.parametrize("paper", [StatusDummy(paper=0x7E)], ids=["out-of-paper"])
def test_a_printer_out_of_paper_is_a_banner_and_the_payment_stands(
    qtbot: QtBot, printing_kiosk: Kiosk, kiosk_api: TestClient, paper: StatusDummy
) -> None:
    family = open_family(kiosk_api, phone="(713) 555-0171")
    family.add_card()
    window = make_window(qtbot, printing_kiosk)
    _deposit_with_the_card_on_file(window, qtbot, "7135550171")
    banner = window.banners.printer_banner
    qtbot.waitUntil(banner.isVisible, timeout=15_000)
    # Its whole sentence, which the banner says in full or behind a tap in its short words
    # when three banners share the strip (docs/accessibility.md), and always to Read aloud.
    sentence = "The receipt printer is out of paper. Your receipt was e-mailed."
    assert banner.accessibleName() == sentence
    assert banner.text() in (sentence, f"{banner.short}  {MORE}")
    assert b"Money added" not in paper.output
    assert window.current_screen_name() == "deposit_receipt"
    assert family.get("").json()["balance_cents"] == 2000


@pytest.mark.gui
def test_the_heartbeat_reaches_the_fleet_and_out_of_service_covers_the_kiosk(
    qtbot: QtBot, kiosk: Kiosk, kiosk_api: TestClient
) -> None:
    staff = kiosk_api.post("/v1/staff/sessions", json={"badge_id": "1001", "pin": "2468"})
    supervisor = {"X-Staff-Session": staff.json()["token"]}
    open_family(kiosk_api, phone="(713) 555-0172")
    window = make_window(qtbot, kiosk)
    with qtbot.waitSignal(kiosk.workflow.connection_changed, timeout=15_000):
        kiosk.workflow.heartbeat()
    kiosk.workflow.tasks.wait_until_idle()
    fleet = kiosk_api.get("/v1/fleet/kiosks", headers=supervisor).json()
    [entry] = [e for e in fleet if e["name"] == "e2e"]
    assert entry["outbox_depth"] == 0 and entry["printer"] == "none"
    assert entry["keyring"] == ("secure" if kiosk.vault.secure else "unavailable")
    assert entry["version"] and entry["in_service"]

    # A family is signed in when the operator takes the kiosk out of service.
    sign_in(window, qtbot, "7135550172", PIN)
    wait_for_home(window, qtbot)
    url = f"/v1/fleet/kiosks/{entry['id']}/service"
    kiosk_api.post(url, json={"in_service": False, "reason": "Card reader repair"},
                   headers=supervisor).raise_for_status()
    with qtbot.waitSignal(kiosk.workflow.service_changed, timeout=15_000) as told:
        kiosk.workflow.heartbeat()
    assert told.args == [False, "Card reader repair"]
    overlay = window.out_of_service
    assert overlay.isVisible() and overlay.reason_label.text() == "Card reader repair"
    assert overlay.title.text() == "This kiosk is out of service"
    assert not kiosk.workflow.family.signed_in
    assert window.current_screen_name() == "attract"

    kiosk_api.post(url, json={"in_service": True, "reason": "Fixed"},
                   headers=supervisor).raise_for_status()
    with qtbot.waitSignal(kiosk.workflow.service_changed, timeout=15_000) as told:
        kiosk.workflow.heartbeat()
    assert told.args == [True, ""]
    assert overlay.isHidden()
