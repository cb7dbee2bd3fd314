"""What the end-to-end tests share: a real kiosk (workflow, SQLite, keyring) against the
live central API, its window, and the family's steps through the widgets' own methods."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from pytestqt.qtbot import QtBot

from kiosk.clock import SystemClock
from kiosk.store import LocalStore
from kiosk.workflow import KioskWorkflow
from services.central_client import CentralClient
from services.receipts import ReceiptPrinter
from services.sync import OutboxSender
from services.vault import Vault
from tests.central.family_support import PIN as FAMILY_PIN
from tests.central.family_support import Family, open_family
from ui.main_window import MainWindow

PIN = "5820"


class Kiosk:
    def __init__(self, url: str, code: str, data: Path, vault: Vault,
                 printer: ReceiptPrinter | None = None) -> None:
        self.store = LocalStore(data / "kiosk.sqlite3", SystemClock())
        self.vault = vault
        self.client = CentralClient(url, timeout=5)
        self.workflow = KioskWorkflow(
            client=self.client, store=self.store, vault=vault,
            sender=OutboxSender(self.store, self.client, vault),
            enrollment_code=code, kiosk_name="e2e",
            # Without `make test`'s keyring the journeys still run; the token is volatile.
            enroll_without_keyring=not vault.secure,
            printer=printer,
        )

    def close(self) -> None:
        self.workflow.tasks.wait_until_idle()
        self.store.close()


def make_window(qtbot: QtBot, kiosk: Kiosk) -> MainWindow:
    window = MainWindow(kiosk.workflow, idle_seconds=3600, countdown_seconds=20)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def register(window: MainWindow, qtbot: QtBot, phone: str) -> None:
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
    fill_sign_up_details(window, phone)
    assert window.current_screen_name() == "review"


def fill_sign_up_details(window: MainWindow, phone: str) -> None:
    """From the name step to the review: name, contact, address and PIN."""
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


def sign_in(window: MainWindow, qtbot: QtBot, phone: str, pin: str) -> None:
    """From the attract screen: Sign in, type the number and the PIN, press Next."""
    window.screens["attract"].start_button.click()
    window.screens["home"].sign_in_button.click()
    assert window.current_screen_name() == "sign_in"
    screen = window.screens["sign_in"]
    screen.phone.setText(phone)
    screen.pin.setText(pin)
    screen.next_button.click()


def wait_for_home(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: window.current_screen_name() == "account_home", timeout=15_000)
    home = window.screens["account_home"]
    # Shown with the account from sign-in, then refreshed: wait until that is done too.
    qtbot.waitUntil(
        lambda: home.account is not None and home.busy_indicator.isHidden(), timeout=15_000
    )


def signed_in(
    qtbot: QtBot, kiosk: Kiosk, api: TestClient, digits: str
) -> tuple[Family, MainWindow]:
    """A family registered through the API with phone ``digits`` (ten of them), signed in
    at the kiosk's window on its home."""
    family = open_family(api, phone=f"({digits[:3]}) {digits[3:6]}-{digits[6:]}")
    window = make_window(qtbot, kiosk)
    sign_in(window, qtbot, digits, FAMILY_PIN)
    wait_for_home(window, qtbot)
    return family, window
