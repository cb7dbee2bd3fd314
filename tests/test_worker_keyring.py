"""The per-worker keyring of `make test` (tests/worker_keyring.py) finds a test that locked
or ended it, and starts it again unlocked with its secrets kept."""

from __future__ import annotations

import pytest
import secretstorage

from tests import worker_keyring


def _collection() -> secretstorage.Collection:
    return secretstorage.get_default_collection(secretstorage.dbus_init())


def test_a_locked_collection_is_found_and_unlocked_again_with_its_items(
    private_keyring: worker_keyring.PrivateKeyring,
) -> None:
    private_keyring.check()
    _collection().create_item("kept", {"service": "selftest"}, b"4826")
    _collection().lock()
    with pytest.raises(worker_keyring.KeyringBroken, match="is locked"):
        private_keyring.check()
    private_keyring.restart_daemon()
    private_keyring.check()
    item = next(_collection().search_items({"service": "selftest"}))
    assert item.get_secret() == b"4826"


def test_an_ended_daemon_is_found_and_not_replaced_behind_the_tests_back(
    private_keyring: worker_keyring.PrivateKeyring,
) -> None:
    assert private_keyring.daemon is not None
    private_keyring.daemon.kill()
    private_keyring.daemon.wait()
    with pytest.raises(worker_keyring.KeyringBroken, match="ended"):
        private_keyring.check()
    # No D-Bus activation on the worker's bus: asking for the service starts nothing.
    with pytest.raises(secretstorage.exceptions.SecretServiceNotAvailableException):
        _collection()
    private_keyring.restart_daemon()
    private_keyring.check()
