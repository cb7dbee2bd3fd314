"""Sign-ups: the PIN to the vault, the rest to the outbox, sent at once when online."""

from __future__ import annotations

import logging
import uuid

from kiosk.capabilities import Outcome
from kiosk.capabilities.access import KioskAccess
from kiosk.capabilities.family import FamilySessions
from kiosk.domain import RegistrationOutcome, RegistrationResult
from kiosk.requests import Register
from kiosk.store import LocalStore, OutboxState
from kiosk.sync import OutboxSender
from services.central_client import CentralError
from services.vault import Vault

log = logging.getLogger(__name__)


class RegistrationRejected(Exception):
    def __init__(self, code: str, field: str) -> None:
        super().__init__(code)
        self.code = code
        self.field = field


class Registrations:
    def __init__(
        self,
        store: LocalStore,
        vault: Vault,
        sender: OutboxSender,
        access: KioskAccess,
        family: FamilySessions,
    ) -> None:
        self._store = store
        self._vault = vault
        self._sender = sender
        self._access = access
        self._family = family

    def register(self, request: Register) -> Outcome[RegistrationResult]:
        registration = request.registration
        # The PIN goes to the vault; the outbox row only names the vault entry.
        secret_ref = self._vault.put_new("pin", registration.pin)
        outbox_id = self._store.queue_registration(
            registration.without_pin(), secret_ref, f"account:{uuid.uuid4()}"
        )
        if request.assisted_by:
            self._store.staff_audit("staff_assisted_sign_up", request.assisted_by,
                                    outbox_id=outbox_id, photo_id_checked=True)
        try:
            self._access.ensure()
            sent = self._sender.send(outbox_id)
        except CentralError as exc:
            log.info("sign-up %s queued: %s", outbox_id, exc.code)
            return Outcome(RegistrationResult(RegistrationOutcome.QUEUED), online=False)
        if sent.state is not OutboxState.SENT:
            raise RegistrationRejected(sent.error_code or "server_error", sent.error_field or "")
        if request.assisted_by:
            # Staff are at the screen, not the family: no family session is opened.
            return Outcome(RegistrationResult(RegistrationOutcome.CREATED, sent.account_id))
        signed_in = self._sign_in(registration.phone_e164, registration.pin)
        return Outcome(
            RegistrationResult(RegistrationOutcome.CREATED, sent.account_id, signed_in)
        )

    def _sign_in(self, phone_e164: str, pin: str) -> bool:
        """The new family goes straight to their account; if that fails they sign in later."""
        try:
            self._family.open(phone_e164, pin)
        except CentralError as exc:
            log.info("sign-in after sign-up failed: %s", exc.code)
            return False
        return True
