"""A Single Call is charged for the minutes it used (rule 10): the prepaid minutes it did
not use are refunded to the card when it is rated, under their own refund key and record,
exactly once however often it is rated; through the real API, the sandbox gateway and the
database (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from central.money.gateway import RefundResult
from central.money.gateway.models import GatewayCharge, GatewayRefund
from central.money.models import Charge, ChargeState
from tests.central.family_support import VISA, Family
from tests.central.rating_support import PLATFORM, authorized, rate
from tests.central.test_gateway_unavailable import DownOnce

pytestmark = pytest.mark.usefixtures("call_platform")
STRANGER = "+17135550199"


class RefundDownOnce(DownOnce):
    """The sandbox, unreachable for its first refund."""

    def refund(self, charge_id: str, amount_cents: int, idempotency_key: str) -> RefundResult:
        self._fail("refund")
        return super().refund(charge_id, amount_cents, idempotency_key)


def paid_single_call(family: Family, minutes: int, key: str) -> str:
    offered = authorized(family.api, "single_call_available", phone=STRANGER)
    token = family.tokenize(VISA).json()["token"]
    paid = family.api.post(f"/v1/calls/{offered['call_id']}/single-call",
                           json={"token": token, "minutes": minutes},
                           headers={"Idempotency-Key": key, **PLATFORM})
    assert paid.status_code == 201, paid.text
    call_id: str = offered["call_id"]
    return call_id


def refunds(app: FastAPI) -> list[tuple[str, int]]:
    with app.state.services.db.transaction() as session:
        return [(r.idempotency_key, r.amount_cents)
                for r in session.scalars(select(GatewayRefund))]


def rated(family: Family, call_id: str, seconds: int) -> dict[str, Any]:
    response = rate(family.api, call_id, seconds)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_a_single_call_that_never_connects_is_refunded_in_full_once(
    family: Family, app: FastAPI
) -> None:
    call_id = paid_single_call(family, 15, "sc-unused")  # 15 min at 9 c: 135 c
    first = rated(family, call_id, 0)
    assert (first["billed_minutes"], first["charged_cents"], first.get("refunded_cents")) == (
        0, 0, 135)
    again = rated(family, call_id, 0)
    assert (again["charged_cents"], again.get("refunded_cents")) == (0, 135)
    assert refunds(app) == [(f"refund:single-call:{call_id}:unused-minutes", 135)]
    from central.calls.models import SingleCallRefund  # the record this fix added

    with app.state.services.db.transaction() as session:
        [record] = session.scalars(select(SingleCallRefund)).all()
        assert (record.call_id, record.amount_cents, record.refunded_at is not None) == (
            call_id, 135, True)
        charge = session.scalars(select(Charge)).one()
        assert (charge.state, charge.amount_cents) == (ChargeState.SETTLED, 135)


def test_a_single_call_pays_its_started_minutes_and_gets_the_rest_back(
    family: Family, app: FastAPI
) -> None:
    call_id = paid_single_call(family, 15, "sc-part")
    body = rated(family, call_id, 61)  # two started minutes
    assert (body["billed_minutes"], body["charged_cents"], body.get("refunded_cents")) == (
        2, 18, 117)
    assert refunds(app) == [(f"refund:single-call:{call_id}:unused-minutes", 117)]


def test_a_single_call_that_used_every_paid_minute_refunds_nothing(
    family: Family, app: FastAPI
) -> None:
    call_id = paid_single_call(family, 5, "sc-all")
    body = rated(family, call_id, 7 * 60)
    assert (body["billed_minutes"], body["charged_cents"], body.get("refunded_cents")) == (
        5, 45, 0)
    assert refunds(app) == []


def test_a_refund_the_gateway_could_not_take_is_finished_by_rating_again(
    family: Family, app: FastAPI
) -> None:
    call_id = paid_single_call(family, 10, "sc-down")
    app.state.services.gateway = RefundDownOnce(app, "refund")
    first = rated(family, call_id, 0)  # the call is rated; the refund waits
    assert (first["charged_cents"], first.get("refunded_cents")) == (0, 90)
    assert refunds(app) == []
    again = rated(family, call_id, 0)
    assert again.get("refunded_cents") == 90
    assert refunds(app) == [(f"refund:single-call:{call_id}:unused-minutes", 90)]
    assert len(refunds(app)) == 1
    with app.state.services.db.transaction() as session:
        assert session.scalars(select(GatewayCharge)).one().amount_cents == 90


def test_a_refund_left_owed_is_made_by_the_scheduler_round_once(
    family: Family, app: FastAPI
) -> None:
    from central.calls.single_call import refund_owed_unused_minutes

    call_id = paid_single_call(family, 4, "sc-owed")
    services = app.state.services
    services.gateway = RefundDownOnce(app, "refund")
    assert rated(family, call_id, 0).get("refunded_cents") == 36
    assert refunds(app) == []
    assert refund_owed_unused_minutes(services.db, services.gateway, services.clock) == 1
    assert refund_owed_unused_minutes(services.db, services.gateway, services.clock) == 0
    assert refunds(app) == [(f"refund:single-call:{call_id}:unused-minutes", 36)]
