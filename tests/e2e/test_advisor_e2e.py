"""The plan advisor at the kiosk: from the family's history of calls, or their estimate on
the keypad, then each option's monthly cost as the server prices it, drawn as bars, with the
cheapest recommended."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from pytestqt.qtbot import QtBot

from tests.central.family_support import PIN, open_family
from tests.e2e.e2e_support import Kiosk, make_window, sign_in, signed_in, tap, wait_for_home
from tests.support import LiveServer


@pytest.mark.gui
def test_advisor_shows_the_servers_prices_and_recommendation(
    qtbot: QtBot, kiosk: Kiosk, kiosk_api: TestClient
) -> None:
    family = open_family(kiosk_api, phone="(713) 555-0187")
    window = make_window(qtbot, kiosk)
    sign_in(window, qtbot, "7135550187", PIN)
    wait_for_home(window, qtbot)
    window.screens["account_home"].action_buttons["advisor"].click()
    assert window.current_screen_name() == "advisor_basis"
    window.screens["advisor_basis"].basis_buttons["estimate"].click()
    assert window.current_screen_name() == "advisor_estimate"
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
    tap(qtbot, result.done_button)
    wait_for_home(window, qtbot)


@pytest.mark.gui
def test_advisor_from_history_before_a_full_month_offers_the_estimate(
    qtbot: QtBot, kiosk: Kiosk, kiosk_api: TestClient
) -> None:
    _family, window = signed_in(qtbot, kiosk, kiosk_api, "7135550188")
    window.screens["account_home"].action_buttons["advisor"].click()
    window.screens["advisor_basis"].basis_buttons["history"].click()
    assert window.current_screen_name() == "advisor_result"
    result = window.screens["advisor_result"]
    qtbot.waitUntil(lambda: result.estimate_button.isVisible(), timeout=15_000)
    assert result.notice_text().startswith("There is no full month of your calls yet")
    assert not result.chart.bars
    result.estimate_button.click()
    assert window.current_screen_name() == "advisor_estimate"


@pytest.mark.gui
def test_advisor_from_history_prices_the_last_full_months(
    qtbot: QtBot, kiosk: Kiosk, kiosk_api: TestClient, live_server: LiveServer
) -> None:
    # Signed in first: the kiosk enrolls while its one-time code is fresh.
    family, window = signed_in(qtbot, kiosk, kiosk_api, "7135550189")
    window.screens["account_home"].sign_out_button.click()
    # Forty days on, the family's first month is complete; they sign in again then.
    live_server.app.state.services.clock.advance(timedelta(days=40))
    qtbot.waitUntil(lambda: window.current_screen_name() == "attract", timeout=10_000)
    sign_in(window, qtbot, "7135550189", PIN)
    wait_for_home(window, qtbot)
    window.screens["account_home"].action_buttons["advisor"].click()
    window.screens["advisor_basis"].basis_buttons["history"].click()
    result = window.screens["advisor_result"]
    qtbot.waitUntil(lambda: bool(result.chart.bars), timeout=15_000)
    token = kiosk_api.post("/v1/sessions", json={"phone": "(713) 555-0189", "pin": PIN})
    advice = kiosk_api.get(family.url("/advisor"),
                           headers={"X-Family-Session": token.json()["token"]}).json()
    assert advice["basis"] == "history"
    assert [bar[0] for bar in result.chart.bars] == [o["label"] for o in advice["options"]]
    assert [bar[1] for bar in result.chart.bars] == [
        o["monthly_cost_cents"] for o in advice["options"]]
    assert result.reason.text().startswith("From your calls in your last full months.")
    assert result.estimate_button.isHidden()
    tap(qtbot, result.done_button)
    wait_for_home(window, qtbot)
