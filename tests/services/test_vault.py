"""The vault: a real Secret Service (gnome-keyring in a private D-Bus session, started by
`make test`) and the volatile fallback when no secure keyring exists."""

from __future__ import annotations

import os

import keyring.backend
import pytest
from keyring.backends import fail

from services.vault import (
    SECURE_BACKEND_MODULES,
    KeyringVault,
    VolatileVault,
    find_secure_backend,
    open_vault,
)

NO_KEYRING = (
    "no Secret Service on this machine: run the suite with `make test`, which starts "
    "gnome-keyring-daemon inside dbus-run-session"
)


@pytest.fixture
def secret_service() -> keyring.backend.KeyringBackend:
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        pytest.skip(NO_KEYRING)
    backend = find_secure_backend()
    if backend is None:
        pytest.skip(NO_KEYRING)
    return backend


@pytest.mark.keyring
def test_real_secret_service_round_trip(secret_service: keyring.backend.KeyringBackend) -> None:
    assert type(secret_service).__module__ in SECURE_BACKEND_MODULES
    vault = KeyringVault(secret_service, service="lobby-kiosk-test")
    name = vault.put_new("pin", "4826")
    assert vault.get(name) == "4826"
    vault.delete(name)
    assert vault.get(name) is None
    vault.delete(name)  # deleting twice is fine


@pytest.mark.keyring
def test_open_vault_picks_the_secure_backend(
    secret_service: keyring.backend.KeyringBackend,
) -> None:
    vault = open_vault()
    assert isinstance(vault, KeyringVault) and vault.secure


def test_without_a_secure_backend_secrets_stay_in_memory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Only the "fail" backend and a plaintext-like impostor are available.
    class PlaintextFile(keyring.backend.KeyringBackend):
        priority = 10  # type: ignore[assignment]

        def get_password(self, service: str, username: str) -> str | None:
            raise AssertionError("a plaintext backend must never be used")

        def set_password(self, service: str, username: str, password: str) -> None:
            raise AssertionError("a plaintext backend must never be used")

        def delete_password(self, service: str, username: str) -> None:
            raise AssertionError("a plaintext backend must never be used")

    monkeypatch.setattr(
        keyring.backend, "get_all_keyring", lambda: [PlaintextFile(), fail.Keyring()]
    )
    vault = open_vault()
    assert isinstance(vault, VolatileVault) and vault.secure is False
    name = vault.put_new("pin", "1357")
    assert vault.get(name) == "1357"
    vault.delete(name)
    assert vault.get(name) is None
