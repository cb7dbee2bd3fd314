"""The real KioskController: runs each request on a worker thread against the central API,
keeps sign-ups in the outbox when offline, and reports back through signals."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import asdict
from functools import partial
from typing import Any, TypeVar

from PySide6.QtCore import QObject

from kiosk.controller import KioskController
from kiosk.domain import (
    FacilitySummary,
    Registration,
    RegistrationOutcome,
    RegistrationResult,
)
from kiosk.store import LocalStore, OutboxState
from kiosk.tasks import TaskRunner
from services.central_client import CentralClient, CentralError, CentralUnreachable
from services.sync import OutboxSender
from services.vault import Vault, VaultError

log = logging.getLogger(__name__)
T = TypeVar("T")

TOKEN_ENTRY = "kiosk-token"  # noqa: S105 - the vault entry's name, not a secret


class RegistrationRejected(Exception):
    def __init__(self, code: str, field: str) -> None:
        super().__init__(code)
        self.code = code
        self.field = field


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
        tasks: TaskRunner | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._enrollment_code = enrollment_code.strip()
        self._kiosk_name = kiosk_name
        self._token_lock = threading.Lock()
        self._client = client
        self._store = store
        self._vault = vault
        self._sender = sender
        self._tasks = tasks or TaskRunner(parent=self)
        self._in_flight = 0
        self._online: bool | None = None
        self._payments_available = vault.secure

    @property
    def tasks(self) -> TaskRunner:
        return self._tasks

    # -- plumbing --------------------------------------------------------------------------

    def _ensure_token(self) -> None:
        """Worker threads only: load the kiosk's token from the vault, or enroll once."""
        with self._token_lock:
            if self._client.token:
                return
            token = self._vault.get(TOKEN_ENTRY)
            if token is None:
                if not self._enrollment_code:
                    raise CentralError("kiosk_not_enrolled", "no token and no enrollment code")
                enrollment = self._client.enroll(self._enrollment_code, self._kiosk_name)
                self._enrollment_code = ""  # codes work once
                token = enrollment.token
                self._vault.put(TOKEN_ENTRY, token)
                self._store.audit("kiosk_enrolled", enrollment.kiosk_id)
            self._client.token = token

    def _authorized(self, work: Callable[[], T]) -> Callable[[], T]:
        def run() -> T:
            self._ensure_token()
            return work()

        return run

    def _run(self, work: Callable[[], T], on_result: Callable[[T], None]) -> None:
        self._in_flight += 1
        if self._in_flight == 1:
            self.busy_changed.emit(True)

        def done(value: T) -> None:
            self._settle()
            on_result(value)

        def error(exc: Exception) -> None:
            self._settle()
            self._report(exc)

        self._tasks.submit(work, done, error)

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

    def _report(self, exc: Exception) -> None:
        if isinstance(exc, RegistrationRejected):
            self._set_online(True)
            self.failed.emit(exc.code, exc.field)
        elif isinstance(exc, CentralUnreachable):
            self._set_online(False)
            self.failed.emit(exc.code, "")
        elif isinstance(exc, CentralError):
            self._set_online(True)
            code = "kiosk_not_enrolled" if exc.code == "unauthorized" else exc.code
            self.failed.emit(code, exc.field.removeprefix("address."))
        elif isinstance(exc, VaultError):
            log.error("vault failure: %s", exc)
            self.failed.emit("vault_error", "")
        else:
            log.error("unexpected failure in kiosk work", exc_info=exc)
            self.failed.emit("server_error", "")

    # -- requests from the screens ---------------------------------------------------------

    def load_facilities(self) -> None:
        self._run(self._authorized(self._fetch_facilities), self._facilities_fetched)

    def _fetch_facilities(self) -> tuple[list[FacilitySummary], bool]:
        try:
            facilities = self._client.facilities()
        except CentralUnreachable:
            cached = self._store.load_catalog("facilities")
            if cached is None:
                raise
            return [FacilitySummary(**item) for item in cached], False
        self._store.save_catalog("facilities", [asdict(f) for f in facilities])
        return facilities, True

    def _facilities_fetched(self, answer: tuple[list[FacilitySummary], bool]) -> None:
        facilities, online = answer
        self._set_online(online)
        self.facilities_loaded.emit(facilities)

    def search_residents(self, facility_id: str, query: str) -> None:
        def found(matches: list[Any]) -> None:
            self._set_online(True)
            self.residents_found.emit(matches)

        self._run(
            self._authorized(lambda: self._client.search_residents(facility_id, query)), found
        )

    def register(self, registration: Registration) -> None:
        def finished(result: RegistrationResult) -> None:
            self._set_online(result.outcome is RegistrationOutcome.CREATED)
            self.registration_finished.emit(result)

        self._run(lambda: self._register(registration), finished)

    def _register(self, registration: Registration) -> RegistrationResult:
        # The PIN goes to the vault; the outbox row only names the vault entry.
        secret_ref = self._vault.put_new("pin", registration.pin)
        outbox_id = self._store.queue_registration(
            registration.without_pin(), secret_ref, f"account:{uuid.uuid4()}"
        )
        try:
            self._ensure_token()
            sent = self._sender.send(outbox_id)
        except CentralError as exc:
            log.info("sign-up %s queued: %s", outbox_id, exc.code)
            return RegistrationResult(RegistrationOutcome.QUEUED)
        if sent.state is OutboxState.SENT:
            return RegistrationResult(RegistrationOutcome.CREATED, sent.account_id)
        raise RegistrationRejected(sent.error_code or "server_error", sent.error_field or "")

    # -- background upkeep -----------------------------------------------------------------

    def sync_now(self, *, retry_now: bool = False) -> None:
        """Send queued sign-ups that are due (all of them with ``retry_now``); called by a
        timer and when the network comes back. Quiet: no busy state, no messages."""

        def done(results: list[Any]) -> None:
            if results:
                self._set_online(True)

        def error(exc: Exception) -> None:
            log.info("sync failed: %s", exc)

        drain = partial(self._sender.drain, retry_now=retry_now)
        self._tasks.submit(self._authorized(drain), done, error)

    def check_connection(self) -> None:
        self._tasks.submit(self._client.is_reachable, self._set_online, lambda _exc: None)
