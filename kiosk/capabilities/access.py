"""The kiosk's own credential: its token from the vault, or a one-time enrollment.

Enrollment cannot burn the code (docs/offline.md, "Enrollment"): the token goes into the
keyring as *pending* first, the server is told it is kept (which spends the code), and only
then does it become the kiosk's token. A crash at any point leaves either the code unspent
or a pending token that the next start confirms. With no secure keyring the kiosk does not
enroll at all, since a token held in memory is gone at the next restart.
"""

from __future__ import annotations

import threading

from kiosk.credentials import PENDING_TOKEN_ENTRY, TOKEN_ENTRY
from kiosk.store import LocalStore
from services.central_client import CentralClient, CentralError
from services.vault import Vault, VaultError

__all__ = ["PENDING_TOKEN_ENTRY", "TOKEN_ENTRY", "KioskAccess"]


class KioskAccess:
    def __init__(
        self,
        client: CentralClient,
        store: LocalStore,
        vault: Vault,
        enrollment_code: str,
        kiosk_name: str,
        *,
        enroll_without_keyring: bool = False,
    ) -> None:
        """``enroll_without_keyring``: only for a server that lives no longer than this
        process (the demo's), where a token lost at exit costs nothing."""
        self._client = client
        self._store = store
        self._vault = vault
        self._enrollment_code = enrollment_code.strip()
        self._kiosk_name = kiosk_name
        self._enroll_without_keyring = enroll_without_keyring
        self._lock = threading.Lock()

    def ensure(self) -> None:
        """Worker threads only: load the kiosk's token from the vault, or enroll once."""
        with self._lock:
            if self._client.token:
                return
            token = self._vault.get(TOKEN_ENTRY)
            if token is None:
                token = self._vault.get(PENDING_TOKEN_ENTRY) or self._enroll()
                self._confirm(token)
            self._client.token = token

    def _enroll(self) -> str:
        if not self._enrollment_code:
            raise CentralError("kiosk_not_enrolled", "no token and no enrollment code")
        if not self._vault.secure and not self._enroll_without_keyring:
            raise CentralError("keyring_unavailable",
                               "no secure keyring to keep the kiosk's token: not enrolling")
        enrollment = self._client.enroll(self._enrollment_code, self._kiosk_name)
        self._vault.put(PENDING_TOKEN_ENTRY, enrollment.token)
        if self._vault.get(PENDING_TOKEN_ENTRY) != enrollment.token:
            raise VaultError("the keyring did not keep the kiosk's token")
        self._store.audit("kiosk_enrolled", enrollment.kiosk_id)
        return enrollment.token

    def _confirm(self, token: str) -> None:
        """Spend the code on the server, then make the pending token the kiosk's own."""
        self._client.confirm_enrollment(token)
        self._enrollment_code = ""  # spent
        self._vault.put(TOKEN_ENTRY, token)
        self._vault.delete(PENDING_TOKEN_ENTRY)
        self._store.audit("kiosk_enrollment_confirmed")
