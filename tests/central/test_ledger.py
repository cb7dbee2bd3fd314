"""The AdvanceConnect ledger: every balance is the sum of its entries, every journal balances,
and no sequence of deposits, call charges and refunds takes a family below zero."""

from __future__ import annotations

import itertools
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from central.db.engine import Database
from central.identity.models import Account
from central.kernel.problems import ProblemError
from central.money import ledger
from central.money.models import LedgerBook, LedgerEntry, LedgerJournal

NOW = datetime(2026, 1, 15, 17, tzinfo=UTC)
_refs = itertools.count()


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()


def new_account(db: Database) -> str:
    with db.transaction() as session:
        account = Account(
            first_name="A", last_name="B", phone="+1" + uuid.uuid4().hex[:10], email="a@b.org",
            address_line1="1 Main", city="Houston", state="TX", postal_code="77002",
            pin_hash="x", created_at=NOW,
        )
        session.add(account)
        session.flush()
        return account.id


def ref(kind: str) -> str:
    return f"{kind}:{next(_refs)}:{uuid.uuid4().hex[:8]}"


def entry_sum(db: Database, account_id: str) -> int:
    with db.transaction() as session:
        return int(session.scalar(
            select(func.coalesce(func.sum(LedgerEntry.amount_cents), 0)).where(
                LedgerEntry.account_id == account_id)) or 0)


def unbalanced_journals(db: Database) -> int:
    with db.transaction() as session:
        sums = select(func.sum(LedgerEntry.amount_cents).label("s")).group_by(
            LedgerEntry.journal_id).subquery()
        return int(session.scalar(select(func.count()).where(sums.c.s != 0)) or 0)


operation = st.one_of(
    st.tuples(st.just("deposit"), st.integers(1, 30_000), st.integers(0, 500)),
    st.tuples(st.just("call"), st.integers(1, 6_000), st.just(0)),
    st.tuples(st.just("refund"), st.just(0), st.just(0)),
)


@settings(max_examples=50, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(operation, min_size=1, max_size=12))
def test_balance_is_the_sum_of_entries_and_never_negative(
    db: Database, operations: list[tuple[str, int, int]]
) -> None:
    account_id = new_account(db)
    expected = 0
    for kind, cents, fee in operations:
        with db.transaction() as session:
            try:
                if kind == "deposit":
                    ledger.post_deposit(session, account_id, cents, fee, reference=ref("d"),
                                        now=NOW)
                    expected += cents
                elif kind == "call":
                    ledger.charge_call(session, account_id, cents, reference=ref("c"), now=NOW)
                    expected -= cents
                else:
                    ledger.request_refund(session, account_id, reference=ref("r"), now=NOW)
                    expected = 0
            except ProblemError as refused:
                # Refused only when the balance could not cover it; nothing was posted.
                assert refused.problem.code in {"insufficient_balance", "nothing_to_refund"}
                assert (kind == "call" and cents > expected) or (kind == "refund"
                                                                   and expected == 0)
        with db.transaction() as session:
            balance = ledger.balance_cents(session, account_id)
        assert balance == expected == entry_sum(db, account_id)
        assert balance >= 0
    assert unbalanced_journals(db) == 0
    with db.transaction() as session:
        assert session.scalar(select(func.sum(LedgerEntry.amount_cents))) == 0


def test_call_charge_never_exceeds_the_balance(db: Database) -> None:
    account_id = new_account(db)
    with db.transaction() as session:
        ledger.post_deposit(session, account_id, 1000, 0, reference="d1", now=NOW)
    with pytest.raises(ledger.InsufficientBalance) as refused, db.transaction() as session:
        ledger.charge_call(session, account_id, 1001, reference="c1", now=NOW)
    assert refused.value.balance_cents == 1000
    assert refused.value.problem.balance_cents == 1000
    with db.transaction() as session:
        ledger.charge_call(session, account_id, 1000, reference="c2", now=NOW)
        assert ledger.balance_cents(session, account_id) == 0


def test_posting_the_same_reference_twice_moves_money_once(db: Database) -> None:
    account_id = new_account(db)
    with db.transaction() as session:
        ledger.post_deposit(session, account_id, 1000, 0, reference="d1", now=NOW)
        first = ledger.charge_call(session, account_id, 300, reference="call:7", now=NOW)
        again = ledger.charge_call(session, account_id, 300, reference="call:7", now=NOW)
        assert first.id == again.id
        assert ledger.balance_cents(session, account_id) == 700
        with pytest.raises(ValueError, match="another event"):
            ledger.post_deposit(session, account_id, 300, 0, reference="call:7", now=NOW)


def test_two_concurrent_calls_cannot_both_spend_the_last_dollars(db: Database) -> None:
    account_id = new_account(db)
    with db.transaction() as session:
        ledger.post_deposit(session, account_id, 1000, 0, reference="d1", now=NOW)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def spend(reference: str) -> None:
        barrier.wait()
        try:
            with db.transaction() as session:
                ledger.charge_call(session, account_id, 700, reference=reference, now=NOW)
            outcomes.append("charged")
        except ledger.InsufficientBalance:
            outcomes.append("refused")

    threads = [threading.Thread(target=spend, args=(f"c{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["charged", "refused"]
    with db.transaction() as session:
        assert ledger.balance_cents(session, account_id) == 300
        assert session.scalar(select(func.count()).select_from(LedgerJournal)) == 2


def test_books_carry_the_counterparts(db: Database) -> None:
    account_id = new_account(db)
    with db.transaction() as session:
        ledger.post_deposit(session, account_id, 2000, 100, reference="d", now=NOW)
        ledger.post_deposit(session, account_id, 300, 0, reference="cash", now=NOW,
                            paid_into=LedgerBook.CASH_BOX)
        ledger.charge_call(session, account_id, 500, reference="c", now=NOW)
        ledger.request_refund(session, account_id, reference="r", now=NOW)
        totals = {book: ledger.book_total(session, book) for book in LedgerBook}
    assert totals == {
        LedgerBook.FAMILY_BALANCE: 0, LedgerBook.CARD_CLEARING: -2100,
        LedgerBook.FEE_REVENUE: 100, LedgerBook.CALL_REVENUE: 500,
        LedgerBook.REFUNDS_PAYABLE: 1800, LedgerBook.CALL_HOLDS: 0,
        LedgerBook.CASH_BOX: -300,
    }
