"""A family registers at the kiosk: real widgets, the real workflow on worker threads, the
real central API on loopback, a real SQLite outbox and the keyring. Then we read the
account back from the server and check that the PIN went nowhere it shouldn't."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from central.identity.kiosks import issue_enrollment_code
from central.identity.models import Account, LinkedResident
from central.identity.security import verify_pin
from kiosk.clock import SystemClock
from kiosk.domain import RegistrationOutcome
from kiosk.store import LocalStore
from kiosk.workflow import KioskWorkflow
from services.central_client import CentralClient
from services.sync import OutboxSender
from services.vault import Vault, open_vault
from tests.support import LiveServer, free_port
from ui.main_window import MainWindow

PIN = "5820"


class Kiosk:
    def __init__(self, url: str, code: str, data: Path, vault: Vault) -> None:
        self.store = LocalStore(data / "kiosk.sqlite3", SystemClock())
        self.vault = vault
        self.client = CentralClient(url, timeout=5)
        self.workflow = KioskWorkflow(
            client=self.client, store=self.store, vault=vault,
            sender=OutboxSender(self.store, self.client, vault),
            enrollment_code=code, kiosk_name="e2e",
        )

    def close(self) -> None:
        self.workflow.tasks.wait_until_idle()
        self.store.close()


@pytest.fixture
def vault() -> Iterator[Vault]:
    """The real keyring when `make test` provides one, else the volatile fallback."""
    opened = open_vault("lobby-kiosk-e2e")
    opened.delete("kiosk-token")
    yield opened
    opened.delete("kiosk-token")


@pytest.fixture
def kiosk(live_server: LiveServer, tmp_path: Path, vault: Vault) -> Iterator[Kiosk]:
    """A kiosk with a fresh one-time code for Harbor County Jail, its data in tmp_path."""
    services = live_server.app.state.services
    code = issue_enrollment_code(services.db, services.clock, "harbor-county-jail")
    built = Kiosk(live_server.url, code, tmp_path, vault)
    yield built
    built.close()


def _window(qtbot: QtBot, kiosk: Kiosk) -> MainWindow:
    window = MainWindow(kiosk.workflow, idle_seconds=3600, countdown_seconds=20)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def _register(window: MainWindow, qtbot: QtBot, phone: str) -> None:
    window.screens["attract"].start_button.click()
    window.screens["home"].create_account_button.click()
    facility = window.screens["facility"]
    qtbot.waitUntil(lambda: len(facility.facility_buttons) > 0, timeout=10_000)
    facility.choose("harbor-county-jail")
    resident = window.screens["resident"]
    resident.query.setText("lópez")
    resident.search_button.click()
    qtbot.waitUntil(lambda: len(resident.result_buttons) > 0, timeout=10_000)
    resident.result_buttons[0].click()
    name = window.screens["register_name"]
    name.first_name.setText("Rosa")
    name.last_name.setText("Martínez")
    name.next_button.click()
    contact = window.screens["register_contact"]
    contact.phone.setText(phone)
    contact.email.setText("rosa@example.org")
    contact.next_button.click()
    address = window.screens["register_address"]
    address.line1.setText("1200 Main St")
    address.city.setText("Houston")
    address.state.setText("tx")
    address.postal_code.setText("77002")
    address.next_button.click()
    pin = window.screens["register_pin"]
    pin.pin.setText(PIN)
    pin.pin_confirm.setText(PIN)
    pin.next_button.click()
    assert window.current_screen_name() == "review"


@pytest.mark.gui
def test_family_registers_and_the_server_has_the_account(
    qtbot: QtBot, live_server: LiveServer, tmp_path: Path, vault: Vault, kiosk: Kiosk
) -> None:
    services = live_server.app.state.services
    window = _window(qtbot, kiosk)
    _register(window, qtbot, "(713) 555-0188")
    with qtbot.waitSignal(kiosk.workflow.answered, timeout=15_000) as done:
        window.screens["review"].create_button.click()
    assert done.args[1].outcome is RegistrationOutcome.CREATED
    qtbot.waitUntil(lambda: window.current_screen_name() == "done")
    account_id = done.args[1].account_id

    with services.db.transaction() as session:
        account = session.get(Account, account_id)
        assert account is not None
        assert (account.first_name, account.last_name) == ("Rosa", "Martínez")
        assert account.phone == "+17135550188" and account.state == "TX"
        assert verify_pin(account.pin_hash, PIN)
        link = session.execute(
            select(LinkedResident).where(LinkedResident.account_id == account_id)
        ).scalar_one()
        assert (link.facility_id, link.resident_id) == (
            "harbor-county-jail", "harbor-county-jail:007")
    # The kiosk's token went to the keyring, and the one-time code is spent.
    assert vault.get("kiosk-token")
    kiosk.close()  # everything written, WAL included, before the scan
    for file in tmp_path.glob("kiosk.sqlite3*"):
        assert b'"pin"' not in file.read_bytes()


@pytest.mark.gui
def test_known_phone_shows_the_server_message_on_the_phone_step(
    qtbot: QtBot, kiosk: Kiosk
) -> None:
    window = _window(qtbot, kiosk)
    _register(window, qtbot, "(713) 555-0190")
    with qtbot.waitSignal(kiosk.workflow.answered, timeout=15_000):
        window.screens["review"].create_button.click()
    window.screens["done"].finish_button.click()
    _register(window, qtbot, "713-555-0190")
    with qtbot.waitSignal(kiosk.workflow.failed, timeout=15_000) as failed:
        window.screens["review"].create_button.click()
    assert failed.args == ["phone_registered", "phone"]
    qtbot.waitUntil(lambda: window.current_screen_name() == "register_contact")
    assert "already has an account" in window.screens["register_contact"].error_text("phone")


@pytest.mark.gui
def test_offline_sign_up_is_saved_and_sent_when_the_server_is_back(
    qtbot: QtBot, live_server: LiveServer, kiosk: Kiosk
) -> None:
    services = live_server.app.state.services
    # First contact works (facilities are cached), then the network goes away.
    window = _window(qtbot, kiosk)
    _register(window, qtbot, "(713) 555-0191")
    kiosk.client.base_url = f"http://127.0.0.1:{free_port()}"
    with qtbot.waitSignal(kiosk.workflow.answered, timeout=30_000) as done:
        window.screens["review"].create_button.click()
    assert done.args[1].outcome is RegistrationOutcome.QUEUED
    qtbot.waitUntil(lambda: window.current_screen_name() == "done")
    assert len(kiosk.store.pending()) == 1

    kiosk.client.base_url = live_server.url  # the network is back
    kiosk.workflow.sync_now()
    qtbot.waitUntil(lambda: not kiosk.store.pending(), timeout=15_000)
    with services.db.transaction() as session:
        phones = session.execute(select(Account.phone)).scalars().all()
    assert phones == ["+17135550191"]
