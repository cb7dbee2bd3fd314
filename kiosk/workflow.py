"""The real KioskController: routes each typed request to its capability, runs it on the
worker pool (every HTTP call has the client's timeout), and reports back through signals."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from kiosk import __version__
from kiosk.capabilities import Outcome
from kiosk.capabilities.access import TOKEN_ENTRY, KioskAccess
from kiosk.capabilities.advisor import Advisor
from kiosk.capabilities.catalog import Catalog
from kiosk.capabilities.family import FamilySessions
from kiosk.capabilities.fleet import PRINTER_NONE, PRINTER_READY, Heartbeat
from kiosk.capabilities.loved_ones import LinkQueue
from kiosk.capabilities.money import Money
from kiosk.capabilities.registration import RegistrationRejected, Registrations
from kiosk.capabilities.staff import ASSISTED_REQUESTS, StaffDesk
from kiosk.capabilities.subscriptions import Subscriptions
from kiosk.controller import KioskController
from kiosk.domain import Refusal
from kiosk.requests import (
    AddLovedOne,
    AdviseFromEstimate,
    AdviseFromHistory,
    BuySubscription,
    Deposit,
    DiscardOutboxEntry,
    LoadAccount,
    LoadFacilities,
    LoadOutbox,
    LoadPlans,
    LoadRates,
    LoadSignUpConflicts,
    LoadTransactions,
    ManageSubscription,
    PrintReceipt,
    QueueLovedOne,
    QuoteDeposit,
    QuoteSubscription,
    RecordStaffAction,
    Register,
    Request,
    RequestRefund,
    ResolveSignUpConflict,
    RetryOutbox,
    SaveCard,
    SearchResidents,
    SignIn,
    StaffSignIn,
)
from kiosk.store import LocalStore
from kiosk.tasks import TaskRunner
from services.central_client import (
    CentralClient,
    CentralError,
    CentralUnreachable,
    ServiceState,
)
from services.sync import OutboxSender
from services.vault import Vault, VaultError

if TYPE_CHECKING:
    # Only a kiosk with a printer pays for python-escpos's import (kiosk/app.py builds it).
    from services.receipts import ReceiptPrinter

log = logging.getLogger(__name__)

__all__ = ["TOKEN_ENTRY", "KioskWorkflow"]

# Answered from this kiosk's own database: they say nothing about the network.
_LOCAL_REQUESTS = (LoadOutbox, DiscardOutboxEntry, RecordStaffAction)


class KioskWorkflow(KioskController):
    def __init__(
        self,
        *,
        client: CentralClient,
        store: LocalStore,
        vault: Vault,
        sender: OutboxSender,
        enrollment_code: str = "",
        kiosk_name: str = "kiosk",
        enroll_without_keyring: bool = False,
        printer: ReceiptPrinter | None = None,
        tasks: TaskRunner | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._sender = sender
        self._tasks = tasks or TaskRunner(parent=self)
        self._in_flight = 0
        self._online: bool | None = None
        self._payments_available = vault.secure
        self._in_service = True
        self._last_sync: datetime | None = None
        self._clock = store.clock
        self._printer = printer
        self._access = KioskAccess(client, store, vault, enrollment_code, kiosk_name,
                                   enroll_without_keyring=enroll_without_keyring)
        self.family = FamilySessions(client, self._access)
        self._heartbeat = Heartbeat(
            client, self._access, sender, version=__version__, keyring_secure=vault.secure,
            printer_state=self._printer_state, last_sync=lambda: self._last_sync,
        )
        catalog = Catalog(client, store, self._access)
        registrations = Registrations(store, vault, sender, self._access, self.family)
        links = LinkQueue(store, vault, self.family)
        money = Money(client, self._access, self.family)
        subscriptions = Subscriptions(client, self._access, self.family)
        advisor = Advisor(client, self.family)
        self.staff = StaffDesk(client, store, self._access, sender)
        self._handlers: dict[type[Any], Callable[[Any], Outcome[Any]]] = {
            LoadFacilities: catalog.facilities,
            SearchResidents: catalog.residents,
            Register: registrations.register,
            SignIn: self.family.sign_in,
            LoadAccount: links.account,
            QuoteDeposit: money.quote,
            Deposit: money.deposit,
            SaveCard: money.save_card,
            LoadPlans: subscriptions.plans,
            QuoteSubscription: subscriptions.quote,
            BuySubscription: subscriptions.buy,
            ManageSubscription: subscriptions.manage,
            LoadRates: subscriptions.rates,
            AdviseFromEstimate: advisor.from_estimate,
            AdviseFromHistory: advisor.from_history,
            PrintReceipt: self._print_receipt,
            AddLovedOne: self.family.add_loved_one,
            QueueLovedOne: links.queue,
            LoadTransactions: money.transactions,
            RequestRefund: money.refund,
            StaffSignIn: self.staff.sign_in,
            LoadSignUpConflicts: self.staff.conflicts,
            ResolveSignUpConflict: self.staff.resolve,
            LoadOutbox: self.staff.outbox,
            RetryOutbox: self.staff.retry,
            DiscardOutboxEntry: self.staff.discard,
            RecordStaffAction: self.staff.record,
        }
        for kind in ASSISTED_REQUESTS:
            self._handlers[kind] = self._audited(self._handlers[kind])

    def _audited(self, handler: Callable[[Any], Outcome[Any]]
                 ) -> Callable[[Any], Outcome[Any]]:
        """``handler``, whose success goes into the staff audit trail while staff mode is on
        (staff running a family's journey for them: docs/staff-mode.md)."""

        def run(request: Any) -> Outcome[Any]:
            outcome = handler(request)
            if self.staff.member is not None:
                self.staff.assisted(request, outcome.value, self.family.account_id)
            return outcome

        return run

    @property
    def tasks(self) -> TaskRunner:
        return self._tasks

    # -- the one request path --------------------------------------------------------------

    def request(self, request: Request) -> None:
        handler = self._handlers[type(request)]
        self._in_flight += 1
        if self._in_flight == 1:
            self.busy_changed.emit(True)

        def done(outcome: Outcome[Any]) -> None:
            self._settle()
            if not isinstance(request, _LOCAL_REQUESTS):
                self._set_online(outcome.online)
            self.answer(request, outcome.value)
            if isinstance(request, Register | QueueLovedOne | RetryOutbox | DiscardOutboxEntry):
                self.count_waiting()

        def error(exc: Exception) -> None:
            self._settle()
            self.refuse(request, self._refusal(exc))

        self._tasks.submit(lambda: handler(request), done, error)

    def forget_family(self) -> None:
        session = self.family.forget()
        if session is not None:
            # Ending it on the server can wait for a worker; the kiosk forgot it already.
            self._tasks.submit(lambda: self.family.close_remote(session), lambda _v: None,
                               lambda _e: None)

    def forget_staff(self) -> None:
        session = self.staff.forget()
        if session is not None:
            self._tasks.submit(lambda: self.staff.close_remote(session), lambda _v: None,
                               lambda _e: None)

    def _settle(self) -> None:
        self._in_flight -= 1
        if self._in_flight == 0:
            self.busy_changed.emit(False)

    def _set_online(self, online: bool) -> None:
        if online != self._online:
            self._online = online
            self.connection_changed.emit(online)
            if online:
                # The network is back: send what waited now, not after its backoff.
                self.sync_now(retry_now=True)

    def _refusal(self, exc: Exception) -> Refusal:
        if isinstance(exc, RegistrationRejected):
            self._set_online(True)
            return Refusal(exc.code, exc.field)
        if isinstance(exc, CentralUnreachable):
            self._set_online(False)
            return Refusal(exc.code, attempts_remaining=exc.attempts_remaining)
        if isinstance(exc, CentralError):
            self._set_online(True)
            code = ("kiosk_not_enrolled"
                    if exc.code in ("unauthorized", "token_revoked", "enrollment_unconfirmed")
                    else exc.code)
            return Refusal(
                code,
                exc.field.removeprefix("address."),
                attempts_remaining=exc.attempts_remaining,
                locked_until=exc.locked_until,
            )
        if isinstance(exc, VaultError):
            log.error("vault failure: %s", exc)
            return Refusal("vault_error")
        log.error("unexpected failure in kiosk work", exc_info=exc)
        return Refusal("server_error")

    # -- background upkeep -----------------------------------------------------------------

    def sync_now(self, *, retry_now: bool = False) -> None:
        """Send queued sign-ups that are due (all of them with ``retry_now``); called by a
        timer and when the network comes back. Quiet: no busy state, no messages."""

        def drain() -> tuple[list[Any], int]:
            try:
                self._access.ensure()
                results = self._sender.drain(retry_now=retry_now)
            except CentralError as exc:
                log.info("sync failed: %s", exc.code)
                results = []
            return results, self._sender.waiting()

        def done(drained: tuple[list[Any], int]) -> None:
            results, waiting = drained
            if results:
                self._set_online(True)
                self._last_sync = self._clock.now()
            self.waiting_changed.emit(waiting)

        def error(exc: Exception) -> None:
            log.info("sync failed: %s", exc)

        self._tasks.submit(drain, done, error)

    @property
    def in_service(self) -> bool:
        return self._in_service

    def heartbeat(self) -> None:
        """Report this kiosk's health to the server (on a worker); when an operator takes it
        out of service or back, ``service_changed`` says so. Quiet when offline: the kiosk
        keeps the last answer it had."""

        def done(state: ServiceState) -> None:
            self._set_online(True)
            if state.in_service != self._in_service:
                self._in_service = state.in_service
                self.service_changed.emit(state.in_service, state.reason)

        def error(exc: Exception) -> None:
            log.info("heartbeat failed: %s", exc)
            if isinstance(exc, CentralUnreachable):
                self._set_online(False)

        self._tasks.submit(self._heartbeat.beat, done, error)

    @property
    def printer_available(self) -> bool:
        return self._printer is not None

    def _print_receipt(self, request: PrintReceipt) -> Outcome[str]:
        """Worker threads only. A printer that is missing or out of paper is an answer (for
        a banner), never an error: the payment is done and the receipt was e-mailed."""
        if self._printer is None:
            return Outcome("printer_missing")
        from services.receipts import ReceiptText

        outcome = self._printer.print_receipt(ReceiptText(
            heading=request.heading, reference=request.reference, lines=request.lines,
            total=request.total, footer=request.footer,
        ))
        return Outcome(outcome.problem.value if outcome.problem else "",
                       online=self._online is not False)

    def _printer_state(self) -> str:
        """Worker threads only: what the heartbeat says of the receipt printer."""
        if self._printer is None:
            return PRINTER_NONE
        problem = self._printer.status()
        return PRINTER_READY if problem is None else problem.value

    def count_waiting(self) -> None:
        """Emit ``waiting_changed`` with the outbox's depth, counted on a worker."""
        self._tasks.submit(self._sender.waiting, self.waiting_changed.emit,
                           lambda exc: log.info("cannot count the outbox: %s", exc))

    def check_connection(self) -> None:
        self._tasks.submit(self._client.is_reachable, self._set_online, lambda _exc: None)
