"""The vault: a real Secret Service (gnome-keyring in a private D-Bus session, started by
`make test`) and the volatile fallback when no secure keyring exists."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import keyring.backend
import pytest
import secretstorage
from jeepney.io.blocking import open_dbus_connection
from keyring.backends import fail

from kiosk.clock import SystemClock
from kiosk.store import LocalStore
from kiosk.sync import sweep_orphaned_secrets
from services.secret_service import SecretServiceVault
from services.vault import (
    SECURE_BACKEND_MODULES,
    KeyringVault,
    VaultError,
    VolatileVault,
    find_secure_backend,
    open_vault,
)
from tests import worker_keyring

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
    try:
        expected = (SecretServiceVault
                    if type(secret_service).__module__ == "keyring.backends.SecretService"
                    else KeyringVault)
        assert isinstance(vault, expected) and vault.secure
    finally:
        vault.close()


def _connections_so_far() -> int:
    """How many connections the session bus has handed a unique name (":1.N"), this one's
    included: the bus numbers them one after another."""
    probe = open_dbus_connection(bus="SESSION")
    try:
        assert probe.unique_name is not None
        return int(probe.unique_name.rsplit(".", 1)[1])
    finally:
        probe.close()


@pytest.mark.keyring
def test_the_secret_service_vault_keeps_one_connection_all_day(
    secret_service: keyring.backend.KeyringBackend,
) -> None:
    """keyring's backend opens a D-Bus connection per call, and a new connection whose first
    message reads a property can abort gnome-keyring-daemon (services/secret_service.py):
    a CI run lost its worker's keyring that way. The kiosk's vault connects once."""
    if type(secret_service).__module__ != "keyring.backends.SecretService":
        pytest.skip("the kiosk's own vault is for the Secret Service")
    vault = open_vault("lobby-kiosk-connection-test")
    assert isinstance(vault, SecretServiceVault)
    try:
        before = _connections_so_far()
        for n in range(20):
            name = vault.put_new("pin", f"{n:04d}")
            assert vault.get(name) == f"{n:04d}"
            vault.delete(name)
        assert vault.names("pin") == []
        assert _connections_so_far() == before + 1  # the second probe's own, nothing else
    finally:
        vault.close()


@pytest.mark.keyring
def test_the_vault_and_keyring_read_each_others_secrets(
    secret_service: keyring.backend.KeyringBackend,
) -> None:
    """A kiosk updated to this vault still finds the token and PINs keyring stored."""
    if type(secret_service).__module__ != "keyring.backends.SecretService":
        pytest.skip("the kiosk's own vault is for the Secret Service")
    service = "lobby-kiosk-upgrade-test"
    vault = SecretServiceVault(service)
    try:
        secret_service.set_password(service, "kiosk-token", "stored-by-keyring")
        assert vault.get("kiosk-token") == "stored-by-keyring"
        vault.put("kiosk-token", "stored-by-the-vault")
        assert secret_service.get_password(service, "kiosk-token") == "stored-by-the-vault"
        vault.delete("kiosk-token")
        assert secret_service.get_password(service, "kiosk-token") is None
    finally:
        vault.close()


@pytest.mark.keyring
def test_the_vault_outlives_a_restarted_daemon_and_never_unlocks(
    private_keyring: worker_keyring.PrivateKeyring,
) -> None:
    vault = SecretServiceVault("lobby-kiosk-restart-test")
    try:
        vault.put("kiosk-token", "kept")
        # Restarted: the vault's session belongs to the daemon that ended; the call is
        # tried again on a new connection and the family at the screen notices nothing.
        private_keyring.restart_daemon()
        assert vault.get("kiosk-token") == "kept"
        # Ended: a clear error, not a hang or a crash; back again, it answers again.
        assert private_keyring.daemon is not None
        private_keyring.daemon.kill()
        private_keyring.daemon.wait()
        with pytest.raises(VaultError, match="refused to read"):
            vault.get("kiosk-token")
        private_keyring.restart_daemon()
        assert vault.get("kiosk-token") == "kept"
        # Locked: refused, and left locked (an unlock would prompt on the public screen).
        connection = secretstorage.dbus_init()
        try:
            collection = secretstorage.Collection(connection, session=secretstorage.util
                                                  .open_session(connection))
            collection.lock()
            with pytest.raises(VaultError, match="locked"):
                vault.get("kiosk-token")
            assert collection.is_locked()
        finally:
            connection.close()
        private_keyring.restart_daemon()
    finally:
        vault.close()


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


@pytest.mark.keyring
def test_orphaned_pins_are_swept_and_needed_ones_kept(
    secret_service: keyring.backend.KeyringBackend, tmp_path: Path
) -> None:
    vault = KeyringVault(secret_service, service="lobby-kiosk-sweep-test")
    store = LocalStore(tmp_path / "kiosk.sqlite3", SystemClock())
    try:
        # A sign-up still waiting to be sent needs its PIN; a crash left another PIN behind.
        needed = vault.put_new("pin", "4826")
        store.queue_registration({"phone": "+15125550143"}, needed, "account:sweep-1")
        orphan = vault.put_new("pin", "7391")
        vault.put("kiosk-token", "token-kept")
        assert set(vault.names("pin")) == {needed, orphan}

        assert sweep_orphaned_secrets(store, vault) == 1
        assert vault.get(orphan) is None
        assert vault.get(needed) == "4826"
        assert vault.get("kiosk-token") == "token-kept"
        assert sweep_orphaned_secrets(store, vault) == 0
    finally:
        for name in vault.names("pin"):
            vault.delete(name)
        vault.delete("kiosk-token")
        store.close()


def test_a_vault_that_cannot_list_is_not_swept(tmp_path: Path) -> None:
    class UnlistableVault(VolatileVault):
        def names(self, prefix: str) -> list[str]:
            raise VaultError("this store cannot list its entries")

    vault = UnlistableVault()
    kept = vault.put_new("pin", "4826")
    store = LocalStore(tmp_path / "kiosk.sqlite3", SystemClock())
    try:
        assert sweep_orphaned_secrets(store, vault) == 0
        assert vault.get(kept) == "4826"
    finally:
        store.close()


LOCKED_KEYRING_PROBE = """
import json, sys, time
import secretstorage
connection = secretstorage.dbus_init()
collection = secretstorage.Collection(connection)
collection.lock()
assert collection.is_locked()
from services.vault import open_vault
started = time.monotonic()
vault = open_vault("lobby-kiosk-locked-test")
elapsed = time.monotonic() - started
print(json.dumps({"elapsed": elapsed, "secure": vault.secure,
                  "still_locked": collection.is_locked()}))
"""


@pytest.mark.keyring
def test_a_locked_keyring_is_never_unlocked_and_does_not_hold_up_start(tmp_path: Path) -> None:
    """In a private D-Bus session of its own (locking the suite's keyring would end the
    other keyring tests): start-up takes under a second and shows no unlock prompt."""
    if not all(map(shutil.which, ("dbus-run-session", "gnome-keyring-daemon", "dbus-monitor"))):
        pytest.skip(NO_KEYRING)
    calls = tmp_path / "unlock-calls.txt"
    # dbus-monitor records every Unlock asked of the Secret Service: on a desktop each one
    # puts a password prompt on the screen (headless, the prompt just fails).
    script = (
        "printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 1; "
        "dbus-monitor --session \"type='method_call',interface='org.freedesktop.Secret.Service',"
        f"member='Unlock'\" > {calls} 2>/dev/null & monitor=$!; sleep 0.5; "
        '"$0" -c "$1"; status=$?; sleep 0.3; kill $monitor; exit $status'
    )
    home = tmp_path / "keyring-home"
    home.mkdir(mode=0o700)
    env = {**os.environ, "XDG_DATA_HOME": str(home / "data"), "XDG_RUNTIME_DIR": str(home),
           "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    done = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", script, sys.executable, LOCKED_KEYRING_PROBE],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["secure"] is False  # payments off, sign-up still works in memory
    assert outcome["still_locked"] is True  # nobody was asked for the keyring password
    assert outcome["elapsed"] < 1.5
    assert "member=Unlock" not in calls.read_text()
