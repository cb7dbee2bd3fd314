"""What the end-to-end tests share: a real kiosk (workflow, SQLite, keyring) against the
live central API, its window, and the family's steps through the widgets' own methods."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PySide6.QtWidgets import QAbstractButton
from pytestqt.qtbot import QtBot

from kiosk.app import open_card_reader
from kiosk.capabilities.cash import CashDesk
from kiosk.clock import SystemClock
from kiosk.store import LocalStore
from kiosk.sync import OutboxSender
from kiosk.workflow import KioskWorkflow
from services.central_client import CentralClient
from services.receipts import ReceiptPrinter
from services.vault import Vault
from tests.central.family_support import PIN as FAMILY_PIN
from tests.central.family_support import Family, open_family
from ui.main_window import MainWindow

PIN = "5820"

# A money journey runs once on each card processor: the sandbox and Stripe (through the real
# stripe library, against the stand-in). See tests/e2e/conftest.py.
ON_EVERY_GATEWAY = pytest.mark.parametrize("gateway_name", ["sandbox", "stripe"])


class Kiosk:
    def __init__(self, url: str, code: str, data: Path, vault: Vault,
                 printer: ReceiptPrinter | None = None,
                 bill_acceptor: dict[str, Any] | None = None) -> None:
        self.store = LocalStore(data / "kiosk.sqlite3", SystemClock())
        # ``bill_acceptor``: a note acceptor on the NV200 simulator (its options: the
        # ``simulator`` to script, shorter intervals), opened as kiosk/app.py opens it.
        self.cash = (CashDesk.open("simulator", self.store, **bill_acceptor)
                     if bill_acceptor is not None else None)
        self.vault = vault
        self.client = CentralClient(url, timeout=5)
        self.workflow = KioskWorkflow(
            client=self.client, store=self.store, vault=vault,
            sender=OutboxSender(self.store, self.client, vault),
            enrollment_code=code, kiosk_name="e2e",
            # Without `make test`'s keyring the journeys still run; the token is volatile.
            enroll_without_keyring=not vault.secure,
            printer=printer,
            cash=self.cash,
        )
        # The card reader's port, as kiosk/app.py opens it (docs/devices.md).
        open_card_reader(self.workflow, self.client)

    def close(self) -> None:
        self.workflow.reader.close()  # as kiosk/app.py closes them
        self.workflow.close_devices()
        self.workflow.tasks.wait_until_idle()
        self.store.close()


def answer_to(qtbot: QtBot, kiosk: Kiosk, kind: type | tuple[type, ...],
              timeout: int = 15_000) -> Any:
    """Wait for the answer to a request of ``kind``: a screen's background loads (the staff
    home asks which card reader the kiosk has) answer too, at times of their own."""
    return qtbot.waitSignal(kiosk.workflow.answered, timeout=timeout,
                            check_params_cb=lambda request, _answer: isinstance(request, kind))


def make_window(qtbot: QtBot, kiosk: Kiosk) -> MainWindow:
    window = MainWindow(kiosk.workflow, idle_seconds=3600, countdown_seconds=20)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def register(window: MainWindow, qtbot: QtBot, phone: str) -> None:
    choose_resident(window, qtbot)
    fill_sign_up_details(window, phone)
    assert window.current_screen_name() == "review"


def choose_resident(window: MainWindow, qtbot: QtBot) -> None:
    """From the attract screen to a new account's first own step: Harbor County Jail and the
    first resident found for "lópez"."""
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


def next_through_pages(window: MainWindow, name: str) -> None:
    """Next on step ``name`` until the step is left: a form whose fields do not fit the
    window (large text at 1024x768) shows them a page at a time (issue 19)."""
    screen: Any = window.screens[name]
    for _ in range(screen.page_count):
        screen.next_button.click()
        if window.current_screen_name() != name:
            return


def fill_sign_up_details(window: MainWindow, phone: str) -> None:
    """From the name step to the review: name, contact, address and PIN."""
    name = window.screens["register_name"]
    name.first_name.setText("Rosa")
    name.last_name.setText("Martínez")
    next_through_pages(window, "register_name")
    contact = window.screens["register_contact"]
    contact.phone.setText(phone)
    contact.email.setText("rosa@example.org")
    next_through_pages(window, "register_contact")
    address = window.screens["register_address"]
    address.line1.setText("1200 Main St")
    address.city.setText("Houston")
    address.state.setText("tx")
    address.postal_code.setText("77002")
    next_through_pages(window, "register_address")
    if window.current_screen_name() == "register_handover":
        # Staff helping: they hand the screen to the family for the PIN (issue 19, item 10).
        window.screens["register_handover"].action_button.click()
    pin = window.screens["register_pin"]
    pin.pin.setText(PIN)
    pin.pin_confirm.setText(PIN)
    next_through_pages(window, "register_pin")


def sign_in(window: MainWindow, qtbot: QtBot, phone: str, pin: str) -> None:
    """From the attract screen: Sign in, type the number and the PIN, press Next."""
    window.screens["attract"].start_button.click()
    window.screens["home"].sign_in_button.click()
    assert window.current_screen_name() == "sign_in"
    screen = window.screens["sign_in"]
    screen.phone.setText(phone)
    screen.pin.setText(pin)
    screen.next_button.click()


def tap(qtbot: QtBot, button: QAbstractButton) -> None:
    """Tap ``button`` once it takes taps: a screen's action button is off while any request
    is under way, and under load that lasts past the answer the test waited for (a tap on a
    disabled button does nothing, and the test then waits for a screen that never comes)."""
    qtbot.waitUntil(lambda: button.isEnabled() and button.isVisible(), timeout=15_000)
    button.click()


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
