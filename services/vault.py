"""Secrets on the kiosk (its API token, a PIN waiting to be sent, card tokens) live only in
the OS keyring, through a backend we pick explicitly, never a plaintext file."""

from __future__ import annotations

import abc
import logging
import uuid

import keyring.backend
from keyring.errors import KeyringError, PasswordDeleteError

log = logging.getLogger(__name__)

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


def find_secure_backend() -> keyring.backend.KeyringBackend | None:
    """The best-ranked secure backend that actually answers, or None."""
    candidates = [
        backend
        for backend in keyring.backend.get_all_keyring()
        if type(backend).__module__ in SECURE_BACKEND_MODULES
    ]
    candidates.sort(key=lambda b: b.priority, reverse=True)
    for backend in candidates:
        probe = f"probe:{uuid.uuid4().hex}"
        try:
            backend.set_password(SERVICE, probe, "ok")
            answered = backend.get_password(SERVICE, probe) == "ok"
            backend.delete_password(SERVICE, probe)
        except (KeyringError, OSError) as exc:  # a locked or broken store is not usable
            log.warning("keyring backend %s is not usable: %s", type(backend).__name__, exc)
            continue
        if answered:
            return backend
    return None


def open_vault(service: str = SERVICE) -> Vault:
    """The keyring vault for ``service``, or a volatile one when no secure keyring exists."""
    backend = find_secure_backend()
    if backend is None:
        log.warning("no secure keyring: secrets stay in memory, card payments are off")
        return VolatileVault()
    return KeyringVault(backend, service)
