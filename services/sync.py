"""Sends the outbox to the central API, oldest first, each entry with its stored
Idempotency-Key, so a crash or a retry never creates anything twice."""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass

from kiosk.store import LocalStore, OutboxState
from services.central_client import CentralClient, CentralError, CentralUnreachable
from services.vault import Vault, VaultError

log = logging.getLogger(__name__)

# Answers that mean "try again later", not "the server said no".
KEEP_PENDING_CODES = frozenset({"unauthorized", "request_in_flight", "server_error"})


@dataclass(frozen=True)
class SendResult:
    outbox_id: int
    state: OutboxState
    account_id: str | None = None
    error_code: str | None = None
    error_field: str | None = None


class OutboxSender:
    def __init__(self, store: LocalStore, client: CentralClient, vault: Vault) -> None:
        self._store = store
        self._client = client
        self._vault = vault
        self._lock = threading.Lock()  # the GUI's "submit" and the periodic drain share it

    def send(self, outbox_id: int) -> SendResult:
        """Send one entry now. Raises ``CentralUnreachable`` (entry stays pending) when
        offline, and ``CentralError`` for answers worth retrying later."""
        with self._lock:
            return self._send_locked(outbox_id)

    def drain(self) -> list[SendResult]:
        """Send every pending entry in order; stops at the first sign of being offline."""
        results: list[SendResult] = []
        with self._lock:
            for entry in self._store.pending():
                try:
                    results.append(self._send_locked(entry.id))
                except CentralError as exc:
                    log.info("outbox drain paused at %s: %s", entry.id, exc.code)
                    break
        return results

    def _send_locked(self, outbox_id: int) -> SendResult:
        entry = self._store.entry(outbox_id)
        if entry is None:
            raise LookupError(f"no outbox entry {outbox_id}")
        if entry.state != OutboxState.PENDING.value:
            registration = self._store.registration_for(outbox_id)
            return SendResult(
                outbox_id,
                OutboxState(entry.state),
                registration.account_id if registration else None,
                registration.error_code if registration else None,
                registration.error_field if registration else None,
            )
        if entry.operation != "create_account":
            raise ValueError(f"unknown outbox operation {entry.operation!r}")
        pin = self._vault.get(entry.secret_ref) if entry.secret_ref else None
        if pin is None:
            # The PIN lived in a volatile vault and the kiosk restarted: the family must
            # sign up again; staff see the rejected entry.
            self._store.finish(outbox_id, OutboxState.REJECTED, error_code="secret_lost")
            return SendResult(outbox_id, OutboxState.REJECTED, error_code="secret_lost")
        body = json.loads(entry.payload)
        body["pin"] = pin
        try:
            account = self._client.create_account(body, entry.idempotency_key)
        except CentralUnreachable as exc:
            self._store.note_attempt(outbox_id, exc.code)
            raise
        except CentralError as exc:
            if exc.code in KEEP_PENDING_CODES or (exc.status or 0) >= 500:
                self._store.note_attempt(outbox_id, exc.code)
                raise
            field = exc.field.removeprefix("address.")
            self._store.finish(
                outbox_id, OutboxState.REJECTED, error_code=exc.code, error_field=field
            )
            self._forget(entry.secret_ref)
            return SendResult(outbox_id, OutboxState.REJECTED, None, exc.code, field)
        self._store.finish(outbox_id, OutboxState.SENT, account_id=str(account["id"]))
        self._forget(entry.secret_ref)
        return SendResult(outbox_id, OutboxState.SENT, str(account["id"]))

    def _forget(self, secret_ref: str | None) -> None:
        if secret_ref:
            self._vault.delete(secret_ref)


SECRET_PREFIXES = ("pin",)


def sweep_orphaned_secrets(store: LocalStore, vault: Vault) -> int:
    """Delete the vault's PINs that no outbox row names; returns how many went.

    A crash between storing a PIN and queuing its sign-up, or between closing the entry and
    forgetting the PIN, would otherwise leave it in the keyring forever. Run it at start-up,
    before any sign-up can be half-way through."""
    needed = store.secret_refs()
    swept = 0
    for prefix in SECRET_PREFIXES:
        try:
            names = vault.names(prefix)
        except VaultError as exc:
            log.warning("cannot look for orphaned secrets: %s", exc)
            return swept
        for name in names:
            if name not in needed:
                vault.delete(name)
                swept += 1
    if swept:
        log.info("swept %d orphaned secret(s) from the vault", swept)
    return swept
