"""A signed-in family manages a subscription at the kiosk: what is left as a progress bar,
cancel (active until the period end, no refund) and keep it after all, switch renewal
(pending until the period ends), renew a manual plan now, and put a new card on file."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pytestqt.qtbot import QtBot

from central.plans.quote import TERMS_VERSION
from tests.central.family_support import open_family
from tests.e2e.e2e_support import ON_EVERY_GATEWAY, Kiosk, make_window, wait_for_home
from tests.e2e.secrets_scan import found_in_files
from tests.e2e.test_staff_assisted_e2e import _family_signs_in
from tests.e2e.test_staff_e2e import _add_officer, _in_staff_mode
from tests.support import LiveServer
from ui.main_window import MainWindow

CALLS = "harbor-county-jail:call-100"
MASTERCARD = "5555555555554444"


def _confirm(window: MainWindow, qtbot: QtBot, action_button_text: str) -> str:
    """Press the row's button, read the confirmation, say yes, wait for the list again."""
    row = window.screens["manage_list"].rows[0]
    button = next(b for b in (row.cancel_button, row.renewal_button, row.renew_now_button)
                  if b.text() == action_button_text)
    button.click()
    assert window.current_screen_name() == "manage_confirm"
    confirm = window.screens["manage_confirm"]
    said = confirm.body.text()
    confirm.yes_button.click()
    listing = window.screens["manage_list"]
    qtbot.waitUntil(lambda: window.current_screen_name() == "manage_list", timeout=15_000)
    qtbot.waitUntil(lambda: listing.busy_indicator.isHidden(), timeout=15_000)
    return said


@pytest.mark.gui
@ON_EVERY_GATEWAY
def test_family_cancels_keeps_switches_renews_and_updates_the_card(
    qtbot: QtBot, kiosk: Kiosk, kiosk_api: TestClient, tmp_path: Path,
    live_server: LiveServer,
) -> None:
    family = open_family(kiosk_api, phone="(713) 555-0180")
    card = family.add_card()
    quoted = family.post("/subscriptions/quote", {"plan_id": CALLS, "renewal_mode": "manual"})
    bought = family.post("/subscriptions", {
        "plan_id": CALLS, "renewal_mode": "manual", "payment_method_id": card["id"],
        "terms_version": TERMS_VERSION, "accept_terms": True,
        "quoted_total_cents": quoted.json()["price_cents"]}, "buy-m").json()
    window = make_window(qtbot, kiosk)
    # Staff help the family: a new card number is typed only by staff, where the facility
    # allows it (docs/payments.md "Keyed entry").
    _add_officer(live_server)
    _in_staff_mode(window, qtbot)
    _family_signs_in(window, qtbot, "7135550180")
    window.screens["account_home"].action_buttons["manage"].click()
    listing = window.screens["manage_list"]
    qtbot.waitUntil(lambda: listing.busy_indicator.isHidden(), timeout=15_000)
    row = listing.rows[0]
    assert row.usage.maximum() == bought["allotment"]
    assert row.usage.value() == bought["remaining"]
    assert row.renew_now_button.isVisible()  # a manual plan can be renewed now

    said = _confirm(window, qtbot, "Cancel")
    assert said.startswith("It stays active until ") and said.endswith("No refund.")
    assert family.get(f"/subscriptions/{bought['id']}").json()["cancel_at_period_end"]
    assert window.screens["manage_list"].rows[0].period_label.text().startswith("Cancelled")

    _confirm(window, qtbot, "Keep it")
    assert not family.get(f"/subscriptions/{bought['id']}").json()["cancel_at_period_end"]

    said = _confirm(window, qtbot, "Renew automatically")
    assert "each month until you cancel" in said
    now = family.get(f"/subscriptions/{bought['id']}").json()
    assert now["renewal_mode"] == "manual"  # pending until the period ends
    assert now["pending_change"]["renewal_mode"] == "auto"
    assert "from then on it renews automatically" in listing.rows[0].period_label.text()

    _confirm(window, qtbot, "Renew by hand")  # back to manual: nothing pending
    said = _confirm(window, qtbot, "Renew now")
    assert "is charged to Visa ending in 4242 today" in said
    assert family.get(f"/subscriptions/{bought['id']}").json()["renewed_through"] is not None

    assert listing.card_button.isVisible()
    listing.card_button.click()
    entry = window.screens["card_entry"]
    entry.number.setText(MASTERCARD)
    entry.expiry.setText("11/31")
    entry.cvc.setText("321")
    entry.zip.setText("77002")
    entry.next_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "manage_list", timeout=15_000)
    qtbot.waitUntil(lambda: "4444" in listing.card_label.text(), timeout=15_000)
    assert listing.card_label.text() == "Card for payments: Mastercard ending in 4444"
    (method,) = family.get("/payment-methods").json()
    assert method["last4"] == "4444"

    window.header.back_button.click()
    wait_for_home(window, qtbot)
    window.screens["account_home"].sign_out_button.click()
    kiosk.close()
    assert found_in_files(tmp_path, [MASTERCARD]) == []
