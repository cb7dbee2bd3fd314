"""A signed-in family adds another loved one at the kiosk: the sign-up's facility list and
resident search, a confirmation, and the home shows them; one already on the account sends
the family back to the search with the reason."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pytestqt.qtbot import QtBot

from tests.e2e.e2e_support import Kiosk, signed_in, wait_for_home
from tests.support import LiveServer, free_port
from ui.main_window import MainWindow


def _find(window: MainWindow, qtbot: QtBot, facility_id: str, query: str) -> None:
    """From the home: Add a loved one, the facility, a search, the first match."""
    window.screens["account_home"].action_buttons["add_loved_one"].click()
    facility = window.screens["facility"]
    qtbot.waitUntil(lambda: len(facility.facility_buttons) > 0, timeout=10_000)
    facility.choose(facility_id)
    assert window.current_screen_name() == "resident"
    resident = window.screens["resident"]
    resident.query.setText(query)
    resident.search_button.click()
    qtbot.waitUntil(lambda: len(resident.result_buttons) > 0, timeout=10_000)
    resident.result_buttons[0].click()
    assert window.current_screen_name() == "loved_one_confirm"


@pytest.mark.gui
def test_family_adds_a_loved_one_at_another_facility(
    qtbot: QtBot, kiosk: Kiosk, kiosk_api: TestClient
) -> None:
    family, window = signed_in(qtbot, kiosk, kiosk_api, "7135550191")
    _find(window, qtbot, "desert-springs-prison", "ana lop")
    confirm = window.screens["loved_one_confirm"]
    assert confirm.rows.values["name"].text() == "López, Ana"
    assert confirm.rows.values["facility"].text() == "Desert Springs State Prison"
    confirm.add_button.click()
    wait_for_home(window, qtbot)
    home = window.screens["account_home"]
    qtbot.waitUntil(lambda: "López, Ana" in home.loved_ones_label.text(), timeout=15_000)
    # "Last, First" names: the semicolon keeps them two people, not four.
    assert home.loved_ones_label.text() == "Your loved ones: Hernández, José; López, Ana"
    linked = family.get().json()["linked_residents"]
    assert [r["resident_id"] for r in linked] == [
        "harbor-county-jail:001", "desert-springs-prison:007"]


@pytest.mark.gui
def test_a_loved_one_already_on_the_account_sends_the_family_back_to_the_search(
    qtbot: QtBot, kiosk: Kiosk, kiosk_api: TestClient
) -> None:
    family, window = signed_in(qtbot, kiosk, kiosk_api, "7135550192")
    _find(window, qtbot, "harbor-county-jail", "hernandez")
    window.screens["loved_one_confirm"].add_button.click()
    resident = window.screens["resident"]
    qtbot.waitUntil(lambda: window.current_screen_name() == "resident", timeout=15_000)
    qtbot.waitUntil(lambda: bool(resident.notice_text()), timeout=15_000)
    assert resident.notice_text() == (
        "This person is already one of your loved ones. Please search again.")
    assert len(family.get().json()["linked_residents"]) == 1
    # Another person from the same search is added, and the family lands on the home.
    resident.query.setText("nguyen")
    resident.search_button.click()
    qtbot.waitUntil(lambda: [m.display_name for m in resident.matches] == ["Nguyen, Linh"],
                    timeout=10_000)
    resident.result_buttons[0].click()
    assert window.current_screen_name() == "loved_one_confirm"
    window.screens["loved_one_confirm"].add_button.click()
    wait_for_home(window, qtbot)
    home = window.screens["account_home"]
    qtbot.waitUntil(lambda: "Nguyen, Linh" in home.loved_ones_label.text(), timeout=15_000)


@pytest.mark.gui
def test_offline_the_search_uses_the_cached_directory_and_the_link_waits_for_the_network(
    qtbot: QtBot, kiosk: Kiosk, kiosk_api: TestClient, live_server: LiveServer
) -> None:
    family, window = signed_in(qtbot, kiosk, kiosk_api, "7135550194")
    window.screens["account_home"].action_buttons["add_loved_one"].click()
    facility = window.screens["facility"]
    # The facility list came from the server, and with it each facility's directory.
    qtbot.waitUntil(lambda: len(facility.facility_buttons) > 0, timeout=10_000)
    kiosk.workflow.tasks.wait_until_idle()
    kiosk.client.base_url = f"http://127.0.0.1:{free_port()}"  # the network goes away
    facility.choose("desert-springs-prison")
    resident = window.screens["resident"]
    resident.query.setText("williams")
    resident.search_button.click()
    qtbot.waitUntil(lambda: [m.display_name for m in resident.matches] == ["Williams, Darnell"],
                    timeout=30_000)
    resident.result_buttons[0].click()
    confirm = window.screens["loved_one_confirm"]
    confirm.add_button.click()
    qtbot.waitUntil(lambda: bool(confirm.notice_text()), timeout=30_000)
    assert window.current_screen_name() == "loved_one_confirm"
    assert "can't reach the network" in confirm.notice_text()
    kiosk.client.base_url = live_server.url  # the network is back: the same Yes works
    qtbot.waitUntil(confirm.add_button.isEnabled, timeout=10_000)
    confirm.add_button.click()
    wait_for_home(window, qtbot)
    assert [r["display_name"] for r in family.get().json()["linked_residents"]] == [
        "Hernández, José", "Williams, Darnell"]
