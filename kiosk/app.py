"""The composition root: the one place that builds the real objects and wires them up.

Only what the window and its first screen need is imported at the top. The keyring, the
local store (SQLAlchemy) and the HTTP client (``requests``) are imported where they are
opened: in ``open_parts``, which ``start_gui`` runs on the worker pool once the first screen
is on show (docs/performance.md).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from kiosk.config import ConfigError, Settings
from kiosk.language import Language
from kiosk.opening import OpeningController
from kiosk.tasks import TaskRunner
from ui.main_window import MainWindow

if TYPE_CHECKING:
    from kiosk.capabilities.cash import CashDesk
    from kiosk.clock import Clock
    from kiosk.controller import KioskController
    from kiosk.store import LocalStore
    from kiosk.workflow import KioskWorkflow
    from services.central_client import CentralClient
    from services.receipts import ReceiptPrinter
    from services.vault import Vault

log = logging.getLogger(__name__)


@dataclass
class Kiosk:
    settings: Settings
    store: LocalStore
    vault: Vault
    client: CentralClient
    workflow: KioskWorkflow

    def close(self) -> None:
        # A payment on the card reader is canceled first (the port waits a few seconds).
        self.workflow.reader.close()
        # Requests in flight stop retrying first, so closing waits for at most the one
        # attempt each worker is in, never for retries to a server that is gone.
        self.client.close()
        self.workflow.close_devices()  # the acceptor stops before the journal's store closes
        self.workflow.tasks.wait_until_idle(15_000)
        self.store.close()
        self.vault.close()  # its D-Bus connection; a vault used again connects afresh


@dataclass
class Parts:
    """What ``open_parts`` opens: no Qt objects, so a worker thread may open them."""

    settings: Settings
    store: LocalStore
    vault: Vault
    client: CentralClient
    printer: ReceiptPrinter | None
    demo: bool
    cash: CashDesk | None = None  # the note acceptor and its journal, when configured

    def close(self) -> None:
        if self.cash is not None:
            self.cash.close()
        self.client.close()
        self.store.close()
        self.vault.close()


def _receipt_printer(settings: Settings) -> ReceiptPrinter | None:
    """The configured receipt printer (python-escpos is imported only when there is one)."""
    if not settings.receipt_printer:
        return None
    from services.receipts import PrinterSpecError, ReceiptPrinter, printer_from_spec

    try:
        return ReceiptPrinter(printer_from_spec(settings.receipt_printer))
    except PrinterSpecError as exc:
        raise ConfigError(f"option 'receipt_printer': {exc}") from exc


def _cash_desk(settings: Settings, store: LocalStore) -> CashDesk | None:
    """The configured note acceptor with its journal (docs/devices.md); its thread starts
    when the workflow is assembled."""
    if not settings.bill_acceptor:
        return None
    from kiosk.capabilities.cash import CashDesk
    from kiosk.devices.bill_acceptor import AcceptorSpecError

    try:
        return CashDesk.open(settings.bill_acceptor, store)
    except AcceptorSpecError as exc:
        raise ConfigError(f"option 'bill_acceptor': {exc}") from exc


def open_parts(
    settings: Settings, *, vault: Vault | None = None, clock: Clock | None = None,
    demo: bool = False, printer: ReceiptPrinter | None = None,
) -> Parts:
    """The keyring, the local store and the HTTP client: imports and I/O, and no Qt, so it
    runs on a worker (``start_gui``) or inline (``build_kiosk``). Opening the keyring may
    touch D-Bus (it answers in milliseconds, or fails fast when there is no bus)."""
    from kiosk.clock import SystemClock
    from kiosk.store import LocalStore
    from kiosk.sync import sweep_orphaned_secrets
    from services.central_client import CentralClient
    from services.vault import open_vault

    vault = vault or open_vault()
    store = LocalStore(settings.database_path, clock or SystemClock())
    try:
        sweep_orphaned_secrets(store, vault)
        client = CentralClient(
            settings.central_url,
            timeout=settings.request_timeout_seconds,
            ca_bundle=settings.ca_bundle or None,
        )
        printer = printer or _receipt_printer(settings)
        cash = _cash_desk(settings, store)
    except BaseException:
        store.close()
        raise
    # Imported here, off the GUI thread, for later: the workflow's module (``assemble``
    # then finds it loaded) and the validators the forms call as a family types.
    import email_validator  # noqa: F401
    import phonenumbers  # noqa: F401

    import kiosk.workflow  # noqa: F401

    return Parts(settings, store, vault, client, printer, demo, cash)


def assemble(parts: Parts, *, tasks: TaskRunner | None = None) -> Kiosk:
    """GUI thread: the workflow (a QObject) over opened parts."""
    from kiosk.sync import OutboxSender
    from kiosk.workflow import KioskWorkflow

    settings = parts.settings
    workflow = KioskWorkflow(
        client=parts.client,
        store=parts.store,
        vault=parts.vault,
        sender=OutboxSender(parts.store, parts.client, parts.vault),
        enrollment_code=settings.enrollment_code,
        kiosk_name=settings.kiosk_name,
        enroll_without_keyring=parts.demo,
        printer=parts.printer,
        tasks=tasks,
        cash=parts.cash,
    )
    open_card_reader(workflow, parts.client)
    return Kiosk(settings, parts.store, parts.vault, parts.client, workflow)


def open_card_reader(workflow: KioskWorkflow, client: CentralClient) -> None:
    """The card reader's port (docs/devices.md "The card reader"): the server drives the
    reader, so the port needs only the client. Opened with the other parts, after the
    first paint (``start_gui``); its events reach the GUI thread through the relay."""
    from kiosk.devices.card_reader import ServerCardReader
    from kiosk.devices.relay import ReaderRelay

    relay = ReaderRelay(workflow)
    workflow.attach_reader(ServerCardReader(client, relay), relay)


def build_kiosk(
    settings: Settings, *, vault: Vault | None = None, clock: Clock | None = None,
    demo: bool = False, printer: ReceiptPrinter | None = None,
) -> Kiosk:
    """Everything but the widgets, opened here and now (tests, the headless demo; the
    kiosk itself opens them after its first screen, ``start_gui``).
    ``demo``: the server lives only as long as this process, so the kiosk may enroll even
    with no secure keyring to keep its token (docs/offline.md, "Enrollment").
    ``printer``: instead of the configured one (the endurance run's paper-less printer)."""
    return assemble(open_parts(settings, vault=vault, clock=clock, demo=demo, printer=printer))


def build_window(kiosk: Kiosk) -> MainWindow:
    return _window(kiosk.workflow, kiosk.settings)


def _window(controller: KioskController, settings: Settings, *,
            first_frame_only: bool = False) -> MainWindow:
    window = MainWindow(
        controller,
        idle_seconds=settings.idle_seconds,
        countdown_seconds=settings.countdown_seconds,
        first_frame_only=first_frame_only,
    )
    window.set_office_language(Language(settings.office_language))
    window.set_defaults(
        Language(settings.language),
        large_text=settings.large_text,
        high_contrast=settings.high_contrast,
    )
    return window


def _quit_on_signals(app: QApplication) -> None:
    """Ctrl+C or a service manager's SIGTERM closes the kiosk cleanly (so the demo's server
    is stopped too). Qt's loop does not run Python code by itself, hence the idle timer.

    ``exit``, not ``quit``: since Qt 6, ``quit`` first asks every window to close and gives
    up when one refuses, and kiosk mode's window refuses (ui/lockdown.py), so a kiosk under
    systemd or cage could only be stopped by SIGKILL. The signal comes from the service
    manager or the terminal, never from the family at the screen, so it ends the loop
    whatever the lockdown says; ``run_gui`` then closes the store as after any exit."""
    import signal

    def request_quit(signum: int, _frame: object) -> None:
        log.info("%s: the kiosk stops", signal.Signals(signum).name)
        app.exit(0)

    signal.signal(signal.SIGINT, request_quit)
    signal.signal(signal.SIGTERM, request_quit)
    ticker = QTimer(app)
    ticker.setInterval(250)
    ticker.timeout.connect(lambda: None)
    ticker.start()


class AfterFirstPaint(QObject):
    """Calls ``then`` once, on the turn of the event loop after ``window`` is first painted
    (the paint is done by then), or after ``fallback_ms`` should the window never be
    painted (a display that never exposes it): work started then does not delay the
    first frame, not even by competing with it for the interpreter."""

    def __init__(self, window: MainWindow, then: Callable[[], None],
                 fallback_ms: int = 3000) -> None:
        super().__init__(window)
        self._window = window
        self._then = then
        self._done = False
        window.installEventFilter(self)
        QTimer.singleShot(fallback_ms, self, self._fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Paint:
            self._window.removeEventFilter(self)
            QTimer.singleShot(0, self, self._fire)
        return False

    def _fire(self) -> None:
        if self._done:
            return
        self._done = True
        self._window.removeEventFilter(self)
        self._then()


@dataclass
class Started:
    """A kiosk whose window is on screen. Its parts open on a worker right after the first
    frame (``open``); ``kiosk`` is set, and the timers that keep it in sync start, once they
    are open. ``failure`` is why they could not be opened (``run_gui`` then quits and
    raises it)."""

    app: QApplication
    window: MainWindow
    controller: OpeningController
    settings: Settings
    sync: QTimer
    heartbeat: QTimer
    kiosk: Kiosk | None = None
    failure: BaseException | None = None
    # Set by ``run_gui``, whose event loop then ends on a failure to open (quitting an
    # application whose loop is not running would end the next loop anyone starts).
    quit_on_failure: bool = False
    # Set by the worker when the parts are open, before the GUI thread has them: closing
    # early still closes them.
    _parts: list[Parts] = field(default_factory=list)

    def open(self, *, vault: Vault | None = None, demo: bool = False) -> None:
        """Open the parts on the worker pool; the GUI thread attaches them when done."""

        def work() -> Parts:
            parts = open_parts(self.settings, vault=vault, demo=demo)
            self._parts.append(parts)
            return parts

        self.controller.tasks.submit(work, self._opened, self._failed)

    def _opened(self, parts: Parts) -> None:
        if self.kiosk is not None or not self._parts:
            return  # closed before the answer came
        self.kiosk = assemble(parts, tasks=self.controller.tasks)
        workflow = self.kiosk.workflow
        # The window listens to everything the workflow says from now on (its turns after
        # the first paint are most likely done by now; if not, they are done here).
        self.window.finish_build()
        self.controller.attach(workflow)
        self.sync.timeout.connect(workflow.sync_now)
        self.sync.timeout.connect(workflow.check_connection)
        self.heartbeat.timeout.connect(workflow.heartbeat)
        # What waited in the outbox at the last shutdown goes now, not a sync interval on.
        workflow.heartbeat()
        workflow.check_connection()
        workflow.sync_now()
        self.heartbeat.start()
        self.sync.start()
        # The other screens are built while the kiosk waits for its first family.
        self.window.build_screens_while_idle()

    def _failed(self, exc: Exception) -> None:
        log.error("the kiosk could not open its keyring, store or client: %s", exc)
        self.failure = exc
        self.controller.fail()
        if self.quit_on_failure:
            self.app.exit(1)

    def wait_until_open(self, msecs: int = 30_000) -> Kiosk:
        """Tests and tools: wait (turning the event loop) until the parts are attached."""
        from PySide6.QtCore import QDeadlineTimer

        deadline = QDeadlineTimer(msecs)
        while self.kiosk is None and self.failure is None and not deadline.hasExpired():
            self.controller.tasks.wait_until_idle(50)
            self.app.processEvents()
        if self.failure is not None:
            raise self.failure
        if self.kiosk is None:
            raise TimeoutError("the kiosk's parts did not open")
        return self.kiosk

    def close(self) -> None:
        """Close the parts and let the window go: a process that starts a kiosk again (the
        tests, the start-up benchmark) keeps no window of an earlier one alive."""
        self.sync.stop()
        self.heartbeat.stop()
        self.window.deleteLater()
        if self.kiosk is not None:
            self.kiosk.close()
            return
        # Still opening: wait for it (bounded), and close what it opened.
        self.controller.tasks.wait_until_idle(15_000)
        for parts in self._parts:
            parts.close()
        self._parts.clear()


def start_gui(settings: Settings, *, fullscreen: bool = False, vault: Vault | None = None,
              demo: bool = False) -> Started:
    """The kiosk up to its first screen on show (what ``run_gui`` runs, and what the
    start-up benchmark times). The first frame is the window's header, banners and
    attract screen; once it is painted the keyring, store and client open on a worker and
    the rest of the window (the router, the other screens' table, the overlays) is built
    on the GUI thread in short turns of the event loop. Requests made before the parts are
    open wait for them, in order; a tap on the attract screen before the rest is built
    builds it at once."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Lobby Kiosk")
    controller = OpeningController(TaskRunner(), printer_configured=bool(
        settings.receipt_printer))
    # The first frame's part of the window only: the rest is built right after the first
    # paint (docs/performance.md "The kiosk's first paint").
    window = _window(controller, settings, first_frame_only=True)
    sync = QTimer(window)
    sync.setInterval(settings.sync_interval_seconds * 1000)
    heartbeat = QTimer(window)
    heartbeat.setInterval(settings.heartbeat_seconds * 1000)
    started = Started(app, window, controller, settings, sync, heartbeat)
    if fullscreen:
        window.enter_kiosk_mode(hide_cursor=settings.hide_cursor)
    else:
        window.show_windowed()

    def after_first_paint() -> None:
        started.open(vault=vault, demo=demo)  # on a worker, meanwhile
        window.build_rest()

    AfterFirstPaint(window, after_first_paint)
    return started


def run_gui(settings: Settings, *, fullscreen: bool = False, vault: Vault | None = None,
            demo: bool = False) -> int:
    started = start_gui(settings, fullscreen=fullscreen, vault=vault, demo=demo)
    started.quit_on_failure = True
    _quit_on_signals(started.app)
    log.info("kiosk window shown (central API %s)", settings.central_url)
    try:
        status = int(started.app.exec())
    finally:
        started.close()
    if started.failure is not None:
        raise started.failure
    return status


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
