"""Secrets on the kiosk (its API token, a PIN waiting to be sent, card tokens) live only in
the OS keyring, through a backend we pick explicitly, never a plaintext file."""

from __future__ import annotations

import abc
import logging
import threading
import uuid
from collections.abc import Callable
from typing import TypeVar

import keyring.backend
from keyring.errors import KeyringError, PasswordDeleteError

log = logging.getLogger(__name__)
_T = TypeVar("_T")

SERVICE = "lobby-kiosk"
# Backends that keep secrets encrypted by the OS. Anything else (keyrings.alt's plaintext
# file, the null/fail backends) is never used, even if it is installed and ranked first.
SECURE_BACKEND_MODULES = frozenset(
    {
        "keyring.backends.SecretService",
        "keyring.backends.libsecret",
        "keyring.backends.kwallet",
        "keyring.backends.Windows",
        "keyring.backends.macOS",
    }
)


# Backends that reach the Secret Service over D-Bus. Asked to use a locked collection, they
# unlock it, which puts a desktop password prompt on the public screen and blocks until
# someone answers it: we check the lock first and never unlock from the kiosk.
SECRET_SERVICE_MODULES = frozenset({"keyring.backends.SecretService", "keyring.backends.libsecret"})
# Longest the kiosk waits at start-up for a keyring to prove itself usable.
PROBE_TIMEOUT_SECONDS = 1.0


class VaultError(RuntimeError):
    """The keyring refused a read or write."""


class Vault(abc.ABC):
    """Named secrets. ``secure`` is True only when they survive in an OS-protected store."""

    secure: bool

    @abc.abstractmethod
    def put(self, name: str, secret: str) -> None: ...

    @abc.abstractmethod
    def get(self, name: str) -> str | None: ...

    @abc.abstractmethod
    def delete(self, name: str) -> None:
        """Remove the secret; removing a missing one is not an error."""

    @abc.abstractmethod
    def names(self, prefix: str) -> list[str]:
        """The names of the stored secrets that start with ``prefix`` and a colon.

        Raises ``VaultError`` when the store cannot list its entries."""

    def close(self) -> None:  # noqa: B027 - most vaults hold nothing open
        """Let go of what the vault holds open (a D-Bus connection); secrets stay stored."""

    def put_new(self, prefix: str, secret: str) -> str:
        """Store ``secret`` under a fresh name and return the name (an outbox reference)."""
        name = f"{prefix}:{uuid.uuid4().hex}"
        self.put(name, secret)
        return name


class KeyringVault(Vault):
    secure = True

    def __init__(self, backend: keyring.backend.KeyringBackend, service: str = SERVICE) -> None:
        self._backend = backend
        self._service = service

    @property
    def backend_name(self) -> str:
        return f"{type(self._backend).__module__}.{type(self._backend).__name__}"

    def put(self, name: str, secret: str) -> None:
        try:
            self._backend.set_password(self._service, name, secret)
        except KeyringError as exc:
            raise VaultError(f"keyring refused to store {name!r}") from exc

    def get(self, name: str) -> str | None:
        try:
            value: str | None = self._backend.get_password(self._service, name)
        except KeyringError as exc:
            raise VaultError(f"keyring refused to read {name!r}") from exc
        return value

    def delete(self, name: str) -> None:
        try:
            self._backend.delete_password(self._service, name)
        except PasswordDeleteError:
            pass
        except KeyringError as exc:
            raise VaultError(f"keyring refused to delete {name!r}") from exc

    def names(self, prefix: str) -> list[str]:
        # The keyring API cannot list entries; the Secret Service can search by attribute.
        if type(self._backend).__module__ not in SECRET_SERVICE_MODULES:
            raise VaultError(f"{self.backend_name} cannot list its entries")
        import secretstorage

        try:
            connection = secretstorage.dbus_init()
            try:
                collection = secretstorage.Collection(connection)
                if collection.is_locked():
                    raise VaultError("the keyring is locked")
                found = [
                    item.get_attributes().get("username", "")
                    for item in collection.search_items({"service": self._service})
                ]
            finally:
                connection.close()
        except secretstorage.exceptions.SecretStorageException as exc:
            raise VaultError(f"keyring refused to list entries: {exc}") from exc
        return sorted(name for name in found if name.startswith(f"{prefix}:"))


class VolatileVault(Vault):
    """Used only when no secure keyring exists: secrets stay in this process's memory.

    Nothing is written anywhere, so nothing leaks, but nothing survives a restart either:
    the kiosk reports itself as insecure and switches card payments off.
    """

    secure = False

    def __init__(self) -> None:
        self._secrets: dict[str, str] = {}

    def put(self, name: str, secret: str) -> None:
        self._secrets[name] = secret

    def get(self, name: str) -> str | None:
        return self._secrets.get(name)

    def delete(self, name: str) -> None:
        self._secrets.pop(name, None)

    def names(self, prefix: str) -> list[str]:
        return sorted(name for name in self._secrets if name.startswith(f"{prefix}:"))


class KeyringUnusable(Exception):
    """This backend cannot hold the kiosk's secrets now (locked, broken or silent)."""


def _secret_service_locked() -> bool:
    import secretstorage

    connection = secretstorage.dbus_init()
    try:
        return bool(secretstorage.Collection(connection).is_locked())
    finally:
        connection.close()


def _probe(backend: keyring.backend.KeyringBackend) -> None:
    """Store, read back and delete a throwaway secret; raises ``KeyringUnusable``."""
    if type(backend).__module__ in SECRET_SERVICE_MODULES:
        from jeepney.wrappers import DBusErrorResponse
        from secretstorage.exceptions import SecretStorageException

        try:
            locked = _secret_service_locked()
        except (SecretStorageException, DBusErrorResponse, OSError) as exc:
            raise KeyringUnusable(f"the Secret Service did not answer: {exc}") from exc
        if locked:
            raise KeyringUnusable("its collection is locked (never unlocked from the kiosk)")
    probe = f"probe:{uuid.uuid4().hex}"
    try:
        backend.set_password(SERVICE, probe, "ok")
        answered = backend.get_password(SERVICE, probe) == "ok"
        backend.delete_password(SERVICE, probe)
    except (KeyringError, OSError) as exc:
        raise KeyringUnusable(str(exc)) from exc
    if not answered:
        raise KeyringUnusable("it did not give back what was stored")


def _usable_vault(backend: keyring.backend.KeyringBackend, service: str) -> Vault:
    """A vault on ``backend`` that stored, read back and deleted a throwaway secret; raises
    ``KeyringUnusable``. On the Secret Service it is ``SecretServiceVault``: one D-Bus
    connection for the kiosk's day instead of keyring's one per call (its docstring says
    which gnome-keyring race that avoids)."""
    if type(backend).__module__ == "keyring.backends.SecretService":
        from services.secret_service import SecretServiceVault

        vault = SecretServiceVault(service)
        try:
            vault.probe()
        except KeyringUnusable:
            vault.close()
            raise
        return vault
    _probe(backend)
    return KeyringVault(backend, service)


def _within(seconds: float, work: Callable[[], _T]) -> _T:
    """Run ``work`` on a daemon thread and give up after ``seconds``: a keyring that hangs
    (a prompt nobody answers, a stuck D-Bus peer) must not hold up the kiosk's start."""
    outcome: list[tuple[_T | None, BaseException | None]] = []

    def run() -> None:
        try:
            outcome.append((work(), None))
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller below
            outcome.append((None, exc))

    worker = threading.Thread(target=run, name="keyring-probe", daemon=True)
    worker.start()
    worker.join(seconds)
    if not outcome:
        raise KeyringUnusable(f"no answer within {seconds:g} s")
    result, error = outcome[0]
    if error is not None:
        raise error
    return result  # type: ignore[return-value]  # work() returned it


def _secure_candidates() -> list[keyring.backend.KeyringBackend]:
    candidates = [
        backend
        for backend in keyring.backend.get_all_keyring()
        if type(backend).__module__ in SECURE_BACKEND_MODULES
    ]
    candidates.sort(key=lambda b: b.priority, reverse=True)
    return candidates


def open_vault(service: str = SERVICE, timeout: float = PROBE_TIMEOUT_SECONDS) -> Vault:
    """The vault on the best-ranked secure backend that answers within ``timeout``, or a
    volatile one when no secure keyring exists."""
    for backend in _secure_candidates():
        try:
            return _within(timeout, lambda backend=backend: _usable_vault(backend, service))  # type: ignore[misc]
        except KeyringUnusable as exc:
            log.warning("keyring backend %s is not usable: %s", type(backend).__name__, exc)
    log.warning("no secure keyring: secrets stay in memory, card payments are off")
    return VolatileVault()


def find_secure_backend(
    timeout: float = PROBE_TIMEOUT_SECONDS,
) -> keyring.backend.KeyringBackend | None:
    """The best-ranked secure backend that actually answers within ``timeout``, or None."""
    for backend in _secure_candidates():
        try:
            _within(timeout, lambda backend=backend: _usable_vault(backend, SERVICE)).close()  # type: ignore[misc]
        except KeyringUnusable as exc:
            log.warning("keyring backend %s is not usable: %s", type(backend).__name__, exc)
            continue
        return backend
    return None
