"""The per-facility cache of what authorize and rate read (docs/performance.md): one query
for the facility's stamp instead of its row and its rate, and a price change seen at once
by every process, whatever it cached."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event

from central.db.engine import Database
from central.kernel.facilities import CallKind, Destination
from central.kernel.facility_reference import FacilityReferenceCache
from tests.central.family_support import Family
from tests.central.rating_support import HARBOR, authorized, fund

pytestmark = pytest.mark.usefixtures("call_platform")

PRICING = f"/v1/admin/facilities/{HARBOR}/pricing"


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def with_interstate_audio(api: TestClient, cents: int) -> dict[str, Any]:
    detail = api.get(f"/v1/facilities/{HARBOR}").json()
    rates = copy.deepcopy(detail["rates"])
    for rate in rates:
        if (rate["kind"], rate["destination"]) == ("audio", "interstate"):
            rate["cents_per_minute"] = cents
    return {"funding_fee_cents": detail["funding_fee_cents"],
            "video_session_price_cents": detail["video_session_price_cents"],
            "offers_subscriptions": detail["offers_subscriptions"],
            "offers_single_call": detail["offers_single_call"],
            "rates": rates, "plans": copy.deepcopy(detail["plans"])}


def test_an_authorization_reads_the_facility_once_and_its_rates_from_the_cache(
        family: Family, app: FastAPI) -> None:
    """It read the facility's row and its rate: now only the stamp."""
    fund(app, family.account_id, 5000)
    authorized(family.api, "charged", destination="interstate")
    with statements(app.state.services.db) as seen:
        authorized(family.api, "charged", destination="interstate")
    from_facilities = [s for s in seen if "FROM facilities" in s]
    assert len(from_facilities) == 1, from_facilities
    assert "reference_version" in from_facilities[0]
    assert not [s for s in seen if "FROM rates" in s]


def test_a_price_change_is_seen_at_once_by_every_process(
        family: Family, app: FastAPI, supervisor_headers: dict[str, str]) -> None:
    """Another process's cache (here: another cache over the same database, told nothing)
    still holding the old price reads the new one at its next look-up, as does this
    server's next authorization."""
    db: Database = app.state.services.db
    other = FacilityReferenceCache()
    fund(app, family.account_id, 5000)
    before = authorized(family.api, "charged", destination="interstate")["cents_per_minute"]
    with db.transaction() as session:
        held = other.get(session, HARBOR)
    assert held is not None
    assert held.rate(CallKind.AUDIO, Destination.INTERSTATE) == before
    cheaper = before - 1
    changed = family.api.put(PRICING, headers=supervisor_headers,
                             json=with_interstate_audio(family.api, cheaper))
    assert changed.status_code == 200, changed.text
    assert authorized(family.api, "charged",
                      destination="interstate")["cents_per_minute"] == cheaper
    with db.transaction() as session:
        seen = other.get(session, HARBOR)
    assert seen is not None and seen.version == held.version + 1
    assert seen.rate(CallKind.AUDIO, Destination.INTERSTATE) == cheaper
    assert other.loads == 2
    with db.transaction() as session:  # and kept again until the next change
        assert other.get(session, HARBOR) == seen
    assert other.loads == 2

