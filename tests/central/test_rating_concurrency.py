"""Simultaneous calls against one allotment: the last covered call goes to exactly one of them
(a conditional update, not read-then-write), on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi import FastAPI

from central.calls.models import CallKind, Destination
from central.calls.rating import CallDecision, CallRequest, authorize_call
from tests.central.family_support import Family
from tests.central.rating_support import HARBOR, ROSA_PHONE, fund, subscribe, used_in_period

REQUEST = CallRequest(facility_id=HARBOR, resident_id=f"{HARBOR}:001", phone=ROSA_PHONE,
                      kind=CallKind.AUDIO, destination=Destination.IN_STATE)

pytestmark = pytest.mark.usefixtures("call_platform")


def _authorize(app: FastAPI) -> CallDecision:
    services = app.state.services
    with services.db.transaction() as session:
        return authorize_call(session, services.clock, REQUEST)


def test_a_second_call_waiting_on_the_first_does_not_take_the_last_covered_call(
    family: Family, app: FastAPI
) -> None:
    """The first authorization has counted the last call but not committed yet; the second
    must wait for it and then see the allotment spent (a read-then-write would cover both)."""
    subscription = subscribe(app, family.account_id, allotment=100, used=99)
    fund(app, family.account_id, 100)
    services = app.state.services
    second: list[CallDecision] = []
    waiting = threading.Thread(target=lambda: second.append(_authorize(app)))
    with services.db.transaction() as session:
        first = authorize_call(session, services.clock, REQUEST)
        assert (first.decision, first.calls_remaining) == ("covered", 0)
        waiting.start()
        waiting.join(timeout=0.5)
        assert waiting.is_alive(), "the second authorization should wait for the first"
    waiting.join(timeout=30)
    assert not waiting.is_alive()
    assert second[0].decision == "charged"
    assert used_in_period(app, subscription) == 100


def test_many_simultaneous_calls_never_exceed_the_allotment(
    family: Family, app: FastAPI
) -> None:
    subscription = subscribe(app, family.account_id, allotment=100, used=97)
    start = threading.Barrier(8)

    def one_call() -> CallDecision:
        start.wait(timeout=10)
        return _authorize(app)

    with ThreadPoolExecutor(max_workers=8) as pool:
        decisions = list(pool.map(lambda _: one_call(), range(8)))
    covered = [d for d in decisions if d.decision == "covered"]
    assert len(covered) == 3
    assert sorted(d.calls_remaining or 0 for d in covered) == [0, 1, 2]
    assert {d.decision for d in decisions} - {"covered"} == {"single_call_available"}
    assert used_in_period(app, subscription) == 100
