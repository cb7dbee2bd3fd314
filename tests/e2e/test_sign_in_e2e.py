"""A family with an account signs in at the kiosk and sees their account: real widgets, the
real workflow on worker threads, the real central API on loopback. Wrong PINs say how many
tries are left, then until when sign-in is locked; "Forgot your PIN?" says what to do."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pytestqt.qtbot import QtBot

from central.plans.quote import TERMS_VERSION
from tests.central.family_support import PIN, open_family
from tests.e2e.e2e_support import Kiosk, make_window, sign_in, wait_for_home

CALLS = "harbor-county-jail:call-100"


@pytest.mark.gui
def test_family_signs_in_sees_their_account_and_signs_out(
    qtbot: QtBot, kiosk: Kiosk, kiosk_api: TestClient
) -> None:
    family = open_family(kiosk_api, phone="(713) 555-0150")
    card = family.add_card()
    assert family.deposit(2000).status_code == 201
    quoted = family.post("/subscriptions/quote", {"plan_id": CALLS, "renewal_mode": "auto"})
    bought = family.post("/subscriptions", {
        "plan_id": CALLS, "renewal_mode": "auto", "payment_method_id": card["id"],
        "terms_version": TERMS_VERSION, "accept_terms": True,
        "quoted_total_cents": quoted.json()["price_cents"]}, "buy-1")
    assert bought.status_code == 201, bought.text
    window = make_window(qtbot, kiosk)

    sign_in(window, qtbot, "713 555 0150", PIN)
    wait_for_home(window, qtbot)
    home = window.screens["account_home"]
    assert home.title.text() == "Hello, Rosa"
    assert home.balance_label.text() == "AdvanceConnect balance: $20.00"
    assert home.loved_ones_label.text() == "Your loved ones: Hernández, José"
    plan = home.plan_labels[0].text()
    assert plan.startswith(bought.json()["plan_name"])
    assert "calls left" in plan and "Renews automatically on" in plan
    assert kiosk.workflow.family.signed_in
    assert window.screens["sign_in"].pin.text() == ""  # the PIN left the screen

    home.sign_out_button.click()
    assert window.current_screen_name() == "attract"
    assert not kiosk.workflow.family.signed_in
    assert window.screens["account_home"].account is None


@pytest.mark.gui
def test_wrong_pins_count_down_then_lock_and_forgot_pin_explains(
    qtbot: QtBot, kiosk: Kiosk, kiosk_api: TestClient
) -> None:
    open_family(kiosk_api, phone="(713) 555-0151")
    window = make_window(qtbot, kiosk)
    screen = window.screens["sign_in"]
    sign_in(window, qtbot, "7135550151", "9137")
    qtbot.waitUntil(lambda: screen.detail.isVisible(), timeout=15_000)
    assert screen.detail.text() == "4 more wrong tries and signing in locks for 15 minutes."
    assert "not right" in screen.error_text("current_pin")
    assert screen.pin.text() == ""
    for expected in ("3 more", "2 more", "One more"):
        screen.pin.setText("9137")
        with qtbot.waitSignal(kiosk.workflow.refused, timeout=15_000):
            screen.next_button.click()
        assert screen.detail.text().startswith(expected)
    screen.pin.setText("9137")
    with qtbot.waitSignal(kiosk.workflow.refused, timeout=15_000) as refused:
        screen.next_button.click()
    assert refused.args[1].code == "account_locked"
    assert screen.detail.text().startswith("For your safety, signing in is locked until ")
    # Even the right PIN is refused while locked.
    screen.pin.setText(PIN)
    with qtbot.waitSignal(kiosk.workflow.refused, timeout=15_000) as refused:
        screen.next_button.click()
    assert refused.args[1].code == "account_locked"
    assert window.current_screen_name() == "sign_in"

    screen.forgot_button.click()
    assert window.current_screen_name() == "forgot_pin"
    assert "front desk" in window.screens["forgot_pin"].body.text()
    window.header.back_button.click()
    assert window.current_screen_name() == "sign_in"
