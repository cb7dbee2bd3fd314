"""Renew now on the kiosk's card reader (docs/devices.md "The card reader"; rule 6), against
the live central API with the sandbox's simulated reader: a family whose plan was paid on the
reader without keeping the card (no card on file) renews by hand before the plan ends; a
family with a card on file chooses the reader instead; the idle wipe mid-payment cancels the
reader's action. Exactly one next period is paid: asking again after it is paid is refused
on screen, and no screen shows a card-number field."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from central.kernel.clock import ManualClock
from central.plans.models import SubscriptionPeriod
from central.plans.quote import TERMS_VERSION
from tests.card_scan import no_card_number_left
from tests.central.family_support import Family
from tests.e2e.e2e_support import Kiosk, wait_for_home
from tests.e2e.reader_support import (
    CALLS,
    WAIT,
    card_paid,
    family_at_home,
    no_card_number_field,
    payment_states,
    plan_on_reader,
    waiting_for_card,
)
from tests.support import LiveServer
from ui.main_window import MainWindow


def _manual_plan_on_the_kiosk_reader(window: MainWindow, qtbot: QtBot, clock: ManualClock
                                     ) -> None:
    """The calls plan, renewed by hand, paid on the reader without keeping the card."""
    plan_on_reader(window, qtbot).pay_button.click()
    waiting_for_card(window, qtbot, "reader_plan")
    card_paid(window, qtbot, clock, "buy_receipt").done_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "account_home", timeout=WAIT)


def _renew_now(window: MainWindow, qtbot: QtBot) -> Any:
    """My subscriptions, Renew now on the plan: the confirmation."""
    window.screens["account_home"].action_buttons["manage"].click()
    listing = window.screens["manage_list"]
    qtbot.waitUntil(lambda: listing.busy_indicator.isHidden()
                    and listing.rows and listing.rows[0].isVisible(), timeout=WAIT)
    row = listing.rows[0]
    assert row.renew_now_button.isVisible()
    row.renew_now_button.click()
    assert window.current_screen_name() == "manage_confirm"
    return window.screens["manage_confirm"]


def _periods(live_server: LiveServer) -> int:
    with live_server.app.state.services.db.transaction() as session:
        return int(session.execute(select(func.count()).select_from(SubscriptionPeriod)
                                   ).scalar_one())


@pytest.mark.gui
def test_a_family_without_a_card_on_file_renews_now_on_the_card_reader(
    qtbot: QtBot, kiosk: Kiosk, kiosk_api: TestClient, live_server: LiveServer,
    clock: ManualClock, tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    # Nothing the kiosk's side sent, logged or wrote holds a card number (docs/devices.md).
    with no_card_number_left(tmp_path, caplog, keyring=True):
        _renew_without_a_card_on_file(qtbot, kiosk, kiosk_api, live_server, clock)


def _renew_without_a_card_on_file(qtbot: QtBot, kiosk: Kiosk, kiosk_api: TestClient,
                                  live_server: LiveServer, clock: ManualClock) -> None:
    family, window, shown = family_at_home(qtbot, kiosk, kiosk_api, live_server,
                                           "7135550176")
    _manual_plan_on_the_kiosk_reader(window, qtbot, clock)
    assert family.get("/payment-methods").json() == []
    [sub] = family.get("/subscriptions").json()
    confirm = _renew_now(window, qtbot)
    assert confirm.yes_button.text() == "Pay $39.99 on the card reader"
    assert "You pay $39.99 on the card reader today" in confirm.body.text()
    assert not confirm.reader_button.isVisible()  # the reader is the only way: no card
    confirm.yes_button.click()
    assert window.current_screen_name() == "reader_renew"
    reader = window.screens["reader_renew"]
    assert reader.title.text() == f"Renew {sub['plan_name']}"
    assert reader.pay_button.text() == "Pay $39.99 on the card reader"
    assert not window.header.back_button.isVisible()  # Cancel stops the reader first
    reader.pay_button.click()
    waiting_for_card(window, qtbot, "reader_renew")
    assert reader.amount.text() == "$39.99" and reader.cancel_button.isVisible()
    clock.advance(timedelta(seconds=2.5))
    qtbot.waitUntil(lambda: reader.payment is not None
                    and reader.payment.state == "reading", timeout=WAIT)
    assert reader.status.text() == "Reading your card. Please leave it in the reader."
    receipt = card_paid(window, qtbot, clock, "renew_receipt")
    assert receipt.title.text() == "Renewed"
    assert "with Visa ending in 4242" in receipt.body.text()
    renewed = family.get(f"/subscriptions/{sub['id']}").json()
    assert renewed["renewed_through"] is not None
    assert _periods(live_server) == 2
    assert family.get("/payment-methods").json() == []  # not kept: no consent given
    receipt.done_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "account_home", timeout=WAIT)
    # Asked again: the next month is paid already, so the reader is not even started.
    confirm = _renew_now(window, qtbot)
    confirm.yes_button.click()
    reader.pay_button.click()
    qtbot.waitUntil(lambda: reader.phase.value == "ended", timeout=WAIT)
    assert reader.ended_code == "already_renewed"
    assert reader.status.text() == "The next month is already paid. Nothing was charged."
    assert not reader.pay_button.isVisible()  # no "Try again" for a paid month
    assert _periods(live_server) == 2
    no_card_number_field(window, shown)
    assert "reader_renew" in shown and not reader.type_button.isVisible()
    reader.back_button.click()  # to the confirmation, the list, then home
    for _ in range(2):
        qtbot.waitUntil(lambda: window.header.back_button.isVisible(), timeout=WAIT)
        window.header.back_button.click()
    wait_for_home(window, qtbot)
    window.screens["account_home"].sign_out_button.click()
    kiosk.close()


@pytest.mark.gui
def test_a_family_with_a_card_on_file_chooses_the_reader_and_walks_away(
    qtbot: QtBot, kiosk: Kiosk, kiosk_api: TestClient, live_server: LiveServer,
    clock: ManualClock,
) -> None:
    """The card on file pays with one touch, or the reader on request; the idle wipe
    mid-payment cancels the reader's action and nothing is charged."""
    family, window, shown = family_at_home(qtbot, kiosk, kiosk_api, live_server,
                                           "7135550177")
    card = family.add_card()
    _buy_manual(family, card["id"])
    confirm = _renew_now(window, qtbot)
    assert confirm.yes_button.text() == "Pay $39.99"
    assert confirm.reader_button.isVisible()
    assert confirm.reader_button.text() == "Pay on the card reader instead"
    confirm.reader_button.click()
    assert window.current_screen_name() == "reader_renew"
    reader = window.screens["reader_renew"]
    reader.pay_button.click()
    waiting_for_card(window, qtbot, "reader_renew")
    window.idle.timed_out.emit()  # the family walked away
    assert window.current_screen_name() == "attract"
    qtbot.waitUntil(lambda: payment_states(live_server)[-1:] == ["canceled"], timeout=WAIT)
    clock.advance(timedelta(seconds=10))  # a card presented after: nothing charged
    assert _periods(live_server) == 1
    assert reader.phase.value == "ready"
    [sub] = family.get("/subscriptions").json()
    assert sub["renewed_through"] is None
    no_card_number_field(window, shown)


def _buy_manual(family: Family, card_id: str) -> None:
    quoted = family.post("/subscriptions/quote", {"plan_id": CALLS, "renewal_mode": "manual"})
    bought = family.post("/subscriptions", {
        "plan_id": CALLS, "renewal_mode": "manual", "payment_method_id": card_id,
        "terms_version": TERMS_VERSION, "accept_terms": True,
        "quoted_total_cents": quoted.json()["price_cents"]}, "buy-rdr-renew")
    assert bought.status_code == 201, bought.text
