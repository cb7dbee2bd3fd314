"""A card charged whose deposit could not be posted (issue 17, item 4): the kiosk, against
the live server, tells the family not to pay again, stays online (the server answered),
and does not charge the card again when Pay is pressed again. (The words for
``charge_needs_attention``, the answer once a person must act, are checked in
tests/gui/test_language.py.)"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pytestqt.qtbot import QtBot

from central.money.gateway.models import GatewayCharge
from tests.central.family_support import PIN, open_family
from tests.central.test_charge_attention import close_ledger
from tests.central.test_subscriptions import count
from tests.e2e.e2e_support import Kiosk, make_window, sign_in, wait_for_home
from tests.support import LiveServer


@pytest.mark.gui
def test_a_charged_card_whose_deposit_could_not_post_says_do_not_pay_again(
    qtbot: QtBot, kiosk: Kiosk, kiosk_api: TestClient, live_server: LiveServer,
) -> None:
    family = open_family(kiosk_api, phone="(713) 555-0162")
    family.add_card()
    services = live_server.app.state.services
    close_ledger(services.db)
    window = make_window(qtbot, kiosk)
    sign_in(window, qtbot, "7135550162", PIN)
    wait_for_home(window, qtbot)
    window.screens["account_home"].action_buttons["deposit"].click()
    amount = window.screens["deposit_amount"]
    qtbot.waitUntil(lambda: amount.quote is not None, timeout=15_000)
    amount.preset_buttons[2000].click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "deposit_confirm", timeout=15_000)
    confirm = window.screens["deposit_confirm"]
    connection: list[bool] = []
    kiosk.workflow.connection_changed.connect(connection.append)
    with qtbot.waitSignal(kiosk.workflow.refused, timeout=15_000) as refused:
        confirm.pay_button.click()
    assert refused.args[1].code == "charge_unfinished"
    assert "Your card was charged" in confirm.notice_text()
    assert "don't pay again" in confirm.notice_text()
    assert False not in connection  # the server answered: not "the network is down"

    # Pay pressed again (the kiosk sends a new Idempotency-Key): refused, the card is not
    # charged a second time while the first charge is unfinished.
    with qtbot.waitSignal(kiosk.workflow.refused, timeout=15_000) as again:
        confirm.pay_button.click()
    assert again.args[1].code == "charge_unfinished"
    assert count(live_server.app, GatewayCharge) == 1
