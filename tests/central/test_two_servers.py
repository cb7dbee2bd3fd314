"""Two servers on one database (SQLite file or PostgreSQL), each with its own Database,
engine, pool and per-facility cache, as two ``serve`` processes behind nginx
(installer/server/, docs/performance.md "Several processes"): what one changes the other sees
at once, and a call authorized on one and rated on both at the same moment is charged once.
`make bench-full` runs the same with real processes behind nginx (tests/benchmarks/api_load.py
``--two-processes``)."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from central.app import create_app
from central.kernel.clock import ManualClock
from central.mail.mailer import EmlFolderMailer
from central.money.models import JournalKind, LedgerJournal
from tests.central.family_support import Family
from tests.central.rating_support import HARBOR, authorized, fund, rate
from tests.central.test_facility_reference import with_interstate_audio

pytestmark = pytest.mark.usefixtures("call_platform")

PRICING = f"/v1/admin/facilities/{HARBOR}/pricing"


@pytest.fixture
def other_server(seeded_url: str, clock: ManualClock, tmp_path: Path,
                 call_platform: dict[str, str]) -> Iterator[TestClient]:
    """A second server on the same database (SQLite file or PostgreSQL): its own Database,
    engine and pool, as another ``serve`` process has, with the same call platform's token."""
    other = create_app(seeded_url, clock, mailer=EmlFolderMailer(tmp_path / "other-mail",
                                                                 clock=clock))
    try:
        with TestClient(other, raise_server_exceptions=False) as client:
            client.headers.update(call_platform)
            yield client
    finally:
        other.state.services.db.dispose()


def test_a_price_change_on_one_server_is_seen_at_once_by_another_on_the_same_database(
        family: Family, app: FastAPI, other_server: TestClient,
        supervisor_headers: dict[str, str]) -> None:
    """The other server cached the old price (it authorized with it); the supervisor changes
    it on this one; the other server's very next authorization, and its rating of a call this
    one authorized before the change, use the new one (rule 14's cap aside)."""
    fund(app, family.account_id, 5000)
    before = authorized(other_server, "charged", destination="interstate")["cents_per_minute"]
    assert authorized(other_server, "charged",
                      destination="interstate")["cents_per_minute"] == before  # cached
    here = authorized(family.api, "charged", destination="interstate")
    cheaper = before - 2
    changed = family.api.put(PRICING, headers=supervisor_headers,
                             json=with_interstate_audio(family.api, cheaper))
    assert changed.status_code == 200, changed.text
    assert authorized(other_server, "charged",
                      destination="interstate")["cents_per_minute"] == cheaper
    rated = rate(other_server, here["call_id"], 60, headers=dict(other_server.headers))
    assert rated.status_code == 200, rated.text
    # A call is billed at the price it was authorized at, re-capped (rule 14), never raised.
    assert rated.json()["cents_per_minute"] == before


def test_a_call_authorized_on_one_server_and_rated_on_both_at_once_is_charged_once(
        family: Family, app: FastAPI, other_server: TestClient,
        call_platform: dict[str, str]) -> None:
    fund(app, family.account_id, 5000)
    for _ in range(5):
        call_id = authorized(family.api, "charged")["call_id"]
        with ThreadPoolExecutor(2) as pool:
            pending = [pool.submit(rate, api, call_id, 150, call_platform)
                       for api in (family.api, other_server)]
        answers = [a.result() for a in pending]
        assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
        assert len({a.json()["charged_cents"] for a in answers}) == 1
        with app.state.services.db.read() as session:
            assert session.execute(select(func.count()).where(
                LedgerJournal.reference == f"call:{call_id}",
                LedgerJournal.kind == JournalKind.CALL_CHARGE)).scalar_one() == 1
