"""The plan advisor at the kiosk: the family's estimate on the keypad, then each option's
monthly cost as the server prices it, drawn as bars, with the cheapest recommended."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pytestqt.qtbot import QtBot

from tests.central.family_support import PIN, open_family
from tests.e2e.e2e_support import Kiosk, make_window, sign_in, wait_for_home


@pytest.mark.gui
def test_advisor_shows_the_servers_prices_and_recommendation(
    qtbot: QtBot, kiosk: Kiosk, kiosk_api: TestClient
) -> None:
    family = open_family(kiosk_api, phone="(713) 555-0187")
    window = make_window(qtbot, kiosk)
    sign_in(window, qtbot, "7135550187", PIN)
    wait_for_home(window, qtbot)
    window.screens["account_home"].action_buttons["advisor"].click()
    estimate = window.screens["advisor_estimate"]
    estimate.line_edit("calls_per_month").setText("40")
    estimate.line_edit("average_minutes").setText("0")
    estimate.line_edit("video_sessions_per_month").setText("2")
    estimate.next_button.click()
    assert window.current_screen_name() == "advisor_estimate"  # 0 minutes: not a call
    assert estimate.error_text("average_minutes") == "Please enter a whole number."
    estimate.line_edit("average_minutes").setText("15")
    estimate.next_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "advisor_result", timeout=15_000)
    result = window.screens["advisor_result"]
    advice = family.post("/advisor", {"calls_per_month": 40, "average_minutes": 15,
                                      "video_sessions_per_month": 2}).json()
    best = next(o for o in advice["options"] if o["is_recommended"])
    assert [bar[0] for bar in result.chart.bars] == [o["label"] for o in advice["options"]]
    assert [bar[1] for bar in result.chart.bars] == [
        o["monthly_cost_cents"] for o in advice["options"]]
    highlighted = [bar[3] for bar in result.chart.bars]
    assert highlighted == [o["is_recommended"] for o in advice["options"]]
    assert result.reason.text().startswith(f"Cheapest for you: {best['label']}, about $")
    assert not result.chart.grab().isNull()
    result.done_button.click()
    wait_for_home(window, qtbot)
