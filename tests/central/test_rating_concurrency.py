"""Simultaneous calls against one allotment: the last covered call goes to exactly one of them
(a conditional update, not read-then-write), on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi import FastAPI

from central.calls.rating import CallDecision, CallRequest, authorize_call
from central.kernel.facilities import CallKind, Destination
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


def test_simultaneous_calls_and_refund_requests_never_take_held_money(
    family: Family, app: FastAPI
) -> None:
    """Rules 9 and 14 under real concurrency (the property test interleaves one at a time):
    calls authorized and balance refunds asked for at the same moment leave every call its
    whole hold, refund only what no call holds, and never go below zero."""
    from sqlalchemy import func, select

    from central.calls.models import Call
    from central.kernel.problems import ProblemError
    from central.money import ledger

    fund(app, family.account_id, 1500)
    services = app.state.services
    in_progress = _authorize(app)  # a call already under way when the rush starts
    assert in_progress.decision == "charged"
    assert in_progress.max_minutes and in_progress.cents_per_minute
    start = threading.Barrier(8)

    def one(n: int) -> tuple[str, int]:
        start.wait(timeout=10)
        if n % 4 == 3:
            try:
                with services.db.transaction() as session:
                    journal = ledger.request_refund(session, family.account_id,
                                                    reference=f"refund-{n}",
                                                    now=services.clock.now())
                    return "refund", -ledger.family_amount(journal)
            except ProblemError as exc:
                assert exc.problem.code == "nothing_to_refund"
                return "refund", 0
        decision = _authorize(app)
        if decision.decision != "charged":
            return decision.decision, 0
        assert decision.max_minutes and decision.cents_per_minute
        return "charged", decision.max_minutes * decision.cents_per_minute

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(one, range(8)))
    refunded = sum(cents for kind, cents in outcomes if kind == "refund")
    held_by_calls = in_progress.max_minutes * in_progress.cents_per_minute + sum(
        cents for kind, cents in outcomes if kind == "charged")
    with services.db.transaction() as session:
        available = ledger.balance_cents(session, family.account_id)
        held = ledger.held_cents(session, family.account_id)
        open_holds = session.scalar(select(func.coalesce(func.sum(Call.hold_cents), 0)).where(
            Call.account_id == family.account_id, Call.hold_closed_at.is_(None)))
    assert available >= 0 and held >= 0
    assert held == held_by_calls == open_holds  # each call keeps its whole hold
    assert available + held + refunded == 1500
