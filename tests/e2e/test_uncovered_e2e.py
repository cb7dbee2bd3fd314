"""The "calls not covered" screen shows the family's facility's own per-minute rates, as
the central API lists them."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pytestqt.qtbot import QtBot

from tests.central.family_support import PIN, open_family
from tests.e2e.e2e_support import Kiosk, make_window, sign_in, tap, wait_for_home


@pytest.mark.gui
def test_calls_not_covered_lists_the_facility_rates(
    qtbot: QtBot, kiosk: Kiosk, kiosk_api: TestClient
) -> None:
    open_family(kiosk_api, phone="(713) 555-0185")
    window = make_window(qtbot, kiosk)
    sign_in(window, qtbot, "7135550185", PIN)
    wait_for_home(window, qtbot)
    window.screens["account_home"].action_buttons["uncovered"].click()
    screen = window.screens["uncovered_calls"]
    qtbot.waitUntil(lambda: bool(screen.rates), timeout=15_000)
    rates = kiosk_api.get("/v1/facilities/harbor-county-jail").json()["rates"]
    assert rates
    for rate in rates:
        cell = screen.cells[(rate["destination"], rate["kind"])]
        assert cell.text() == f"${rate['cents_per_minute'] / 100:.2f}/min"
    assert "in-state calls only" in screen.body.text()
    tap(qtbot, screen.done_button)
    wait_for_home(window, qtbot)
