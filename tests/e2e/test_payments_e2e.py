"""A signed-in family reads their recent AdvanceConnect transactions (dated in the
facility's time zone, amounts from integer cents) and asks for their balance back."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from pytestqt.qtbot import QtBot

from tests.e2e.e2e_support import ON_EVERY_GATEWAY, Kiosk, signed_in, tap, wait_for_home
from tests.support import LiveServer, free_port
from ui.formats import reference


@pytest.mark.gui
@ON_EVERY_GATEWAY
def test_family_reads_transactions_and_asks_for_a_refund(
    qtbot: QtBot, kiosk: Kiosk, kiosk_api: TestClient
) -> None:
    family, window = signed_in(qtbot, kiosk, kiosk_api, "7135550193")
    family.add_card()
    assert family.deposit(2000).status_code == 201
    window.screens["account_home"].action_buttons["manage"].click()
    assert window.current_screen_name() == "manage_list"
    window.screens["manage_list"].payments_button.click()
    screen = window.screens["transactions"]
    # The list arrives first, then the request's end clears the busy bar and only then is
    # the refund button on: under load the two are apart (CI's run of aa41e64 saw it off).
    qtbot.waitUntil(lambda: screen.transactions is not None
                    and not screen.busy_indicator.isVisible(), timeout=15_000)
    listed = family.get("/advance-connect/transactions").json()
    assert len(listed["transactions"]) == 1
    when, what, amount = (label.text() for label in screen.cells[0])
    assert (what, amount) == ("Money added", "+$20.00")
    # Harbor County is in America/Chicago: 17:00 UTC on January 15 is 11:00 there.
    created = datetime.fromisoformat(listed["transactions"][0]["created_at"])
    local = created.astimezone(ZoneInfo("America/Chicago"))
    assert when.startswith(f"Jan {local.day}, {local.year}, {local.hour % 12 or 12}:00")
    assert screen.balance_label.text() == "AdvanceConnect balance: $20.00"
    assert screen.refund_button.isEnabled()
    screen.refund_button.click()
    assert window.current_screen_name() == "refund_confirm"
    confirm = window.screens["refund_confirm"]
    assert confirm.rows.values["refund"].text() == "$20.00"
    assert "paid back to you" in confirm.body.text()
    confirm.no_button.click()
    assert window.current_screen_name() == "transactions"
    qtbot.waitUntil(screen.refund_button.isEnabled, timeout=15_000)  # list shown afresh
    screen.refund_button.click()
    assert window.current_screen_name() == "refund_confirm"
    confirm.yes_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "refund_receipt", timeout=15_000)
    receipt = window.screens["refund_receipt"]
    after = family.get("/advance-connect/transactions").json()
    assert after["balance_cents"] == 0
    assert receipt.reference.text() == f"Reference: {reference(after['transactions'][0]['id'])}"
    assert receipt.rows.values["amount"].text() == "$20.00"
    assert receipt.rows.values["balance"].text() == "$0.00"
    tap(qtbot, receipt.done_button)
    wait_for_home(window, qtbot)
    home = window.screens["account_home"]
    assert home.balance_label.text() == "AdvanceConnect balance: $0.00"
    # Nothing left to refund: the button is off, and the list shows the refund.
    window.screens["account_home"].action_buttons["manage"].click()
    window.screens["manage_list"].payments_button.click()
    qtbot.waitUntil(lambda: screen.transactions is not None
                    and len(screen.transactions.transactions) == 2, timeout=15_000)
    assert [label.text() for label in screen.cells[0][1:]] == ["Refund asked for", "-$20.00"]
    assert not screen.refund_button.isEnabled()
    tap(qtbot, screen.done_button)
    wait_for_home(window, qtbot)


@pytest.mark.gui
def test_payments_that_could_not_load_can_be_asked_again(
    qtbot: QtBot, kiosk: Kiosk, kiosk_api: TestClient, live_server: LiveServer
) -> None:
    _family, window = signed_in(qtbot, kiosk, kiosk_api, "7135550195")
    window.screens["account_home"].action_buttons["manage"].click()
    listing = window.screens["manage_list"]
    qtbot.waitUntil(listing.busy_indicator.isHidden, timeout=15_000)
    kiosk.client.base_url = f"http://127.0.0.1:{free_port()}"  # the network goes away
    listing.payments_button.click()
    screen = window.screens["transactions"]
    qtbot.waitUntil(screen.retry_button.isVisible, timeout=30_000)
    assert "can't reach the network" in screen.notice_text()
    assert not screen.refund_button.isEnabled()
    kiosk.client.base_url = live_server.url
    screen.retry_button.click()
    qtbot.waitUntil(lambda: screen.transactions is not None, timeout=15_000)
    assert screen.retry_button.isHidden() and not screen.notice_text()
    assert screen.empty_label.text() == "No payments yet."
