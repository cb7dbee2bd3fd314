"""The gateway interface: card checks, named test cards, idempotent charges and refunds.
The tests of a ``gateway`` run on the sandbox and on the Stripe adapter (through the real
``stripe`` library against tests/stripe_standin.py): a kiosk cannot tell them apart."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from central.kernel.clock import ManualClock
from central.money.gateway import (
    CardDetails,
    ChargeRequest,
    ChargeResult,
    DeclineCode,
    KeyConflict,
    PaymentGateway,
    RefundRefused,
    UnknownToken,
)
from central.money.gateway.models import GatewayCharge
from central.money.gateway.stripe_gateway import StripeGateway
from tests.central.family_support import (
    DECLINE,
    EXPIRED_AT_CHARGE,
    INSUFFICIENT,
    MASTERCARD,
    PROBLEM,
    VISA,
)


def card(number: str = VISA, month: int = 12, year: int = 2030, cvc: str = "123") -> CardDetails:
    return CardDetails(number=number, exp_month=month, exp_year=year, cvc=cvc)


@pytest.fixture(params=["sandbox", "stripe"])
def gateway(request: pytest.FixtureRequest, app: FastAPI) -> PaymentGateway:
    """(The app is built for Stripe too: its database is a parametrized fixture, which
    cannot be asked for only on one branch.)"""
    if request.param == "stripe":
        stripe_gateway: StripeGateway = request.getfixturevalue("stripe_gateway")
        return stripe_gateway
    sandbox: PaymentGateway = app.state.services.gateway
    return sandbox


@pytest.fixture
def charges_under(request: pytest.FixtureRequest, gateway: PaymentGateway, app: FastAPI
                  ) -> Callable[[str], int]:
    """How many charges the processor holds under a key (its own records, not ours)."""
    if isinstance(gateway, StripeGateway):
        standin = request.getfixturevalue("standin")
        return lambda key: len(standin.intents_for_key(key))

    def count(key: str) -> int:
        with app.state.services.db.transaction() as session:
            return int(session.scalar(select(func.count()).select_from(GatewayCharge).where(
                GatewayCharge.idempotency_key == key)) or 0)

    return count


def test_tokenize_returns_only_what_may_be_shown(kiosk_api: TestClient) -> None:
    response = kiosk_api.post("/v1/gateway/tokens", json={
        "number": "4242 4242 4242 4242", "exp_month": 4, "exp_year": 2029, "cvc": "123"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"token", "brand", "last4", "exp_month", "exp_year"}
    assert (body["brand"], body["last4"], body["exp_month"], body["exp_year"]) == (
        "visa", "4242", 4, 2029)
    assert VISA not in response.text
    master = kiosk_api.post("/v1/gateway/tokens", json={
        "number": MASTERCARD, "exp_month": 1, "exp_year": 2027, "cvc": "999"})
    assert master.json()["brand"] == "mastercard"


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"number": "4242424242424241"}, "card_number_invalid", "number"),
        ({"number": "42424242"}, "card_number_invalid", "number"),
        ({"number": "9999999999999995"}, "card_brand_unsupported", "number"),
        ({"exp_month": 12, "exp_year": 2025}, "card_expired", "exp_year"),
        ({"exp_month": 13}, "invalid_input", "exp_month"),
        ({"exp_year": 2060}, "card_expiry_invalid", "exp_year"),
        ({"cvc": "12"}, "cvc_invalid", "cvc"),
        ({"cvc": "1234"}, "cvc_invalid", "cvc"),
        ({"number": "4242-abc"}, "invalid_input", "number"),
    ],
)
def test_bad_cards_are_refused_with_the_field(
    kiosk_api: TestClient, change: dict[str, object], code: str, field: str
) -> None:
    body = {"number": VISA, "exp_month": 12, "exp_year": 2030, "cvc": "123", **change}
    response = kiosk_api.post("/v1/gateway/tokens", json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert (response.json()["code"], response.json()["field"]) == (code, field)
    assert VISA not in response.text


def test_card_expiring_this_month_is_still_good(gateway: PaymentGateway) -> None:
    assert gateway.tokenize(card(month=1, year=2026)).last4 == "4242"  # clock: 2026-01-15


def test_amex_needs_four_digit_cvc(gateway: PaymentGateway) -> None:
    assert gateway.tokenize(card("378282246310005", cvc="1234")).brand == "amex"


def test_card_details_never_show_the_number() -> None:
    shown = repr(card())
    assert VISA not in shown and "123" not in shown


@pytest.mark.parametrize(
    ("number", "decline"),
    [(VISA, None), (MASTERCARD, None), (DECLINE, DeclineCode.CARD_DECLINED),
     (INSUFFICIENT, DeclineCode.INSUFFICIENT_FUNDS),
     (EXPIRED_AT_CHARGE, DeclineCode.CARD_EXPIRED)],
)
def test_named_test_cards(gateway: PaymentGateway, number: str,
                          decline: DeclineCode | None) -> None:
    token = gateway.tokenize(card(number))
    result = gateway.charge(token.token, 1000, f"k-{number}")
    assert result.approved is (decline is None)
    assert result.decline_code == decline


def test_a_card_that_has_since_expired_is_declined(
    gateway: PaymentGateway, clock: ManualClock
) -> None:
    token = gateway.tokenize(card(month=1, year=2026))
    clock.set(datetime(2026, 2, 1, 6, tzinfo=UTC))
    assert gateway.charge(token.token, 500, "late").decline_code == DeclineCode.CARD_EXPIRED


def test_charge_is_idempotent_by_key(gateway: PaymentGateway,
                                     charges_under: Callable[[str], int]) -> None:
    token = gateway.tokenize(card()).token
    first = gateway.charge(token, 2500, "once")
    again = gateway.charge(token, 2500, "once")
    assert first == again
    assert charges_under("once") == 1
    with pytest.raises(KeyConflict):
        gateway.charge(token, 2600, "once")
    declined = gateway.tokenize(card(DECLINE)).token
    assert gateway.charge(declined, 100, "d") == gateway.charge(declined, 100, "d")


def test_a_batch_of_charges_answers_each_as_a_charge_alone(
        gateway: PaymentGateway, charges_under: Callable[[str], int]) -> None:
    """The renewal run's batch path (docs/renewals.md): one answer per request in its
    place, the same as :meth:`charge` would give, and one request's error is its answer
    alone. The sandbox answers the batch in one transaction; Stripe charges one by one."""
    visa = gateway.tokenize(card()).token
    declined = gateway.tokenize(card(DECLINE)).token
    before = gateway.charge(visa, 2500, "b-before")
    answers = gateway.charge_many([
        ChargeRequest(visa, 1000, "b-new"), ChargeRequest(visa, 2500, "b-before"),
        ChargeRequest(visa, 2600, "b-before"), ChargeRequest("tok_nope", 100, "b-x"),
        ChargeRequest(declined, 100, "b-declined"), ChargeRequest(visa, 1000, "b-new"),
    ])
    new, replay, conflict, unknown, decline, again = answers
    assert isinstance(new, ChargeResult) and new.approved and new.amount_cents == 1000
    assert replay == before
    assert isinstance(conflict, KeyConflict)
    assert isinstance(unknown, UnknownToken)
    assert isinstance(decline, ChargeResult)
    assert decline.decline_code == DeclineCode.CARD_DECLINED
    assert again == new  # the same key twice in a batch is charged once
    assert [charges_under(k) for k in ("b-new", "b-before", "b-x", "b-declined")] == [1, 1, 0, 1]
    assert gateway.charge(visa, 1000, "b-new") == new  # and replayed alone


def test_unknown_token(gateway: PaymentGateway) -> None:
    with pytest.raises(UnknownToken):
        gateway.charge("tok_nope", 100, "x")
    with pytest.raises(UnknownToken):
        gateway.describe("tok_nope")


def test_refund_once_per_key_and_never_more_than_charged(gateway: PaymentGateway) -> None:
    token = gateway.tokenize(card()).token
    charge = gateway.charge(token, 2000, "c")
    first = gateway.refund(charge.charge_id, 1500, "r1")
    assert gateway.refund(charge.charge_id, 1500, "r1") == first
    with pytest.raises(RefundRefused):
        gateway.refund(charge.charge_id, 501, "r2")
    assert gateway.refund(charge.charge_id, 500, "r3").amount_cents == 500
    declined = gateway.charge(gateway.tokenize(card(DECLINE)).token, 100, "d")
    with pytest.raises(RefundRefused):
        gateway.refund(declined.charge_id, 100, "r4")


def test_a_charge_is_found_by_its_key_and_an_unknown_key_is_none(
    gateway: PaymentGateway,
) -> None:
    """The reconciler's question (docs/billing-rules.md, "The reconciler"): what happened
    under this key? Asking charges nothing."""
    assert gateway.find_charge("deposit:a:never") is None
    approved = gateway.charge(gateway.tokenize(card()).token, 2500, "deposit:a:1")
    declined = gateway.charge(gateway.tokenize(card(DECLINE)).token, 900, "deposit:a:2")
    assert gateway.find_charge("deposit:a:1") == approved
    assert gateway.find_charge("deposit:a:2") == declined
    assert declined.decline_code == DeclineCode.CARD_DECLINED
    assert gateway.find_charge("deposit:a:never") is None
