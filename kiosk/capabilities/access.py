"""The kiosk's own credential: its token from the vault, or a one-time enrollment."""

from __future__ import annotations

import threading

from kiosk.store import LocalStore
from services.central_client import CentralClient, CentralError
from services.vault import Vault

TOKEN_ENTRY = "kiosk-token"  # noqa: S105 - the vault entry's name, not a secret


class KioskAccess:
    def __init__(
        self,
        client: CentralClient,
        store: LocalStore,
        vault: Vault,
        enrollment_code: str,
        kiosk_name: str,
    ) -> None:
        self._client = client
        self._store = store
        self._vault = vault
        self._enrollment_code = enrollment_code.strip()
        self._kiosk_name = kiosk_name
        self._lock = threading.Lock()

    def ensure(self) -> None:
        """Worker threads only: load the kiosk's token from the vault, or enroll once."""
        with self._lock:
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
