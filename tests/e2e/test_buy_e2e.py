"""A signed-in family buys a subscription at the kiosk: only the facility's plans, the
renewal choice, the server's quote with the no-refund terms accepted before paying (a card
typed first when there is none, by staff helping the family: docs/payments.md "Keyed
entry"; a family alone pays on the card reader, tests/e2e/test_reader_e2e.py), the
receipt, and the subscription on their home."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pytestqt.qtbot import QtBot

from tests.central.family_support import VISA, open_family
from tests.e2e.e2e_support import ON_EVERY_GATEWAY, Kiosk, make_window, tap, wait_for_home
from tests.e2e.secrets_scan import found_in_files
from tests.e2e.test_staff_assisted_e2e import _family_signs_in
from tests.e2e.test_staff_e2e import _add_officer, _in_staff_mode
from tests.support import LiveServer

CALLS = "harbor-county-jail:call-100"


@pytest.mark.gui
@ON_EVERY_GATEWAY
def test_family_buys_a_call_subscription_after_accepting_the_terms(
    qtbot: QtBot, kiosk: Kiosk, kiosk_api: TestClient, tmp_path: Path,
    live_server: LiveServer,
) -> None:
    family = open_family(kiosk_api, phone="(713) 555-0170")
    window = make_window(qtbot, kiosk)
    _add_officer(live_server)
    _in_staff_mode(window, qtbot)
    _family_signs_in(window, qtbot, "7135550170")
    window.screens["account_home"].action_buttons["buy"].click()
    plans = window.screens["buy_plan"]
    qtbot.waitUntil(lambda: len(plans.plan_buttons) > 0, timeout=15_000)
    offered = kiosk_api.get("/v1/facilities/harbor-county-jail").json()["plans"]
    assert [p.id for p in plans.plans] == [p["id"] for p in offered]
    calls_button = plans.plan_buttons[[p.id for p in plans.plans].index(CALLS)]
    assert "In-state calls only" in calls_button.text()
    calls_button.click()

    assert window.current_screen_name() == "buy_renewal"
    window.screens["buy_renewal"].manual_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "buy_terms", timeout=15_000)
    terms = window.screens["buy_terms"]
    quoted = family.post("/subscriptions/quote", {"plan_id": CALLS, "renewal_mode": "manual"})
    quote = quoted.json()
    assert terms.terms.text() == quote["terms"]["text"]
    assert "In-state calls only." in terms.row_values["included"].text()
    assert terms.row_values["plan"].text().endswith(f"${quote['price_cents'] / 100:.2f} today")
    assert terms.row_values["renewal"].text().startswith("Ends ")

    assert terms.pay_button.text().endswith("on the card reader")  # no card on file yet
    terms.type_button.click()  # staff type the card the family reads out
    assert window.current_screen_name() == "card_entry"
    card = window.screens["card_entry"]
    card.number.setText(VISA)
    card.expiry.setText("12/30")
    card.cvc.setText("123")
    card.zip.setText("77002")
    card.next_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "buy_terms", timeout=15_000)
    assert terms.row_values["card"].text() == "Visa ending in 4242"
    assert not terms.pay_button.isEnabled()  # the terms come first
    terms.accept.setChecked(True)
    assert terms.pay_button.text() == f"Pay ${quote['price_cents'] / 100:.2f}"
    terms.pay_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "buy_receipt", timeout=15_000)
    receipt = window.screens["buy_receipt"]
    assert "No refunds." in receipt.body.text()
    (bought,) = family.get("/subscriptions").json()
    assert (bought["plan_id"], bought["renewal_mode"]) == (CALLS, "manual")

    tap(qtbot, receipt.done_button)
    wait_for_home(window, qtbot)
    home = window.screens["account_home"]
    assert home.plan_labels[0].text().startswith(bought["plan_name"])
    assert "unless you renew it" in home.plan_labels[0].text()
    home.sign_out_button.click()
    kiosk.close()
    assert found_in_files(tmp_path, [VISA]) == []
