"""AdvanceConnect: quote, deposit by card on file (idempotent, declines post nothing),
transactions, and refund of the balance on request (rule 14)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import String, Text, func, select, update
from sqlalchemy.engine import make_url

import central.db.registry  # noqa: F401  (every table, for the scan)
import central.kernel.rules as rules
from central.db.base import Base
from central.kernel.facilities import Facility
from central.kernel.idempotency import IdempotencyRecord
from central.money import ledger
from central.money.gateway.models import GatewayCharge
from central.money.models import LedgerBook, LedgerJournal
from central.money.payments import card_on_file
from tests.central.family_support import (
    DECLINE,
    EXPIRED_AT_CHARGE,
    INSUFFICIENT,
    PROBLEM,
    VISA,
    Family,
)


def count(app: FastAPI, model: Any) -> int:
    with app.state.services.db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def quote(family: Family, amount: Any) -> Any:
    return family.post("/advance-connect/quote", {"amount_cents": amount})


def test_quote_shows_amount_fee_total(family: Family) -> None:
    response = quote(family, 2000)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "facility_id": "harbor-county-jail", "amount_cents": 2000, "fee_cents": 0,
        "total_cents": 2000, "minimum_cents": 500, "maximum_cents": 30000}


@pytest.mark.parametrize(
    ("amount", "code"),
    [(499, "amount_below_minimum"), (0, "amount_below_minimum"),
     (30001, "amount_above_maximum"), (-5, "amount_below_minimum"), ("500", "invalid_input"),
     (5.5, "invalid_input"), (10**20, "amount_above_maximum"), (2000.0 + 0.5, "invalid_input")],
)
def test_deposit_limits(family: Family, amount: Any, code: str) -> None:
    for response in (quote(family, amount), family.deposit(amount)):
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == PROBLEM
        assert (response.json()["code"], response.json()["field"]) == (code, "amount_cents")


def test_limits_themselves_are_allowed(family: Family) -> None:
    assert quote(family, 500).status_code == 200
    assert quote(family, 30000).status_code == 200


def test_rule14_funding_fee_is_forced_to_zero_where_banned(family: Family, app: FastAPI) -> None:
    with app.state.services.db.transaction() as session:
        session.execute(update(Facility).values(funding_fee_cents=250))
    assert quote(family, 2000).json()["fee_cents"] == 0


def test_fee_is_charged_and_booked_where_allowed(
    family: Family, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    lenient = tuple(dataclasses.replace(r, ancillary_fees_banned=False)
                    for r in rules.rule_sets())
    monkeypatch.setattr(rules, "rule_sets", lambda: lenient)
    with app.state.services.db.transaction() as session:
        session.execute(update(Facility).values(funding_fee_cents=150))
    assert quote(family, 2000).json()["total_cents"] == 2150
    family.add_card()
    paid = family.deposit(2000, total_cents=2150)
    assert paid.status_code == 201, paid.text
    assert (paid.json()["fee_cents"], paid.json()["balance_cents"]) == (150, 2000)
    with app.state.services.db.transaction() as session:
        charge = session.execute(select(GatewayCharge)).scalar_one()
        assert charge.amount_cents == 2150
        assert ledger.book_total(session, LedgerBook.FEE_REVENUE) == 150
        assert ledger.book_total(session, LedgerBook.CARD_CLEARING) == -2150


def test_deposit_charges_the_card_and_credits_the_balance(family: Family, app: FastAPI) -> None:
    family.add_card()
    response = family.deposit(2500)
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["amount_cents"], body["fee_cents"], body["total_cents"]) == (2500, 0, 2500)
    assert body["balance_cents"] == 2500
    assert body["card"] == {"brand": "visa", "last4": "4242"}
    assert family.get().json()["balance_cents"] == 2500
    listed = family.get("/advance-connect/transactions").json()
    assert listed["balance_cents"] == 2500
    assert [(t["kind"], t["amount_cents"]) for t in listed["transactions"]] == [("deposit", 2500)]


def test_replayed_deposit_charges_once(family: Family, app: FastAPI) -> None:
    family.add_card()
    first = family.deposit(2000, key="dep-once")
    again = family.deposit(2000, key="dep-once")
    assert again.status_code == 201 and again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert count(app, GatewayCharge) == 1 and count(app, LedgerJournal) == 1
    assert family.get().json()["balance_cents"] == 2000
    other = family.deposit(3000, key="dep-once")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"


def test_retry_after_a_crash_between_charge_and_ledger_charges_once(
    family: Family, app: FastAPI
) -> None:
    """The card was charged, then the server died before posting: the retry, with the same
    Idempotency-Key, reuses that charge and credits the balance once."""
    family.add_card()
    services = app.state.services
    with services.db.transaction() as session:
        on_file = card_on_file(session, family.account_id)
    assert on_file is not None
    services.gateway.charge(on_file.token, 2000, f"deposit:{family.account_id}:crashed")
    response = family.deposit(2000, key="crashed")
    assert response.status_code == 201
    assert count(app, GatewayCharge) == 1
    assert family.get().json()["balance_cents"] == 2000


@pytest.mark.parametrize(
    ("number", "code"),
    [(DECLINE, "card_declined"), (INSUFFICIENT, "insufficient_funds"),
     (EXPIRED_AT_CHARGE, "card_expired")],
)
def test_declines_are_402_and_post_nothing(
    family: Family, app: FastAPI, number: str, code: str
) -> None:
    family.add_card(number)
    response = family.deposit(2000, key="declined")
    assert response.status_code == 402, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["code"] == code
    assert count(app, LedgerJournal) == 0
    with app.state.services.db.transaction() as session:  # the key is free for a retry
        assert session.get(IdempotencyRecord, (f"account:{family.account_id}", "declined")) is None
    assert family.get().json()["balance_cents"] == 0
    # The same key answers the same; the processor's key makes sure of it.
    assert family.deposit(2000, key="declined").json()["code"] == code
    assert count(app, GatewayCharge) == 1


def test_deposit_without_a_card_is_409(family: Family) -> None:
    response = family.deposit(2000)
    assert response.status_code == 409 and response.json()["code"] == "no_card_on_file"


def test_deposit_refuses_a_total_that_changed(family: Family) -> None:
    family.add_card()
    response = family.deposit(2000, total_cents=2100)
    assert response.status_code == 409 and response.json()["code"] == "quote_changed"


def test_rule14_balance_refund_on_request(family: Family, app: FastAPI) -> None:
    family.add_card()
    family.deposit(2000)
    services = app.state.services
    with services.db.transaction() as session:
        ledger.charge_call(session, family.account_id, 300, reference="call:1",
                           now=services.clock.now())
    refund = family.post("/advance-connect/refund-requests", None, "refund-1")
    assert refund.status_code == 201, refund.text
    assert (refund.json()["amount_cents"], refund.json()["balance_cents"]) == (1700, 0)
    assert refund.json()["status"] == "requested"
    assert family.post("/advance-connect/refund-requests", None, "refund-1").json() == (
        refund.json())
    again = family.post("/advance-connect/refund-requests", None, "refund-2")
    assert again.status_code == 409 and again.json()["code"] == "nothing_to_refund"
    with services.db.transaction() as session:
        assert ledger.book_total(session, LedgerBook.REFUNDS_PAYABLE) == 1700
        assert ledger.book_total(session, LedgerBook.CALL_REVENUE) == 300
    kinds = [t["kind"] for t in family.get("/advance-connect/transactions").json()[
        "transactions"]]
    assert kinds == ["refund_request", "call_charge", "deposit"]


def test_no_raw_card_number_is_stored_anywhere(
    family: Family, app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    family.add_card(VISA)
    assert family.deposit(2000).status_code == 201
    assert family.tokenize(DECLINE).status_code == 201
    numbers = (VISA, DECLINE)
    db = app.state.services.db
    with db.transaction() as session:
        for table in Base.metadata.sorted_tables:
            for row in session.execute(select(table)).all():
                text = " ".join(str(value) for value in row)
                assert not any(n in text for n in numbers), table.name
        text_columns = [c for t in Base.metadata.sorted_tables for c in t.columns
                        if isinstance(c.type, String | Text)]
        assert text_columns
    assert not any(n in caplog.text for n in numbers)
    url = make_url(db.url)
    if url.get_backend_name() == "sqlite" and url.database:
        db.dispose()  # checkpoint-free: read the main file and the WAL as they are
        for path in (Path(url.database), Path(url.database + "-wal")):
            if path.exists():
                data = path.read_bytes()
                assert not any(n.encode() in data for n in numbers), path


def test_an_integral_json_number_is_an_integer(family: Family) -> None:
    """JSON Schema counts 2000.0 as an integer; so do we (and never "2000" or true)."""
    response = quote(family, 2000.0)
    assert response.status_code == 200, response.text
    assert response.json()["amount_cents"] == 2000
    assert quote(family, True).status_code == 422
