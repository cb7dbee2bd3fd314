"""Fixtures of the end-to-end tests: the keyring and a kiosk enrolled at Harbor County."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from central.identity.kiosks import issue_enrollment_code
from kiosk.credentials import PENDING_TOKEN_ENTRY, TOKEN_ENTRY
from services.vault import Vault, open_vault
from tests.e2e.e2e_support import Kiosk
from tests.support import LiveServer


@pytest.fixture
def vault() -> Iterator[Vault]:
    """The real keyring when `make test` provides one, else the volatile fallback."""
    opened = open_vault("lobby-kiosk-e2e")
    for entry in (TOKEN_ENTRY, PENDING_TOKEN_ENTRY):
        opened.delete(entry)
    yield opened
    for entry in (TOKEN_ENTRY, PENDING_TOKEN_ENTRY):
        opened.delete(entry)


@pytest.fixture
def kiosk(live_server: LiveServer, tmp_path: Path, vault: Vault) -> Iterator[Kiosk]:
    """A kiosk with a fresh one-time code for Harbor County Jail, its data in tmp_path."""
    services = live_server.app.state.services
    code = issue_enrollment_code(services.db, services.clock, "harbor-county-jail")
    built = Kiosk(live_server.url, code, tmp_path, vault)
    yield built
    built.close()
