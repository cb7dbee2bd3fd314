"""The kiosk enrolls only when it can keep its token, and never burns the one-time code
(docs/offline.md, "Enrollment"), against the real central API on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from central.identity.kiosks import issue_enrollment_code
from central.identity.models import EnrollmentCode, Kiosk
from kiosk.capabilities.access import KioskAccess
from kiosk.clock import SystemClock
from kiosk.credentials import PENDING_TOKEN_ENTRY, TOKEN_ENTRY
from kiosk.store import LocalStore
from services.central_client import CentralClient, CentralError
from services.vault import Vault, VolatileVault
from tests.support import LiveServer, secure_vault


@pytest.fixture
def keyring_vault() -> Iterator[Vault]:
    """The real Secret Service (gnome-keyring in the suite's private D-Bus session)."""
    vault = secure_vault("lobby-kiosk-enrollment-test")
    yield vault
    for name in (TOKEN_ENTRY, PENDING_TOKEN_ENTRY):
        vault.delete(name)


def _access(live_server: LiveServer, tmp_path: Path, vault: Vault, code: str
            ) -> tuple[KioskAccess, CentralClient, LocalStore]:
    client = CentralClient(live_server.url, timeout=5)
    store = LocalStore(tmp_path / "kiosk.sqlite3", SystemClock())
    return KioskAccess(client, store, vault, code, "Lobby 1"), client, store


@pytest.mark.keyring
def test_without_a_secure_keyring_the_kiosk_does_not_enroll_or_spend_the_code(
    live_server: LiveServer, tmp_path: Path, keyring_vault: Vault
) -> None:
    services = live_server.app.state.services
    code = issue_enrollment_code(services.db, services.clock, "harbor-county-jail")
    access, client, store = _access(live_server, tmp_path, VolatileVault(), code)
    with pytest.raises(CentralError) as refused:
        access.ensure()
    assert refused.value.code == "keyring_unavailable" and client.token is None
    with services.db.transaction() as session:
        assert session.execute(select(Kiosk)).scalars().all() == []
        assert session.execute(select(EnrollmentCode.used_at)).scalar_one() is None
    store.close()
    # Once the kiosk has a keyring, the same code still works.
    kept = keyring_vault
    access, client, store = _access(live_server, tmp_path, kept, code)
    access.ensure()
    assert kept.get(TOKEN_ENTRY) == client.token and kept.get(PENDING_TOKEN_ENTRY) is None
    assert client.facilities()
    store.close()


@pytest.mark.keyring
def test_a_token_from_the_keyring_is_used_without_asking_the_server(
    live_server: LiveServer, tmp_path: Path, keyring_vault: Vault
) -> None:
    services = live_server.app.state.services
    code = issue_enrollment_code(services.db, services.clock, "harbor-county-jail")
    kept = keyring_vault
    access, client, store = _access(live_server, tmp_path, kept, code)
    access.ensure()
    store.close()
    # A restart while the server is down: the confirmed token is loaded offline.
    offline = CentralClient("http://127.0.0.1:9", timeout=1)
    again = KioskAccess(offline, LocalStore(tmp_path / "kiosk.sqlite3", SystemClock()), kept,
                        "", "Lobby 1")
    again.ensure()
    assert offline.token == client.token
