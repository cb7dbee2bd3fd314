"""Property test of AdvanceConnect with call holds (docs/billing-rules.md, rules 9 and 14):
over random interleavings of deposits, call authorizations, ratings, refund requests and
the passing of time, the balance is the sum of the entries and never negative, every
journal balances, and money held for a call in progress is never refunded."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from central.calls.models import Call, CallStatus
from central.calls.rating import CallRequest, authorize_call, rate_call, release_expired_holds
from central.db.engine import Database
from central.identity.models import Account, LinkedResident
from central.kernel.clock import ManualClock
from central.kernel.facilities import CallKind, Destination
from central.kernel.problems import ProblemError
from central.money import ledger
from central.money.models import LedgerEntry
from central.seed import seed_demo

HARBOR = "harbor-county-jail"
_phones = itertools.count(1)

operations = st.lists(st.one_of(
    st.tuples(st.just("deposit"), st.integers(1, 3000)),
    st.tuples(st.just("authorize"), st.sampled_from(list(Destination))),
    st.tuples(st.just("rate"), st.integers(0, 9), st.integers(0, 3 * 3600)),
    st.tuples(st.just("refund")),
    st.tuples(st.just("wait"), st.integers(1, 200)),
), max_size=20)


@pytest.fixture(scope="module")
def money_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, ManualClock]]:
    from central.db.migrate import upgrade

    url = f"sqlite:///{tmp_path_factory.mktemp('money') / 'central.sqlite3'}"
    upgrade(url)
    db = Database(url)
    seed_demo(db, datetime(2026, 1, 1, tzinfo=UTC))
    yield db, ManualClock(datetime(2026, 1, 15, 17, 0, tzinfo=UTC))
    db.dispose()


def _new_family(db: Database, clock: ManualClock) -> tuple[str, str]:
    phone = f"+1202555{next(_phones):04d}"
    with db.transaction() as session:
        account = Account(first_name="Ana", last_name="Ruiz", phone=phone, email="ana@example.org",
                          address_line1="1 Main St", address_line2="", city="Houston",
                          state="TX", postal_code="77002", language="en", pin_hash="-",
                          created_at=clock.now(), created_by_kiosk_id=None)
        session.add(account)
        session.flush()
        session.add(LinkedResident(account_id=account.id, facility_id=HARBOR,
                                   resident_id=f"{HARBOR}:001"))
        return account.id, phone


def _open_holds(db: Database, account_id: str) -> int:
    with db.transaction() as session:
        return int(session.scalar(select(func.coalesce(func.sum(Call.hold_cents), 0)).where(
            Call.account_id == account_id, Call.hold_closed_at.is_(None))) or 0)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_balance_is_its_entries_never_negative_and_holds_are_never_refunded(
    money_db: tuple[Database, ManualClock], ops: list[tuple[Any, ...]]
) -> None:
    db, clock = money_db
    account_id, phone = _new_family(db, clock)
    calls: list[str] = []
    paid_in = refunded = charged = 0
    for op in ops:
        with db.transaction() as session:
            available_before = ledger.balance_cents(session, account_id)
            held_before = ledger.held_cents(session, account_id)
        if op[0] == "deposit":
            with db.transaction() as session:
                ledger.post_deposit(session, account_id, op[1], 0,
                                    reference=f"p:{account_id}:{len(calls)}:{paid_in}",
                                    now=clock.now())
            paid_in += op[1]
        elif op[0] == "authorize":
            request = CallRequest(HARBOR, f"{HARBOR}:001", phone, CallKind.AUDIO, op[1])
            with db.transaction() as session:
                decision = authorize_call(session, clock, request)
            if decision.decision == "charged":
                calls.append(decision.call_id)
        elif op[0] == "rate" and calls:
            call_id = calls[op[1] % len(calls)]
            with db.transaction() as session:
                rated = rate_call(session, clock, call_id, op[2])
            if not rated.replayed:
                charged += rated.charged_cents
        elif op[0] == "refund":
            try:
                with db.transaction() as session:
                    journal = ledger.request_refund(session, account_id,
                                                    reference=f"r:{account_id}:{refunded}:"
                                                              f"{clock.now()}", now=clock.now())
                    amount = -ledger.family_amount(journal)
            except ProblemError as exc:
                assert exc.problem.code == "nothing_to_refund" and available_before == 0
                amount = 0
            assert amount == available_before  # the whole balance, and not a cent held
            refunded += amount
        elif op[0] == "wait":
            clock.advance(timedelta(minutes=op[1]))
            release_expired_holds(db, clock)
        with db.transaction() as session:
            available = ledger.balance_cents(session, account_id)
            held = ledger.held_cents(session, account_id)
            assert session.scalar(select(func.sum(LedgerEntry.amount_cents))) == 0
            open_calls = session.scalar(select(func.count()).select_from(Call).where(
                Call.account_id == account_id, Call.status == CallStatus.AUTHORIZED,
                Call.hold_closed_at.is_(None), Call.hold_cents > 0))
        assert available >= 0 and held >= 0
        assert held == _open_holds(db, account_id)
        assert (held > 0) == bool(open_calls)
        assert available + held == paid_in - refunded - charged
        if op[0] == "refund":
            assert held == held_before  # held money never refunded
