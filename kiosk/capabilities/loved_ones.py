"""A loved one added while the central API cannot be reached (docs/offline.md, "A loved one
added offline"): the family confirms with their PIN, which goes to the vault; the link goes
to the outbox and is sent, signed in with that PIN, when the server is back."""

from __future__ import annotations

import dataclasses
import logging
import uuid

from kiosk.capabilities import Outcome
from kiosk.capabilities.family import FamilySessions
from kiosk.domain import AccountView
from kiosk.requests import LoadAccount, QueueLovedOne
from kiosk.store import LINK_PIN_PREFIX, LocalStore
from services.vault import Vault

log = logging.getLogger(__name__)

class LinkQueue:
    def __init__(self, store: LocalStore, vault: Vault, family: FamilySessions) -> None:
        self._store = store
        self._vault = vault
        self._family = family

    def account(self, request: LoadAccount) -> Outcome[AccountView]:
        """The account as the server has it, with the loved ones still waiting here: the
        home does not lose them when the server answers before the outbox is drained."""
        outcome = self._family.account(request)
        waiting = self._store.waiting_links(outcome.value.account_id)
        if not waiting:
            return outcome
        return Outcome(dataclasses.replace(outcome.value, waiting_loved_ones=tuple(waiting)))

    def queue(self, request: QueueLovedOne) -> Outcome[AccountView]:
        """Worker threads only. The session is read first: a family wiped meanwhile queues
        nothing. The answer is the account the home shows, with the loved one waiting."""
        session = self._family.current()
        phone = self._family.phone()
        secret_ref = self._vault.put_new(LINK_PIN_PREFIX, request.pin)
        outbox_id = self._store.queue_link(
            {"account_id": session.account_id, "phone": phone,
             "facility_id": request.facility_id, "resident_id": request.resident_id,
             "resident_name": request.resident_name},
            secret_ref, f"link:{uuid.uuid4()}",
        )
        log.info("link %s queued for when the server is back", outbox_id)
        waiting = tuple(self._store.waiting_links(session.account_id))
        return Outcome(dataclasses.replace(request.account, waiting_loved_ones=waiting),
                       online=False)
