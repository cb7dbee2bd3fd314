"""Sends the outbox to the central API, oldest first, each entry with its stored
Idempotency-Key, so a crash or a retry never creates anything twice."""

from __future__ import annotations

import json
import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, NoReturn

from kiosk.cash import CASH_BOX_COUNT, CASH_DEPOSIT, CASH_RECEIPT
from kiosk.store import (
    CREATE_ACCOUNT,
    LINK_PIN_PREFIX,
    LINK_RESIDENT,
    RECORD_AUDIT_EVENT,
    REPORT_CONFLICT,
    REPORT_LINK_CONFLICT,
    LocalStore,
    OutboxEntry,
    OutboxState,
)
from services.answers import CashCountAnswer, CashDepositAnswer, CashReceiptAnswer
from services.central_client import CentralClient, CentralError, CentralUnreachable
from services.vault import Vault, VaultError

log = logging.getLogger(__name__)

# Answers that mean "try again later", not "the server said no": the network, an overloaded
# or restarting server, a request still in flight elsewhere, a token being re-issued.
TRANSIENT_CODES = frozenset(
    {"offline", "timeout", "unauthorized", "request_in_flight", "server_error", "rate_limited"}
)
# "No" answers that mean the server already holds something that clashes with the entry.
CONFLICT_CODES = frozenset({"phone_registered"})
# A queued link (docs/offline.md, "A loved one added offline"): the answers that close it as
# a conflict the family is written about: the PIN they typed did not sign them in, or the
# account cannot take this loved one. A loved one already on the account is a success.
LINK_CONFLICT_CODES = frozenset({
    "pin_incorrect", "account_locked", "too_many_residents", "resident_unknown",
    "facility_unknown", "account_changed",
})
LINK_DONE_CODES = frozenset({"resident_already_linked"})
# Sign-in locked at this kiosk (too many wrong PINs by anyone): not this family's doing; a
# session that ended between signing in and linking: the next try signs in again.
LINK_TRANSIENT_CODES = frozenset({"kiosk_locked", "session_invalid", "session_expired"})


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with full jitter: try ``n`` waits a random time up to
    ``min(cap, base * 2**n)``, so a lobby full of kiosks coming back online together does
    not hit the server in step."""

    base_seconds: float = 2.0
    cap_seconds: float = 300.0

    def delay(self, attempts: int, rng: random.Random) -> timedelta:
        ceiling = min(self.cap_seconds, self.base_seconds * 2 ** min(attempts, 30))
        return timedelta(seconds=rng.uniform(0, ceiling))


@dataclass(frozen=True)
class SendResult:
    outbox_id: int
    state: OutboxState
    account_id: str | None = None
    error_code: str | None = None
    error_field: str | None = None


def is_transient(error: CentralError) -> bool:
    return (
        isinstance(error, CentralUnreachable)
        or error.code in TRANSIENT_CODES
        or error.status == 429  # too many requests: the server asks us to come back later
        or (error.status or 0) >= 500
    )


class OutboxSender:
    """Delivers outbox entries, oldest first; safe to call from several threads.

    A transient failure keeps the entry pending, due again after a backoff, and stops the
    drain there so that later entries never overtake it; a final "no" closes the entry as
    a conflict or a failure, with the server's answer, and the drain goes on."""

    def __init__(
        self,
        store: LocalStore,
        client: CentralClient,
        vault: Vault,
        *,
        backoff: Backoff | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self._store = store
        self._client = client
        self._vault = vault
        self._backoff = backoff or Backoff()
        self._rng = rng or random.Random()
        self._lock = threading.Lock()  # the GUI's "submit" and the periodic drain share it

    def send(self, outbox_id: int) -> SendResult:
        """Send one entry now, whether due or not (the family is waiting for it). Raises
        ``CentralError`` for a transient failure; the entry then stays pending."""
        with self._lock:
            return self._send_locked(outbox_id)

    def drain(self, *, retry_now: bool = False) -> list[SendResult]:
        """Send the pending entries that are due, in order; stop at a transient failure or
        at the first entry still backing off. ``retry_now`` ignores the backoff: for when
        the kiosk has just seen the network come back, or staff asked."""
        results: list[SendResult] = []
        now = self._store.clock.now()
        tried: set[int] = set()
        with self._lock:
            # Sending may queue more (a refused sign-up queues its conflict report): those
            # go out in the same drain, not at the next timer.
            while True:
                fresh = [e for e in self._store.pending() if e.id not in tried]
                if not fresh:
                    return results
                for entry in fresh:
                    tried.add(entry.id)
                    due = entry.next_attempt_at is None or entry.next_attempt_at <= now
                    if not due and not retry_now:
                        return results
                    try:
                        results.append(self._send_locked(entry.id))
                    except CentralError as exc:
                        log.info("outbox drain paused at %s: %s", entry.id, exc.code)
                        return results

    def waiting(self) -> int:
        """How many entries are still to be delivered."""
        return len(self._store.pending())

    def _send_locked(self, outbox_id: int) -> SendResult:
        entry = self._store.entry(outbox_id)
        if entry is None:
            raise LookupError(f"no outbox entry {outbox_id}")
        if OutboxState(entry.state).final:
            registration = self._store.registration_for(outbox_id)
            return SendResult(
                outbox_id,
                OutboxState(entry.state),
                registration.account_id if registration else None,
                registration.error_code if registration else None,
                registration.error_field if registration else None,
            )
        if entry.operation == REPORT_CONFLICT:
            return self._report(entry, self._client.report_sign_up_conflict)
        if entry.operation == RECORD_AUDIT_EVENT:
            return self._report(entry, self._client.record_audit_event)
        if entry.operation == REPORT_LINK_CONFLICT:
            return self._report(entry, self._client.report_link_conflict)
        if entry.operation == LINK_RESIDENT:
            return self._link(entry)
        if entry.operation == CASH_DEPOSIT:  # a stacked note (docs/cash.md)
            return self._report(entry, self._client.post_cash_deposit)
        if entry.operation == CASH_BOX_COUNT:
            return self._report(entry, self._client.post_cash_count)
        if entry.operation == CASH_RECEIPT:
            return self._report(entry, self._client.post_cash_receipt)
        if entry.operation != CREATE_ACCOUNT:
            raise ValueError(f"unknown outbox operation {entry.operation!r}")
        pin = self._vault.get(entry.secret_ref) if entry.secret_ref else None
        if pin is None:
            # The PIN lived in a volatile vault and the kiosk restarted: the family must
            # sign up again; staff see the failed entry.
            self._store.finish(outbox_id, OutboxState.FAILED, error_code="secret_lost")
            return SendResult(outbox_id, OutboxState.FAILED, error_code="secret_lost")
        body = json.loads(entry.payload)
        body["pin"] = pin
        try:
            account_id = self._client.create_account(body, entry.idempotency_key)
        except CentralError as exc:
            if is_transient(exc):
                self._retry_later(entry, exc)
            state = OutboxState.CONFLICT if exc.code in CONFLICT_CODES else OutboxState.FAILED
            field = exc.field.removeprefix("address.")
            self._store.finish(outbox_id, state, error_code=exc.code, error_field=field,
                               problem_title=exc.problem_title,
                               problem_detail=exc.problem_detail)
            self._forget(entry.secret_ref)
            return SendResult(outbox_id, state, None, exc.code, field)
        self._store.finish(outbox_id, OutboxState.SENT, account_id=account_id)
        self._forget(entry.secret_ref)
        return SendResult(outbox_id, OutboxState.SENT, account_id)

    def _link(self, entry: OutboxEntry) -> SendResult:
        """Sign the family in with the PIN they confirmed the link with, link, sign out."""
        pin = self._vault.get(entry.secret_ref) if entry.secret_ref else None
        if pin is None:
            self._store.finish(entry.id, OutboxState.FAILED, error_code="secret_lost")
            return SendResult(entry.id, OutboxState.FAILED, error_code="secret_lost")
        link = json.loads(entry.payload)
        try:
            self._link_signed_in(entry, link, pin)
        except CentralError as exc:
            if is_transient(exc) or exc.code in LINK_TRANSIENT_CODES:
                self._retry_later(entry, exc)
            if exc.code in LINK_DONE_CODES:  # linked already (by an earlier try, or staff)
                return self._link_done(entry, link)
            state = (OutboxState.CONFLICT if exc.code in LINK_CONFLICT_CODES
                     else OutboxState.FAILED)
            self._store.finish(entry.id, state, error_code=exc.code, error_field=exc.field)
            self._forget(entry.secret_ref)
            return SendResult(entry.id, state, None, exc.code, exc.field)
        return self._link_done(entry, link)

    def _link_signed_in(self, entry: OutboxEntry, link: dict[str, Any], pin: str) -> None:
        session = self._client.sign_in(str(link["phone"]), pin)
        try:
            if session.account_id != link["account_id"]:
                # The phone now signs in to another account: never link to that one.
                raise CentralError("account_changed", "the phone signs in to another account")
            self._client.link_resident(session, str(link["facility_id"]),
                                       str(link["resident_id"]), entry.idempotency_key)
        finally:
            try:
                self._client.sign_out(session.token)
            except CentralError as exc:  # it expires on its own
                log.info("sign-out after a queued link not confirmed: %s", exc.code)

    def _link_done(self, entry: OutboxEntry, link: dict[str, Any]) -> SendResult:
        account_id = str(link["account_id"])
        self._store.finish(entry.id, OutboxState.SENT, account_id=account_id)
        self._forget(entry.secret_ref)
        return SendResult(entry.id, OutboxState.SENT, account_id)

    def _retry_later(self, entry: OutboxEntry, exc: CentralError) -> NoReturn:
        retry_at = self._store.clock.now() + self._backoff.delay(entry.attempts + 1, self._rng)
        self._store.note_attempt(entry.id, exc.code, retry_at)
        raise exc

    def _report(self, entry: OutboxEntry,
                send: Callable[[dict[str, Any], str], Reported]) -> SendResult:
        """Send a report (a conflict, a staff action); a "no" from the server (no conflict
        after all, bad data) closes it as failed, for staff to see."""
        try:
            send(json.loads(entry.payload), entry.idempotency_key)
        except CentralError as exc:
            if is_transient(exc):
                self._retry_later(entry, exc)
            self._store.finish(entry.id, OutboxState.FAILED, error_code=exc.code,
                               error_field=exc.field, problem_title=exc.problem_title,
                               problem_detail=exc.problem_detail)
            return SendResult(entry.id, OutboxState.FAILED, error_code=exc.code,
                              error_field=exc.field)
        self._store.finish(entry.id, OutboxState.SENT)
        return SendResult(entry.id, OutboxState.SENT)

    def _forget(self, secret_ref: str | None) -> None:
        if secret_ref:
            self._vault.delete(secret_ref)


# What a report's send answers: nothing (a conflict, a staff action), or the server's typed
# answer to a cash row (docs/cash.md); the row is closed on success either way.
Reported = CashDepositAnswer | CashReceiptAnswer | CashCountAnswer | None

# The vault entries an outbox row may name: a sign-up's PIN, and the PIN a family confirmed a
# queued link with.
SECRET_PREFIXES = ("pin", LINK_PIN_PREFIX)


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
