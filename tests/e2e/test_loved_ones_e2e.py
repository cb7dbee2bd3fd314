"""A signed-in family adds another loved one at the kiosk: the sign-up's facility list and
resident search, a confirmation, and the home shows them; one already on the account sends
the family back to the search with the reason."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pytestqt.qtbot import QtBot

from tests.central.family_support import PIN as FAMILY_PIN
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


def _offline_to_the_pin_step(window: MainWindow, qtbot: QtBot, kiosk: Kiosk) -> None:
    """From the home: the facility list from the server, then the network goes away; the
    cached directory finds the loved one and Yes, add them cannot reach the server."""
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
    window.screens["loved_one_confirm"].add_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "loved_one_pin", timeout=30_000)


@pytest.mark.gui
def test_offline_the_family_confirms_with_their_pin_and_the_loved_one_is_added_when_back(
    qtbot: QtBot, kiosk: Kiosk, kiosk_api: TestClient, live_server: LiveServer
) -> None:
    """docs/offline.md, "A loved one added offline": the session will be gone by the time
    the kiosk reconnects, so the PIN confirms the link; it goes to the vault, the link to
    the outbox, and it reaches the server once when it is back, after the family left."""
    family, window = signed_in(qtbot, kiosk, kiosk_api, "7135550194")
    _offline_to_the_pin_step(window, qtbot, kiosk)
    pin = window.screens["loved_one_pin"]
    assert pin.subtitle.text() == (
        "Enter your PIN. We'll add Williams, Darnell when the kiosk is back online,"
        " or e-mail you if we can't.")
    assert pin.next_button.text() == "Add when the kiosk reconnects"
    pin.next_button.click()  # no PIN typed: asked for, nothing queued
    assert pin.error_text("current_pin")
    assert window.current_screen_name() == "loved_one_pin"
    pin.pin.setText(FAMILY_PIN)
    pin.next_button.click()
    wait_for_home(window, qtbot)
    home = window.screens["account_home"]
    assert home.loved_ones_label.text() == (
        "Your loved ones: Hernández, José\n"
        "Waiting to be added when the kiosk reconnects: Williams, Darnell")
    assert "link_pin" not in window.router.flow.data and pin.pin.text() == ""
    [queued] = [e for e in kiosk.store.pending() if e.operation == "link_resident"]
    assert FAMILY_PIN not in queued.payload and queued.secret_ref
    assert kiosk.vault.get(queued.secret_ref) == FAMILY_PIN
    assert len(family.get().json()["linked_residents"]) == 1  # nothing reached the server
    home.sign_out_button.click()  # the family leaves: the session is wiped

    kiosk.client.base_url = live_server.url  # the network is back
    kiosk.workflow.sync_now(retry_now=True)
    kiosk.workflow.tasks.wait_until_idle()
    kiosk.workflow.sync_now(retry_now=True)  # a second drain sends nothing again
    kiosk.workflow.tasks.wait_until_idle()
    assert [r["display_name"] for r in family.get().json()["linked_residents"]] == [
        "Hernández, José", "Williams, Darnell"]
    assert kiosk.store.entry(queued.id).state == "sent"  # type: ignore[union-attr]
    assert kiosk.vault.get(queued.secret_ref) is None


@pytest.mark.gui
def test_offline_back_from_the_pin_step_tries_the_network_again(
    qtbot: QtBot, kiosk: Kiosk, kiosk_api: TestClient, live_server: LiveServer
) -> None:
    family, window = signed_in(qtbot, kiosk, kiosk_api, "7135550195")
    _offline_to_the_pin_step(window, qtbot, kiosk)
    window.header.back_button.click()
    assert window.current_screen_name() == "loved_one_confirm"
    kiosk.client.base_url = live_server.url  # the network is back: the same Yes works
    confirm = window.screens["loved_one_confirm"]
    qtbot.waitUntil(confirm.add_button.isEnabled, timeout=10_000)
    confirm.add_button.click()
    wait_for_home(window, qtbot)
    assert [r["display_name"] for r in family.get().json()["linked_residents"]] == [
        "Hernández, José", "Williams, Darnell"]
    assert [e for e in kiosk.store.pending() if e.operation == "link_resident"] == []
