"""Issue 17, item 3: a plan's price changes between the quote and Buy. The server charges
nothing (409 quote_changed); the kiosk says so, shows the new price and asks again."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from central.kernel.facilities import Plan
from central.money.gateway.models import GatewayCharge
from tests.central.family_support import PIN, open_family
from tests.e2e.e2e_support import Kiosk, make_window, sign_in, wait_for_home

CALLS = "harbor-county-jail:call-100"


@pytest.mark.gui
def test_a_price_changed_before_buy_is_shown_and_asked_again(
    qtbot: QtBot, kiosk: Kiosk, kiosk_api: TestClient
) -> None:
    family = open_family(kiosk_api, phone="(713) 555-0171")
    family.add_card()
    db = kiosk_api.app.state.services.db  # type: ignore[attr-defined]
    window = make_window(qtbot, kiosk)
    sign_in(window, qtbot, "7135550171", PIN)
    wait_for_home(window, qtbot)
    window.screens["account_home"].action_buttons["buy"].click()
    plans = window.screens["buy_plan"]
    qtbot.waitUntil(lambda: len(plans.plan_buttons) > 0, timeout=15_000)
    plans.plan_buttons[[p.id for p in plans.plans].index(CALLS)].click()
    window.screens["buy_renewal"].manual_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "buy_terms", timeout=15_000)
    terms = window.screens["buy_terms"]
    old = family.post("/subscriptions/quote", {"plan_id": CALLS,
                                               "renewal_mode": "manual"}).json()["price_cents"]
    assert terms.row_values["plan"].text().endswith(f"${old / 100:.2f} today")

    new = old + 500
    with db.transaction() as session:  # a supervisor changes the price meanwhile
        session.execute(update(Plan).where(Plan.id == CALLS).values(price_cents=new))
    terms.accept.setChecked(True)
    terms.pay_button.click()
    # Nothing charged; back to the renewal choice, told why, to see the new quote.
    renewal = window.screens["buy_renewal"]
    qtbot.waitUntil(lambda: window.current_screen_name() == "buy_renewal", timeout=15_000)
    qtbot.waitUntil(lambda: "price changed" in renewal.notice_text(), timeout=15_000)
    assert family.get("/subscriptions").json() == []
    with db.transaction() as session:
        assert list(session.scalars(select(GatewayCharge.amount_cents))) == []

    renewal.manual_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "buy_terms", timeout=15_000)
    qtbot.waitUntil(lambda: terms.row_values["plan"].text().endswith(
        f"${new / 100:.2f} today"), timeout=15_000)
    terms.accept.setChecked(True)
    assert terms.pay_button.text() == f"Pay ${new / 100:.2f}"
    terms.pay_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "buy_receipt", timeout=15_000)
    (bought,) = family.get("/subscriptions").json()
    assert bought["price_cents"] == new
    with db.transaction() as session:
        assert list(session.scalars(select(GatewayCharge.amount_cents))) == [new]
    kiosk.close()
