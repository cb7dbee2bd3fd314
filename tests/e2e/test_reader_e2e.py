"""A family pays on the kiosk's card reader (docs/devices.md "The card reader"), against the
live central API with the sandbox's simulated reader registered to the kiosk: $20 added to
AdvanceConnect, a plan bought, a decline and then a card that pays, Cancel, and the idle
wipe canceling the reader's action. The kiosk's port follows the payment on its own thread
and relays the reader's states to the screens. No card-number field is shown on these
paths, and nothing the kiosk wrote holds a card number."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from central.kernel.clock import ManualClock
from central.kernel.facilities import Plan
from tests.card_scan import no_card_number_left
from tests.central.family_support import open_family
from tests.e2e.e2e_support import Kiosk, make_window, tap, wait_for_home
from tests.e2e.reader_support import (
    CALLS,
    CARD_READ,
    WAIT,
    card_paid,
    family_at_home,
    no_card_number_field,
    payment_states,
    plan_on_reader,
    plan_terms,
    register_reader,
    waiting_for_card,
)
from tests.e2e.test_staff_assisted_e2e import _family_signs_in
from tests.e2e.test_staff_e2e import _add_officer, _in_staff_mode
from tests.support import LiveServer
from ui.main_window import MainWindow


def _to_deposit_confirm(window: MainWindow, qtbot: QtBot, cents: int | None = 2000,
                        other: str = "") -> None:
    window.screens["account_home"].action_buttons["deposit"].click()
    amount = window.screens["deposit_amount"]
    qtbot.waitUntil(lambda: amount.quote is not None, timeout=WAIT)
    if cents is not None:
        amount.preset_buttons[cents].click()
    else:
        amount.other.setText(other)
        amount.next_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "deposit_confirm", timeout=WAIT)


@pytest.mark.gui
def test_a_family_adds_20_dollars_on_the_card_reader(
    qtbot: QtBot, kiosk: Kiosk, kiosk_api: TestClient, live_server: LiveServer,
    clock: ManualClock, tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    # Nothing the kiosk's side sent, logged or wrote holds a card number (docs/devices.md).
    with no_card_number_left(tmp_path, caplog, keyring=True):
        family, window, shown = family_at_home(qtbot, kiosk, kiosk_api, live_server,
                                               "7135550170")
        _to_deposit_confirm(window, qtbot)
        confirm = window.screens["deposit_confirm"]
        total = confirm.row_values["total"].text()
        assert confirm.row_values["card"].text() == "The card reader"
        assert confirm.pay_button.text() == f"Pay {total} on the card reader"
        confirm.pay_button.click()
        assert window.current_screen_name() == "reader_deposit"
        reader = window.screens["reader_deposit"]
        assert reader.pay_button.text() == f"Pay {total} on the card reader"
        assert not window.header.back_button.isVisible()  # Cancel stops the reader first
        qtbot.mouseClick(reader.keep_card_words, Qt.MouseButton.LeftButton)  # the words
        assert reader.keep_card.isChecked()
        reader.pay_button.click()
        waiting_for_card(window, qtbot, "reader_deposit")
        assert reader.amount.text() == total
        clock.advance(timedelta(seconds=2.5))
        qtbot.waitUntil(lambda: reader.payment is not None
                        and reader.payment.state == "reading", timeout=WAIT)
        assert reader.status.text() == "Reading your card. Please leave it in the reader."
        clock.advance(timedelta(seconds=1))
        qtbot.waitUntil(lambda: window.current_screen_name() == "deposit_receipt",
                        timeout=WAIT)
        receipt = window.screens["deposit_receipt"]
        assert "Visa ending in 4242" in receipt.body.text()
        assert "Your balance is now $20.00." in receipt.body.text()
        assert family.get().json()["balance_cents"] == 2000
        # Kept with the family's consent: the card on file for renewals.
        [card] = family.get("/payment-methods").json()
        assert card["last4"] == "4242"
        tap(qtbot, receipt.done_button)
        wait_for_home(window, qtbot)
        no_card_number_field(window, shown)
        window.screens["account_home"].sign_out_button.click()
        kiosk.close()


@pytest.mark.gui
def test_a_family_buys_a_plan_on_the_card_reader(
    qtbot: QtBot, kiosk: Kiosk, kiosk_api: TestClient, live_server: LiveServer,
    clock: ManualClock,
) -> None:
    family, window, shown = family_at_home(qtbot, kiosk, kiosk_api, live_server,
                                           "7135550171")
    terms = plan_terms(window, qtbot, manual=False)
    assert terms.pay_button.text() == "Pay $39.99 on the card reader"
    assert not terms.pay_button.isEnabled()  # the terms first
    terms.accept.setChecked(True)
    terms.pay_button.click()
    assert window.current_screen_name() == "reader_plan"
    reader = window.screens["reader_plan"]
    # Automatic renewal charges the card kept on file: the family's consent first.
    reader.pay_button.click()
    assert "agree to keep the card" in reader.notice_text()
    assert reader.phase.value == "ready"
    reader.keep_card.setChecked(True)
    reader.pay_button.click()
    waiting_for_card(window, qtbot, "reader_plan")
    assert reader.amount.text() == "$39.99"
    receipt = card_paid(window, qtbot, clock, "buy_receipt")
    assert "Paid with Visa ending in 4242." in receipt.body.text()
    [bought] = family.get("/subscriptions").json()
    assert bought["plan_id"] == CALLS
    assert bought["renewal_mode"] == "auto" and bought["card"]["last4"] == "4242"
    no_card_number_field(window, shown)


@pytest.mark.gui
def test_a_declined_card_then_one_that_pays(
    qtbot: QtBot, kiosk: Kiosk, kiosk_api: TestClient, live_server: LiveServer,
    clock: ManualClock,
) -> None:
    family, window, shown = family_at_home(qtbot, kiosk, kiosk_api, live_server,
                                           "7135550172")
    # The simulated reader declines a total ending in .01 (docs/payments.md).
    _set_price(live_server, 2001)
    reader = plan_on_reader(window, qtbot)
    reader.pay_button.click()
    waiting_for_card(window, qtbot, "reader_plan")
    clock.advance(CARD_READ)
    qtbot.waitUntil(lambda: reader.phase.value == "ended", timeout=WAIT)
    assert reader.title.text() == "Your card was not charged"
    assert "declined this card, so nothing was charged" in reader.status.text()
    assert reader.pay_button.text() == "Try again" and reader.back_button.isVisible()
    assert family.get("/subscriptions").json() == []
    # Meanwhile the price went back: trying again is refused before any charge, and
    # going back asks for the new quote.
    _set_price(live_server, 3999)
    reader.pay_button.click()
    qtbot.waitUntil(lambda: reader.ended_code == "quote_changed", timeout=WAIT)
    assert "The total changed since you saw it" in reader.status.text()
    reader.back_button.click()
    assert window.current_screen_name() == "buy_renewal"
    reader = plan_on_reader(window, qtbot, from_renewal=True)
    reader.pay_button.click()
    waiting_for_card(window, qtbot, "reader_plan")
    card_paid(window, qtbot, clock, "buy_receipt")
    [bought] = family.get("/subscriptions").json()
    assert bought["plan_id"] == CALLS
    no_card_number_field(window, shown)


def _set_price(live_server: LiveServer, cents: int) -> None:
    with live_server.app.state.services.db.transaction() as session:
        session.get_one(Plan, CALLS).price_cents = cents


def _reader_waiting_for_a_deposit(window: MainWindow, qtbot: QtBot) -> Any:
    """From the family's home: $20 to be paid on the reader, which waits for the card."""
    _to_deposit_confirm(window, qtbot)
    window.screens["deposit_confirm"].pay_button.click()
    reader = window.screens["reader_deposit"]
    reader.pay_button.click()
    waiting_for_card(window, qtbot, "reader_deposit")
    return reader


@pytest.mark.gui
def test_cancel_stops_the_reader_and_try_again_pays(
    qtbot: QtBot, kiosk: Kiosk, kiosk_api: TestClient, live_server: LiveServer,
    clock: ManualClock,
) -> None:
    family, window, shown = family_at_home(qtbot, kiosk, kiosk_api, live_server,
                                           "7135550173")
    reader = _reader_waiting_for_a_deposit(window, qtbot)
    reader.cancel_button.click()
    qtbot.waitUntil(lambda: reader.phase.value == "ended", timeout=WAIT)
    assert reader.status.text() == "The payment was canceled. Nothing was charged."
    assert payment_states(live_server) == ["canceled"]
    clock.advance(timedelta(seconds=10))  # a card presented late charges nothing
    assert family.get().json()["balance_cents"] == 0
    reader.pay_button.click()  # Try again
    waiting_for_card(window, qtbot, "reader_deposit")
    card_paid(window, qtbot, clock, "deposit_receipt")
    assert family.get().json()["balance_cents"] == 2000
    no_card_number_field(window, shown)


@pytest.mark.gui
def test_the_idle_wipe_mid_payment_cancels_the_reader_action(
    qtbot: QtBot, kiosk: Kiosk, kiosk_api: TestClient, live_server: LiveServer,
    clock: ManualClock,
) -> None:
    family, window, shown = family_at_home(qtbot, kiosk, kiosk_api, live_server,
                                           "7135550174")
    reader = _reader_waiting_for_a_deposit(window, qtbot)
    window.idle.timed_out.emit()  # the family walked away
    assert window.current_screen_name() == "attract"
    qtbot.waitUntil(lambda: payment_states(live_server) == ["canceled"], timeout=WAIT)
    clock.advance(timedelta(seconds=10))  # the card presented after: nothing charged
    assert family.get().json()["balance_cents"] == 0
    assert reader.phase.value == "ready"  # the next family starts afresh
    no_card_number_field(window, shown)


@pytest.mark.gui
def test_staff_helping_a_family_on_the_reader_is_in_the_audit_trail(
    qtbot: QtBot, kiosk: Kiosk, kiosk_api: TestClient, live_server: LiveServer,
    clock: ManualClock,
) -> None:
    staff_id = _add_officer(live_server)
    family = open_family(kiosk_api, phone="(713) 555-0175")
    window = make_window(qtbot, kiosk)
    _in_staff_mode(window, qtbot)
    _family_signs_in(window, qtbot, "7135550175")
    register_reader(live_server, kiosk_api)
    _to_deposit_confirm(window, qtbot)
    window.screens["deposit_confirm"].pay_button.click()
    reader = window.screens["reader_deposit"]
    assert reader.type_button.isVisible()  # staff at a facility that allows keyed entry
    reader.pay_button.click()
    waiting_for_card(window, qtbot, "reader_deposit")
    card_paid(window, qtbot, clock, "deposit_receipt")
    (journal,) = family.get("/advance-connect/transactions").json()["transactions"]

    def recorded() -> list[dict[str, Any]]:
        return [json.loads(e.detail) for e in kiosk.store.audit_events()
                if e.event == "staff_assisted_reader_deposit"]

    qtbot.waitUntil(lambda: len(recorded()) == 1, timeout=WAIT)
    assert recorded() == [{"staff_id": staff_id, "account_id": family.account_id,
                           "transaction_id": journal["id"], "amount_cents": 2000,
                           "total_cents": recorded()[0]["total_cents"]}]


@pytest.mark.gui
def test_staff_home_says_which_card_reader_the_kiosk_has(
    qtbot: QtBot, kiosk: Kiosk, kiosk_api: TestClient, live_server: LiveServer
) -> None:
    """Asked of the server each time the staff home shows: none, then the one a supervisor
    registered, then "not known" with the server gone; the buttons never wait on it."""
    _add_officer(live_server)
    window = make_window(qtbot, kiosk)
    _in_staff_mode(window, qtbot)
    home = window.screens["staff_home"]
    assert home.help_button.isEnabled()
    qtbot.waitUntil(lambda: home.reader_label.text().startswith("No card reader"), timeout=WAIT)
    register_reader(live_server, kiosk_api)
    home.outbox_button.click()
    window.header.back_button.click()
    assert window.current_screen_name() == "staff_home"
    qtbot.waitUntil(lambda: home.reader_label.text() == (
        "Card reader: Simulated reader lobby_e2e, registered January 15, 2026."), timeout=WAIT)
    live_server.stop()
    home.outbox_button.click()
    window.header.back_button.click()
    qtbot.waitUntil(lambda: home.reader_label.text().startswith("Card reader: not known"),
                    timeout=30_000)
    assert home.help_button.isEnabled()
