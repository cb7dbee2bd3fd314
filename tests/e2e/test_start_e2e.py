"""The real kiosk from ``start_gui``: its first screen is up before its keyring, store and
client are open, and what a family does meanwhile waits for them and is not lost."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from central.identity.kiosks import issue_enrollment_code
from central.identity.models import Account
from kiosk.app import start_gui
from kiosk.config import load_settings
from kiosk.domain import RegistrationOutcome
from services.vault import Vault
from tests.e2e.e2e_support import fill_sign_up_details, wait_for_home
from tests.support import LiveServer


@pytest.mark.gui
def test_a_sign_up_begun_before_the_store_opens_reaches_the_server(
    qtbot: QtBot, live_server: LiveServer, tmp_path: Path, vault: Vault
) -> None:
    services = live_server.app.state.services
    code = issue_enrollment_code(services.db, services.clock, "harbor-county-jail")
    settings = replace(load_settings(tmp_path / "absent.toml", environ={}),
                       central_url=live_server.url, enrollment_code=code,
                       data_dir=str(tmp_path / "kiosk-data"), kiosk_name="e2e-start")
    started = start_gui(settings, vault=vault, demo=not vault.secure)
    window = started.window
    try:
        # The family taps through before the event loop has turned once: the parts open
        # only after the first paint, so the facility list's request has to wait.
        window.screens["attract"].start_button.click()
        window.screens["home"].create_account_button.click()
        assert window.current_screen_name() == "facility"
        assert started.kiosk is None
        facility = window.screens["facility"]
        qtbot.waitUntil(lambda: len(facility.facility_buttons) > 0, timeout=20_000)
        assert started.kiosk is not None
        facility.choose("harbor-county-jail")
        resident = window.screens["resident"]
        resident.query.setText("lópez")
        resident.search_button.click()
        qtbot.waitUntil(lambda: len(resident.result_buttons) > 0, timeout=10_000)
        resident.result_buttons[0].click()
        fill_sign_up_details(window, "(713) 555-0177")
        with qtbot.waitSignal(started.controller.answered, timeout=15_000) as done:
            window.screens["review"].create_button.click()
        assert done.args[1].outcome is RegistrationOutcome.CREATED
        wait_for_home(window, qtbot)
        with services.db.transaction() as session:
            account = session.get(Account, done.args[1].account_id)
            assert account is not None and account.phone == "+17135550177"
    finally:
        window.close()
        started.close()
