"""The composition root: the one place that builds the real objects and wires them up."""

from __future__ import annotations

import logging
import signal
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from kiosk.clock import Clock, SystemClock
from kiosk.config import ConfigError, Settings
from kiosk.domain import Language
from kiosk.store import LocalStore
from kiosk.workflow import KioskWorkflow
from services.central_client import CentralClient
from services.sync import OutboxSender, sweep_orphaned_secrets
from services.vault import Vault, open_vault
from ui.main_window import MainWindow

if TYPE_CHECKING:
    from services.receipts import ReceiptPrinter

log = logging.getLogger(__name__)


@dataclass
class Kiosk:
    settings: Settings
    store: LocalStore
    vault: Vault
    client: CentralClient
    workflow: KioskWorkflow

    def close(self) -> None:
        # Requests in flight stop retrying first, so closing waits for at most the one
        # attempt each worker is in, never for retries to a server that is gone.
        self.client.close()
        self.workflow.tasks.wait_until_idle(15_000)
        self.store.close()


def _receipt_printer(settings: Settings) -> ReceiptPrinter | None:
    """The configured receipt printer (python-escpos is imported only when there is one)."""
    if not settings.receipt_printer:
        return None
    from services.receipts import PrinterSpecError, ReceiptPrinter, printer_from_spec

    try:
        return ReceiptPrinter(printer_from_spec(settings.receipt_printer))
    except PrinterSpecError as exc:
        raise ConfigError(f"option 'receipt_printer': {exc}") from exc


def build_kiosk(
    settings: Settings, *, vault: Vault | None = None, clock: Clock | None = None,
    demo: bool = False, printer: ReceiptPrinter | None = None,
) -> Kiosk:
    """Everything but the widgets. Opening the keyring may touch D-Bus; do it before the
    window exists (it answers in milliseconds, or fails fast when there is no bus).
    ``demo``: the server lives only as long as this process, so the kiosk may enroll even
    with no secure keyring to keep its token (docs/offline.md, "Enrollment").
    ``printer``: instead of the configured one (the endurance run's paper-less printer)."""
    vault = vault or open_vault()
    store = LocalStore(settings.database_path, clock or SystemClock())
    sweep_orphaned_secrets(store, vault)
    client = CentralClient(
        settings.central_url,
        timeout=settings.request_timeout_seconds,
        ca_bundle=settings.ca_bundle or None,
    )
    workflow = KioskWorkflow(
        client=client,
        store=store,
        vault=vault,
        sender=OutboxSender(store, client, vault),
        enrollment_code=settings.enrollment_code,
        kiosk_name=settings.kiosk_name,
        enroll_without_keyring=demo,
        printer=printer or _receipt_printer(settings),
    )
    return Kiosk(settings, store, vault, client, workflow)


def build_window(kiosk: Kiosk) -> MainWindow:
    settings = kiosk.settings
    window = MainWindow(
        kiosk.workflow,
        idle_seconds=settings.idle_seconds,
        countdown_seconds=settings.countdown_seconds,
    )
    window.set_defaults(
        Language(settings.language),
        large_text=settings.large_text,
        high_contrast=settings.high_contrast,
    )
    return window


def _quit_on_signals(app: QApplication) -> None:
    """Ctrl+C or a service manager's SIGTERM closes the kiosk cleanly (so the demo's server
    is stopped too). Qt's loop does not run Python code by itself, hence the idle timer."""

    def request_quit(_signum: int, _frame: object) -> None:
        app.quit()

    signal.signal(signal.SIGINT, request_quit)
    signal.signal(signal.SIGTERM, request_quit)
    ticker = QTimer(app)
    ticker.setInterval(250)
    ticker.timeout.connect(lambda: None)
    ticker.start()


@dataclass
class Started:
    """A kiosk whose window is on screen, with the timer that keeps it in sync."""

    app: QApplication
    kiosk: Kiosk
    window: MainWindow
    sync: QTimer

    def close(self) -> None:
        self.sync.stop()
        self.kiosk.close()


def start_gui(settings: Settings, *, fullscreen: bool = False, vault: Vault | None = None,
              demo: bool = False) -> Started:
    """The kiosk up to its first screen on show (what ``run_gui`` runs, and what the
    start-up benchmark times)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Lobby Kiosk")
    kiosk = build_kiosk(settings, vault=vault, demo=demo)
    window = build_window(kiosk)
    sync = QTimer(window)
    sync.setInterval(settings.sync_interval_seconds * 1000)
    sync.timeout.connect(kiosk.workflow.sync_now)
    sync.timeout.connect(kiosk.workflow.check_connection)
    heartbeat = QTimer(window)
    heartbeat.setInterval(settings.heartbeat_seconds * 1000)
    heartbeat.timeout.connect(kiosk.workflow.heartbeat)
    heartbeat.start()
    kiosk.workflow.heartbeat()
    sync.start()
    kiosk.workflow.check_connection()
    kiosk.workflow.sync_now()
    if fullscreen:
        window.enter_kiosk_mode(hide_cursor=settings.hide_cursor)
    else:
        window.resize(1280, 800)
        window.show()
    return Started(app, kiosk, window, sync)


def run_gui(settings: Settings, *, fullscreen: bool = False, vault: Vault | None = None,
            demo: bool = False) -> int:
    started = start_gui(settings, fullscreen=fullscreen, vault=vault, demo=demo)
    _quit_on_signals(started.app)
    log.info("kiosk window shown (central API %s)", settings.central_url)
    try:
        return int(started.app.exec())
    finally:
        started.close()


def run_headless_demo(settings: Settings, vault: Vault, out_dir: Path) -> int:
    """No display: one family's whole visit off screen against the demo server."""
    from kiosk.demo_walk import run_headless

    app = QApplication.instance() or QApplication(sys.argv[:1])
    kiosk = build_kiosk(settings, vault=vault, demo=True)
    window = build_window(kiosk)
    try:
        return run_headless(window, out_dir)
    finally:
        window.close()
        kiosk.close()
        del app
