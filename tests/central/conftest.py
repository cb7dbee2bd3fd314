"""Fixtures for central API tests of signed-in families and staff. "Rule N" in these tests
is rule N of docs/billing-rules.md, which lists the tests that prove each rule."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.central.family_support import Family, open_family
from tests.central.stripe_support import (  # noqa: F401 (the Stripe stand-in's fixtures)
    make_stripe_gateway,
    standin,
    stripe_gateway,
)
from tests.support import call_platform_headers


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


@pytest.fixture
def call_platform(app: FastAPI) -> Iterator[dict[str, str]]:
    """The Harbor call platform's bearer header, also the default for the call helpers in
    rating_support (modules that place calls use it with ``pytest.mark.usefixtures``)."""
    from tests.central import rating_support

    headers = call_platform_headers(app)
    rating_support.PLATFORM.clear()
    rating_support.PLATFORM.update(headers)
    yield headers
    rating_support.PLATFORM.clear()
