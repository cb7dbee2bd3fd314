"""Fixtures for central API tests of signed-in families and staff."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.central.family_support import Family, open_family


@pytest.fixture
def family(kiosk_api: TestClient) -> Family:
    """Rosa, registered at Harbor County Jail and signed in at the test kiosk."""
    return open_family(kiosk_api)


@pytest.fixture
def supervisor_headers(kiosk_api: TestClient) -> dict[str, str]:
    """The demo supervisor (badge 1001) signed in at the test kiosk."""
    response = kiosk_api.post("/v1/staff/sessions", json={"badge_id": "1001", "pin": "2468"})
    assert response.status_code == 201, response.text
    return {"X-Staff-Session": response.json()["token"]}
