"""The kiosk's vault on the Secret Service (Linux): one D-Bus connection for the vault's
life. Imported only where keyring found the Secret Service (``services.vault.open_vault``):
secretstorage and jeepney exist on Linux only."""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import Callable
from typing import TypeVar

import secretstorage
import secretstorage.util
from jeepney.wrappers import DBusErrorResponse
from secretstorage.exceptions import ItemNotFoundException, SecretStorageException

from services.vault import SERVICE, KeyringUnusable, Vault, VaultError

_T = TypeVar("_T")

# What keyring's own Secret Service backend stores with each item: the same attributes, so a
# kiosk reads what it stored before it had this vault, and the other way round.
KEYRING_APPLICATION = "Python keyring library"


class SecretServiceVault(Vault):
    """The Secret Service over one D-Bus connection kept for the vault's life.

    keyring's own Secret Service backend opens a D-Bus connection for each call and closes it
    after. gnome-keyring-daemon has a race on a new client: if a connection's first message
    is a property read, the daemon may look the client up before it has recorded it, and it
    aborts (a GLib assertion, "gkd_secret_service_get_pkcs11_session: assertion 'client'
    failed"; seen in CI, and reported upstream by many desktop applications). An aborted
    daemon comes back locked, and a kiosk must never unlock it (docs/offline.md), so
    every card token and waiting PIN would be out of reach until someone logs in. One
    connection, whose first message is the method call that opens its session, leaves that
    race one chance a day, at start, instead of one on every call. A failed call drops the
    connection and is tried once more on a new one (a daemon that was restarted).

    The lock keeps the connection to one caller at a time (the kiosk's requests run on
    worker threads). It never unlocks a locked collection: that would put a password prompt
    on the public screen.
    """

    secure = True
    backend_name = "Secret Service (one D-Bus connection)"

    def __init__(self, service: str = SERVICE) -> None:
        self._service = service
        self._lock = threading.Lock()
        self._collection: secretstorage.Collection | None = None

    def _open(self) -> secretstorage.Collection:
        if self._collection is None:
            connection = secretstorage.dbus_init()
            try:
                session = secretstorage.util.open_session(connection)  # a method call first
                collection = secretstorage.Collection(connection, session=session)
            except BaseException:
                connection.close()
                raise
            self._collection = collection
        if self._collection.is_locked():
            raise VaultError("the keyring is locked (the kiosk never unlocks it)")
        return self._collection

    def _run(self, what: str, work: Callable[[secretstorage.Collection], _T]) -> _T:
        """``work`` on the vault's connection. A call that fails on a connection made earlier
        is tried once more on a new one (every call here can be repeated: a store replaces,
        a delete of a missing secret is no error): the daemon may have been restarted since,
        and a new daemon knows nothing of the old connection's session."""
        with self._lock:
            fresh = self._collection is None
            while True:
                try:
                    return work(self._open())
                except VaultError:
                    raise
                except (SecretStorageException, DBusErrorResponse, OSError, ValueError) as exc:
                    self._drop()
                    if fresh:
                        raise VaultError(f"keyring refused to {what}") from exc
                    fresh = True

    def _drop(self) -> None:
        if self._collection is not None:
            self._collection.connection.close()
            self._collection = None

    def close(self) -> None:
        with self._lock:
            self._drop()

    def _query(self, name: str) -> dict[str, str]:
        return {"username": name, "service": self._service}

    def put(self, name: str, secret: str) -> None:
        label = f"Password for '{name}' on '{self._service}'"
        attributes = {**self._query(name), "application": KEYRING_APPLICATION}
        self._run(
            f"store {name!r}",
            lambda collection: collection.create_item(
                label, attributes, secret.encode(), replace=True
            ),
        )

    def get(self, name: str) -> str | None:
        def read(collection: secretstorage.Collection) -> str | None:
            for item in collection.search_items(self._query(name)):
                return item.get_secret().decode()
            return None

        return self._run(f"read {name!r}", read)

    def delete(self, name: str) -> None:
        def delete(collection: secretstorage.Collection) -> None:
            for item in collection.search_items(self._query(name)):
                with contextlib.suppress(ItemNotFoundException):  # gone since the search
                    item.delete()

        self._run(f"delete {name!r}", delete)

    def names(self, prefix: str) -> list[str]:
        def listed(collection: secretstorage.Collection) -> list[str]:
            return [
                item.get_attributes().get("username", "")
                for item in collection.search_items({"service": self._service})
            ]

        found = self._run("list entries", listed)
        return sorted(name for name in found if name.startswith(f"{prefix}:"))

    def probe(self) -> None:
        """Store, read back and delete a throwaway secret; raises ``KeyringUnusable``."""
        name = f"probe:{uuid.uuid4().hex}"
        try:
            self.put(name, "ok")
            answered = self.get(name) == "ok"
            self.delete(name)
        except VaultError as exc:
            cause = exc.__cause__ or exc
            raise KeyringUnusable(f"{exc}: {cause}") from exc
        if not answered:
            raise KeyringUnusable("it did not give back what was stored")
