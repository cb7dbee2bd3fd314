"""The Idempotency-Key store takes any scope a handler builds: one made from a long path id
used to overflow the scope column, which PostgreSQL refuses (a 500 found by schemathesis on
the charge attention routes)."""

from __future__ import annotations

from datetime import UTC, datetime

from central.db.engine import Database
from central.kernel.clock import ManualClock
from central.kernel.idempotency import SCOPE_LENGTH, Idempotency, stored_scope


def test_a_scope_longer_than_the_column_is_kept_and_replayed(database_url: str) -> None:
    db = Database(database_url)
    try:
        store = Idempotency(db, ManualClock(datetime(2026, 1, 15, tzinfo=UTC)))
        scope = "charge-attention:" + "0" * 63
        calls: list[int] = []

        def work(_session: object) -> tuple[int, dict[str, int]]:
            calls.append(1)
            return 200, {"n": len(calls)}

        first = store.run(scope, "key-1", "hash", work)
        again = store.run(scope, "key-1", "hash", work)
        assert (first.status, first.body) == (again.status, again.body) == (200, {"n": 1})
        other = store.run(scope[:-1] + "1", "key-1", "hash", work)
        assert other.body == {"n": 2}  # another long scope is another scope
    finally:
        db.dispose()


def test_a_scope_that_fits_is_stored_as_given() -> None:
    assert stored_scope("account:abc") == "account:abc"
    long = stored_scope("x" * 200)
    assert len(long) == SCOPE_LENGTH and long != stored_scope("x" * 199 + "y")
