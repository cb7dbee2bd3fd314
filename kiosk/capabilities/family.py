"""The signed-in family: sign in, the account, sign out. The session token lives in this
object's memory only; ``forget()`` drops it, and a sign-in that finishes after a wipe is
signed out at once instead of being kept."""

from __future__ import annotations

import logging
import threading

from domain import AccountView
from kiosk.capabilities import Outcome
from kiosk.capabilities.access import KioskAccess
from kiosk.requests import AddLovedOne, LoadAccount, SignIn
from services.central_client import CentralClient, CentralError, FamilySession

log = logging.getLogger(__name__)


class FamilySessions:
    def __init__(self, client: CentralClient, access: KioskAccess) -> None:
        self._client = client
        self._access = access
        self._lock = threading.Lock()
        self._session: FamilySession | None = None
        self._phone = ""  # the phone the family signed in with (E.164), with the session
        self._generation = 0  # bumped by forget(): older sign-ins must not come back

    @property
    def signed_in(self) -> bool:
        with self._lock:
            return self._session is not None

    @property
    def account_id(self) -> str:
        """The signed-in family's account id, or "" (never raises: for the audit trail)."""
        with self._lock:
            return "" if self._session is None else self._session.account_id

    def current(self) -> FamilySession:
        with self._lock:
            if self._session is None:
                raise CentralError("signed_out", "no family is signed in")
            return self._session

    def phone(self) -> str:
        """The signed-in family's phone (E.164): a queued link signs in with it later."""
        with self._lock:
            if self._session is None:
                raise CentralError("signed_out", "no family is signed in")
            return self._phone

    def open(self, phone_e164: str, pin: str) -> FamilySession:
        """Worker threads only: sign in and keep the session, unless wiped meanwhile."""
        with self._lock:
            generation = self._generation
        self._access.ensure()
        session = self._client.sign_in(phone_e164, pin)
        with self._lock:
            if generation == self._generation:
                self._session = session
                self._phone = phone_e164
                return session
        self.close_remote(session)
        raise CentralError("signed_out", "the session was wiped while signing in")

    def sign_in(self, request: SignIn) -> Outcome[AccountView]:
        session = self.open(request.phone_e164, request.pin)
        return Outcome(self._client.account(session))

    def account(self, request: LoadAccount) -> Outcome[AccountView]:
        return Outcome(self._client.account(self.current(), request.language))

    def add_loved_one(self, request: AddLovedOne) -> Outcome[AccountView]:
        """Link the resident, then read the account back: the home shows them at once."""
        session = self.current()
        self._client.link_resident(session, request.facility_id, request.resident_id,
                                   request.key)
        return Outcome(self._client.account(session))

    def forget(self) -> FamilySession | None:
        """Drop the session now (GUI thread); returns it so the caller can end it remotely."""
        with self._lock:
            self._generation += 1
            session, self._session = self._session, None
            self._phone = ""
        return session

    def close_remote(self, session: FamilySession) -> None:
        try:
            self._client.sign_out(session.token)
        except CentralError as exc:  # it expires on its own; nothing to tell the family
            log.info("sign-out not confirmed: %s", exc.code)
