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
from kiosk.capabilities.cash import CashDesk, CashUnavailable, cash_update
from kiosk.capabilities.catalog import Catalog
from kiosk.capabilities.family import FamilySessions
from kiosk.capabilities.fleet import Heartbeat
from kiosk.capabilities.loved_ones import LinkQueue
from kiosk.capabilities.money import Money
from kiosk.capabilities.reader import ReaderDesk
from kiosk.capabilities.receipts import ReceiptDesk
from kiosk.capabilities.registration import RegistrationRejected, Registrations
from kiosk.capabilities.staff import StaffDesk
from kiosk.capabilities.subscriptions import Subscriptions
from kiosk.controller import KioskController
from kiosk.devices.reader_events import ReaderChanged
from kiosk.domain import Refusal
from kiosk.request_table import ROUTE_OF, Capabilities
from kiosk.requests import (
    DiscardOutboxEntry,
    QueueLovedOne,
    Register,
    Request,
    RetryOutbox,
)
from kiosk.store import LocalStore
from kiosk.sync import OutboxSender
from kiosk.tasks import TaskRunner
from services.central_client import (
    CentralClient,
    CentralError,
    CentralUnreachable,
    MalformedAnswer,
    ServiceState,
)
from services.vault import Vault, VaultError

if TYPE_CHECKING:
    from kiosk.devices.card_reader import CardReaderPort
    from kiosk.devices.relay import ReaderRelay

    # Only a kiosk with a printer pays for python-escpos's import (kiosk/app.py builds it).
    from services.receipts import ReceiptPrinter

log = logging.getLogger(__name__)

__all__ = ["TOKEN_ENTRY", "KioskWorkflow"]



class PaymentsUnavailable(Exception):
    """This kiosk takes no cards: it has no secure keyring (docs/offline.md, "The keyring")."""


def takes_card(request: Request) -> bool:
    """Whether ``request`` takes a card or starts a payment that would (the request table
    says). The quotes come first in their journeys, so a family is told on the first
    step, not after typing a card."""
    return bool(ROUTE_OF[type(request)].takes_card(request))


def _refuse_card(_request: Any) -> Outcome[Any]:
    raise PaymentsUnavailable


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
        cash: CashDesk | None = None,
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
        self._access = KioskAccess(client, store, vault, enrollment_code, kiosk_name,
                                   enroll_without_keyring=enroll_without_keyring)
        self.family = FamilySessions(client, self._access)
        self._receipts = ReceiptDesk(printer, lambda: self._online is not False)
        self._heartbeat = Heartbeat(
            client, self._access, sender, version=__version__, keyring_secure=vault.secure,
            printer_state=self._receipts.state, last_sync=lambda: self._last_sync,
            acceptor_state=lambda: self.cash.state,
        )
        self.staff = StaffDesk(client, store, self._access, sender)
        self.reader = ReaderDesk(self.family)
        capabilities = Capabilities(
            catalog=Catalog(client, store, self._access),
            registrations=Registrations(store, vault, sender, self._access, self.family),
            family=self.family,
            links=LinkQueue(store, vault, self.family),
            money=Money(client, self._access, self.family),
            subscriptions=Subscriptions(client, self._access, self.family),
            advisor=Advisor(client, self.family),
            receipts=self._receipts,
            staff=self.staff,
            cash=self._open_cash(cash or CashDesk(), sender),
            reader=self.reader,
        )
        # Each request's handler, from the one request table (kiosk/request_table.py).
        self._handlers: dict[type[Any], Callable[[Any], Outcome[Any]]] = {}
        for kind, route in ROUTE_OF.items():
            handler = route.handler(capabilities)
            self._handlers[kind] = self._audited(handler) if route.assisted else handler

    def _open_cash(self, cash: CashDesk, sender: OutboxSender) -> CashDesk:
        """The note acceptor's events reach the GUI thread through a relay (in order,
        queued), after the journal recorded them; its thread starts now, after the first
        paint (docs/devices.md)."""
        from kiosk.devices.relay import AcceptorRelay

        self.cash = cash
        cash.account_id = lambda: self.family.account_id

        def send() -> None:
            self._access.ensure()
            sender.drain(retry_now=True)

        cash.send = send

        def maximum() -> int:
            self._access.ensure()
            return self._client.cash_maximum()

        cash.maximum = maximum
        cash.staff_id = lambda: self.staff.member.id if self.staff.member is not None else ""
        self._cash_relay = AcceptorRelay(self)
        self._cash_relay.received.connect(self._cash_heard)
        cash.listen(self._cash_relay)
        self._cash_was_available = False
        cash.start()
        return cash

    def _cash_heard(self, event: object) -> None:
        """GUI thread: an acceptor event, journaled already."""
        update = cash_update(event)  # type: ignore[arg-type]
        if update.kind in ("stacked", "cashbox_removed"):
            self.sync_now()  # the note's deposit (or the count) goes now
        available = self.cash.available
        if available != self._cash_was_available:
            self._cash_was_available = available
            self.cash_changed.emit(available)
        self.cash_event.emit(update)

    @property
    def cash_available(self) -> bool:
        return self.cash.available

    @property
    def cash_alert(self) -> str:
        return self.cash.alert

    def close_devices(self) -> None:
        """At exit: the acceptor stops (a held note goes back); blocks up to 5 s."""
        self.cash.close()

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
        if not self._payments_available and takes_card(request):
            # The banner says card payments are unavailable: so they are, whatever a screen
            # asks (issue 19: the banner was shown while cards were charged).
            handler = _refuse_card
        counted = not ROUTE_OF[type(request)].background
        if counted:
            self._in_flight += 1
            if self._in_flight == 1:
                self.busy_changed.emit(True)

        def settle() -> None:
            if counted:
                self._settle()

        def done(outcome: Outcome[Any]) -> None:
            settle()
            if not ROUTE_OF[type(request)].local:
                self._set_online(outcome.online)
            self.answer(request, outcome.value)
            if isinstance(request, Register | QueueLovedOne) and outcome.online:
                # Online, what was queued with it (a staff-assisted sign-up's audit records)
                # goes now, so "Waiting to be sent" does not linger on the family's "Your
                # account is ready" until the next sync; the drain then counts what is left.
                self.sync_now()
            elif isinstance(request, Register | QueueLovedOne | RetryOutbox
                            | DiscardOutboxEntry):
                self.count_waiting()

        def error(exc: Exception) -> None:
            settle()
            self.refuse(request, self._refusal(exc))

        self._tasks.submit(lambda: handler(request), done, error)

    def attach_reader(self, port: CardReaderPort, relay: ReaderRelay) -> None:
        """GUI thread: the card reader's port, opened after the first paint (kiosk/app.py);
        its events, relayed onto this thread, go out as ``reader_event``."""
        relay.received.connect(self.reader_event)
        relay.received.connect(self._reader_news)
        self.reader.attach(port)

    def _reader_news(self, event: object) -> None:
        """A payment on the reader that staff ran for a family goes into the audit trail
        once the reader says it was approved (docs/staff-mode.md)."""
        if not (isinstance(event, ReaderChanged) and event.payment.state == "approved"
                and self.staff.member is not None):
            return
        payment, account = event.payment, self.family.account_id
        self._tasks.submit(lambda: self.staff.assisted(payment, payment, account),
                           lambda _v: None, lambda _e: None)

    def forget_family(self) -> None:
        if self.cash.configured:
            # A cash visit ends with the session: no more notes are taken, and what was
            # stacked (in the outbox already) goes now with the visit's receipt.
            self._tasks.submit(self.cash.end_visit, lambda _v: None,
                               lambda exc: log.error("ending the cash visit: %s", exc))
        # The idle wipe, signing out, finishing: a payment on the reader stops with them.
        self.reader.cancel()
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
        if isinstance(exc, PaymentsUnavailable):
            return Refusal("payments_unavailable")
        if isinstance(exc, CashUnavailable):
            return Refusal("cash_unavailable")
        if isinstance(exc, RegistrationRejected):
            self._set_online(True)
            return Refusal(exc.code, exc.field)
        if isinstance(exc, MalformedAnswer):
            # The server answered, with something this kiosk cannot read (a newer or broken
            # server): the family hears "something went wrong on our side"; the log says what.
            log.error("%s", exc)
            self._set_online(True)
            return Refusal(exc.code)
        if isinstance(exc, CentralUnreachable) and exc.code == "gateway_unavailable":
            # The server answered (503): only the card processor behind it is down.
            self._set_online(True)
            return Refusal(exc.code)
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
        return self._receipts.available

    def count_waiting(self) -> None:
        """Emit ``waiting_changed`` with the outbox's depth, counted on a worker."""
        self._tasks.submit(self._sender.waiting, self.waiting_changed.emit,
                           lambda exc: log.info("cannot count the outbox: %s", exc))

    def check_connection(self) -> None:
        self._tasks.submit(self._client.is_reachable, self._set_online, lambda _exc: None)
