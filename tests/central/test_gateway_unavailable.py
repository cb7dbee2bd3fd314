"""A gateway that cannot be reached answers 503 ``gateway_unavailable`` with Retry-After (not a
bare 500) on every route that charges or reads a card, and the request's Idempotency-Key is
not used up by it: the same request again, once the gateway is back, charges, exactly once
(docs/payments.md, "Stripe unreachable")."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from central.kernel.idempotency import IdempotencyRecord
from central.money.gateway import CardDetails, CardToken, ChargeResult, GatewayUnavailable
from central.money.gateway.models import GatewayCharge
from central.money.gateway.sandbox import SandboxGateway
from central.money.models import ChargeState
from central.plans.models import Subscription
from tests.central.family_support import PROBLEM, Family
from tests.central.test_charges import balance, charges
from tests.central.test_subscriptions import buy, count, subscribe


class DownOnce(SandboxGateway):
    """The sandbox, unreachable for the first call of each kind in ``down``; ``after``:
    the first charge goes through and then the answer times out (nothing known)."""

    def __init__(self, app: FastAPI, *down: str, after: bool = False) -> None:
        services = app.state.services
        super().__init__(services.db, services.clock)
        self.down = set(down)
        self.after = after

    def _fail(self, kind: str) -> None:
        if kind in self.down:
            self.down.discard(kind)
            raise GatewayUnavailable("the processor did not answer")

    def tokenize(self, card: CardDetails) -> CardToken:
        self._fail("tokenize")
        return super().tokenize(card)

    def describe(self, token: str) -> CardToken:
        self._fail("describe")
        return super().describe(token)

    def charge(self, token: str, amount_cents: int, idempotency_key: str) -> ChargeResult:
        if not self.after:
            self._fail("charge")
        result = super().charge(token, amount_cents, idempotency_key)
        if self.after:
            self._fail("charge")
        return result


def assert_unavailable(response: Any) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["Retry-After"] == str(GatewayUnavailable.retry_after_seconds)
    assert response.json()["code"] == "gateway_unavailable"


def stored_answers(app: FastAPI) -> list[int | None]:
    with app.state.services.db.transaction() as session:
        return [r.status_code for r in session.scalars(select(IdempotencyRecord))]


@pytest.mark.parametrize("after", [False, True], ids=["before-charging", "after-charging"])
def test_a_deposit_while_the_gateway_is_down_is_503_and_the_same_key_charges_later(
    family: Family, app: FastAPI, after: bool
) -> None:
    family.add_card()
    app.state.services.gateway = DownOnce(app, "charge", after=after)
    assert_unavailable(family.deposit(2000, key="dep-down"))
    assert 503 not in stored_answers(app)
    assert balance(app, family.account_id) == 0
    again = family.deposit(2000, key="dep-down")
    assert again.status_code == 201, again.text
    assert "Idempotent-Replayed" not in again.headers
    assert balance(app, family.account_id) == 2000
    assert count(app, GatewayCharge) == 1
    assert [c.state for c in charges(app)] == [ChargeState.SETTLED]


def test_a_purchase_while_the_gateway_is_down_is_503_and_the_same_key_buys(
    family: Family, app: FastAPI
) -> None:
    card = family.add_card()
    app.state.services.gateway = DownOnce(app, "charge")
    assert_unavailable(buy(family, card_id=card["id"], key="buy-down"))
    bought = buy(family, card_id=card["id"], key="buy-down")
    assert bought.status_code == 201, bought.text
    assert count(app, GatewayCharge) == 1 and count(app, Subscription) == 1


def test_renew_now_while_the_gateway_is_down_is_503_and_the_same_key_renews(
    family: Family, app: FastAPI
) -> None:
    sub = subscribe(family, mode="manual")
    app.state.services.gateway = DownOnce(app, "charge")
    tail = f"/subscriptions/{sub['id']}/renew-now"
    assert_unavailable(family.post(tail, None, "renew-down"))
    renewed = family.post(tail, None, "renew-down")
    assert renewed.status_code == 200, renewed.text
    assert count(app, GatewayCharge) == 2  # the purchase and this renewal


def test_saving_a_card_while_the_gateway_is_down_is_503(family: Family, app: FastAPI) -> None:
    app.state.services.gateway = DownOnce(app, "tokenize", "describe")
    assert_unavailable(family.tokenize())
    token = family.tokenize()
    assert token.status_code == 201, token.text
    body = {"token": token.json()["token"]}
    assert_unavailable(family.post("/payment-methods", body, "pm-down"))
    added = family.post("/payment-methods", body, "pm-down")
    assert added.status_code == 201, added.text


@pytest.mark.usefixtures("call_platform")
def test_a_single_call_while_the_gateway_is_down_is_503_and_the_same_key_pays(
    family: Family, app: FastAPI
) -> None:
    from tests.central.rating_support import PLATFORM, authorized

    offered = authorized(family.api, "single_call_available", phone="+17135550199")
    token = family.tokenize().json()["token"]
    app.state.services.gateway = DownOnce(app, "describe", "charge")

    def pay() -> Any:
        return family.api.post(f"/v1/calls/{offered['call_id']}/single-call",
                               json={"token": token, "minutes": 5},
                               headers={"Idempotency-Key": "sc-down", **PLATFORM})

    assert_unavailable(pay())  # reading the card
    assert_unavailable(pay())  # charging it
    paid = pay()
    assert paid.status_code == 201, paid.text
    assert count(app, GatewayCharge) == 1
