"""Charges that cannot finish are seen by a person (issue 17, item 4; docs/payments.md,
"Charges that need attention").

The effect that fails is a real one: a deposit's journal, refused by the database itself (a
trigger that closes the ledger, as an auditor's lock or a broken migration would). Every try
(the request, the reconciler, Stripe's webhook) is counted; after the tries allowed the
charge waits for a person, who retries it (once the cause is fixed) or refunds it, each
under its own Idempotency-Key, recorded. On SQLite and, with KIOSK_TEST_PG_URL, PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from central.cli import main
from central.db.engine import Database
from central.identity.auth import add_staff_member
from central.identity.models import StaffRole
from central.kernel.clock import ManualClock
from central.money.effects import CHARGE_EFFECTS
from central.money.gateway.models import GatewayCharge, GatewayRefund
from central.money.gateway.stripe_gateway import StripeGateway
from central.money.models import Charge, ChargeAction, ChargeState, LedgerJournal
from central.money.reconciler import reconcile
from tests.central.family_support import Family
from tests.central.test_charges import balance, deposit_journals
from tests.central.test_subscriptions import count, travel
from tests.stripe_standin import StripeStandIn

PROBLEM = "application/problem+json"
ATTENTION = "/v1/admin/charges/attention"


def close_ledger(db: Database) -> None:
    """The database refuses every new journal: a deposit's effect fails, whoever tries."""
    with db.transaction() as session:
        if db.engine.dialect.name == "postgresql":
            session.execute(text(
                "CREATE FUNCTION refuse_journal() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'the ledger is closed for an audit'; END $$ "
                "LANGUAGE plpgsql"))
            session.execute(text(
                "CREATE TRIGGER ledger_closed BEFORE INSERT ON ledger_journals "
                "FOR EACH ROW EXECUTE FUNCTION refuse_journal()"))
        else:
            session.execute(text(
                "CREATE TRIGGER ledger_closed BEFORE INSERT ON ledger_journals BEGIN "
                "SELECT RAISE(ABORT, 'the ledger is closed for an audit'); END"))


def open_ledger(db: Database) -> None:
    with db.transaction() as session:
        session.execute(text("DROP TRIGGER ledger_closed" + (
            " ON ledger_journals" if db.engine.dialect.name == "postgresql" else "")))


def the_charge(app: FastAPI) -> Charge:
    with app.state.services.db.read() as session:
        [charge] = session.execute(select(Charge)).scalars()
        session.expunge(charge)
        return charge


def fail_until_set_aside(family: Family, app: FastAPI, clock: ManualClock,
                         key: str = "dep-stuck") -> Charge:
    """A deposit whose journal the database refuses: the request (1st try) and four
    reconciler rounds (the 2nd to the 5th) fail; the fifth sets it aside."""
    services = app.state.services
    close_ledger(services.db)
    first = family.deposit(2000, key=key)
    assert first.status_code == 409, first.text
    assert first.headers["content-type"].startswith(PROBLEM)
    assert first.json()["code"] == "charge_unfinished" and first.headers["Retry-After"]
    charge = the_charge(app)
    assert (charge.state, charge.effect_failures) == (ChargeState.PENDING, 1)
    assert charge.gateway_charge_id is not None  # known from the first failure on
    assert "ledger is closed" in (charge.last_failure or "")
    clock.advance(timedelta(minutes=5))
    for tries in (2, 3, 4):
        report = reconcile(services.db, services.gateway, clock)
        assert (report.failed, report.attention) == (1, 0), report.summary()
        assert the_charge(app).effect_failures == tries
    report = reconcile(services.db, services.gateway, clock)
    assert (report.failed, report.attention) == (0, 1), report.summary()
    assert "1 set aside for a person" in report.summary()
    charge = the_charge(app)
    assert charge.state is ChargeState.NEEDS_ATTENTION and charge.effect_failures == 5
    assert charge.facility_id == "harbor-county-jail" and charge.attention_since == clock.now()
    # Nothing retries it on its own any more (and the family signs in again after it).
    travel(family, clock, timedelta(hours=2))
    assert reconcile(services.db, services.gateway, clock).examined == 0
    return charge


def supervisor(api: TestClient) -> dict[str, str]:
    """The demo supervisor (badge 1001) signed in now."""
    response = api.post("/v1/staff/sessions", json={"badge_id": "1001", "pin": "2468"})
    assert response.status_code == 201, response.text
    return {"X-Staff-Session": response.json()["token"]}


def staff_post(api: TestClient, headers: dict[str, str], charge_id: str, action: str,
               key: str) -> Any:
    return api.post(f"/v1/admin/charges/{charge_id}/{action}",
                    headers={**headers, "Idempotency-Key": key})


def test_a_failing_effect_is_set_aside_after_five_tries_and_retried_by_a_supervisor(
    family: Family, app: FastAPI, clock: ManualClock, kiosk_api: TestClient,
) -> None:
    family.add_card()
    charge = fail_until_set_aside(family, app, clock)
    supervisor_headers = supervisor(kiosk_api)
    # The family's retry is told the card was charged and staff will finish it; so is a
    # new payment (a new key): the card is not charged again meanwhile.
    again = family.deposit(2000, key="dep-stuck")
    assert again.status_code == 409 and again.json()["code"] == "charge_needs_attention"
    other = family.deposit(2000, key="dep-new")
    assert other.status_code == 409 and other.json()["code"] == "charge_needs_attention"
    assert charge.id in other.json()["detail"] and count(app, GatewayCharge) == 1
    listed = kiosk_api.get(ATTENTION, headers=supervisor_headers)
    assert listed.status_code == 200, listed.text
    [item] = listed.json()
    assert item["id"] == charge.id and item["purpose"] == "deposit"
    assert item["approved"] is True and item["amount_cents"] == charge.amount_cents
    assert item["effect_failures"] == 5 and "ledger is closed" in item["reason"]
    assert item["actions"] == []

    # Retried before the cause is fixed: still waiting, with one more failure, recorded.
    still = staff_post(kiosk_api, supervisor_headers, charge.id, "retry", "retry-1")
    assert still.status_code == 200, still.text
    assert still.json()["state"] == "needs_attention"
    assert still.json()["effect_failures"] == 6
    assert still.json()["actions"][0]["detail"].startswith("failed again")

    open_ledger(app.state.services.db)
    clock.advance(timedelta(minutes=1))
    done = staff_post(kiosk_api, supervisor_headers, charge.id, "retry", "retry-2")
    assert done.status_code == 200, done.text
    assert done.json()["state"] == "settled"
    assert [(a["action"], a["outcome"], a["idempotency_key"]) for a in done.json()["actions"]
            ] == [("retry", "needs_attention", "retry-1"), ("retry", "settled", "retry-2")]
    assert balance(app, family.account_id) == 2000 and deposit_journals(app) == 1
    replay = staff_post(kiosk_api, supervisor_headers, charge.id, "retry", "retry-2")
    assert replay.json() == done.json() and replay.headers["Idempotent-Replayed"] == "true"
    late = staff_post(kiosk_api, supervisor_headers, charge.id, "retry", "retry-3")
    assert late.status_code == 409 and late.json()["code"] == "charge_not_waiting"
    assert kiosk_api.get(ATTENTION, headers=supervisor_headers).json() == []
    # The family's kiosk retry now gets the deposit; the card was charged once.
    travel_back = family.deposit(2000, key="dep-stuck")
    assert travel_back.status_code == 201, travel_back.text
    assert count(app, GatewayCharge) == 1 and count(app, GatewayRefund) == 0


def test_a_supervisor_refunds_a_charge_that_needs_attention_once(
    family: Family, app: FastAPI, clock: ManualClock, kiosk_api: TestClient,
) -> None:
    family.add_card()
    charge = fail_until_set_aside(family, app, clock)
    supervisor_headers = supervisor(kiosk_api)
    refunded = staff_post(kiosk_api, supervisor_headers, charge.id, "refund", "refund-1")
    assert refunded.status_code == 200, refunded.text
    assert refunded.json()["state"] == "refunded"
    [action] = refunded.json()["actions"]
    assert (action["action"], action["outcome"]) == ("refund", "refunded")
    assert action["actor"] != "" and action["kiosk_id"] is not None
    assert count(app, GatewayRefund) == 1 and balance(app, family.account_id) == 0
    assert deposit_journals(app) == 0
    twice = staff_post(kiosk_api, supervisor_headers, charge.id, "refund", "refund-2")
    assert twice.status_code == 409 and twice.json()["code"] == "charge_not_waiting"
    reused = staff_post(kiosk_api, supervisor_headers, charge.id, "retry", "refund-1")
    assert reused.status_code == 422 and reused.json()["code"] == "idempotency_key_reused"
    assert count(app, GatewayRefund) == 1


def test_only_the_supervisors_of_the_charges_facility_see_or_touch_it(
    family: Family, app: FastAPI, clock: ManualClock, kiosk_api: TestClient,
) -> None:
    family.add_card()
    charge = fail_until_set_aside(family, app, clock)
    services = app.state.services
    add_staff_member(services.db, services.clock, "6160", "Mesa Supervisor",
                     StaffRole.SUPERVISOR, "2580", facility_id="mesa-valley-detention")
    add_staff_member(services.db, services.clock, "5150", "Lee Officer", StaffRole.CLERK,
                     "1357", facility_id="harbor-county-jail")
    mesa = {"X-Staff-Session": kiosk_api.post(
        "/v1/staff/sessions", json={"badge_id": "6160", "pin": "2580"}).json()["token"]}
    assert kiosk_api.get(ATTENTION, headers=mesa).json() == []
    for action in ("retry", "refund"):
        hidden = staff_post(kiosk_api, mesa, charge.id, action, f"mesa-{action}")
        assert hidden.status_code == 404 and hidden.json()["code"] == "charge_unknown"
    clerk = {"X-Staff-Session": kiosk_api.post(
        "/v1/staff/sessions", json={"badge_id": "5150", "pin": "1357"}).json()["token"]}
    refused = kiosk_api.get(ATTENTION, headers=clerk)
    assert refused.status_code == 403 and refused.json()["code"] == "role_required"
    assert staff_post(kiosk_api, clerk, charge.id, "refund", "k").status_code == 403
    assert kiosk_api.get(ATTENTION).status_code == 401
    assert the_charge(app).state is ChargeState.NEEDS_ATTENTION


def test_the_tries_are_a_setting(
    family: Family, app: FastAPI, clock: ManualClock, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(CHARGE_EFFECTS, "tries", 2)
    family.add_card()
    close_ledger(app.state.services.db)
    assert family.deposit(2000, key="dep-2").status_code == 409
    clock.advance(timedelta(minutes=5))
    services = app.state.services
    assert reconcile(services.db, services.gateway, clock).attention == 1
    assert the_charge(app).state is ChargeState.NEEDS_ATTENTION


def test_the_charges_command_lists_retries_and_refunds(
    family: Family, app: FastAPI, clock: ManualClock, seeded_url: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    family.add_card()
    charge = fail_until_set_aside(family, app, clock)
    assert main(["charges", "--attention", "--db", seeded_url]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1 charges need attention") and charge.id in out
    assert "ledger is closed" in out and "harbor-county-jail" in out
    assert main(["charges", "--refund", charge.id, "--db", seeded_url]) == 2
    assert "--by" in capsys.readouterr().err
    assert main(["charges", "--refund", charge.id, "--by", "ops-ana", "--db", seeded_url,
                 "--idempotency-key", "cli-1"]) == 0
    assert '"state": "refunded"' in capsys.readouterr().out
    assert main(["charges", "--retry", charge.id, "--by", "ops-ana", "--db", seeded_url]) == 1
    assert "charge_not_waiting" in capsys.readouterr().err
    with app.state.services.db.read() as session:
        [action] = session.execute(select(ChargeAction)).scalars()
        assert (action.actor, action.idempotency_key, action.outcome) == (
            "operator:ops-ana", "cli-1", "refunded")
    assert count(app, GatewayRefund) == 1
    assert main(["charges", "--attention", "--db", seeded_url]) == 0
    assert capsys.readouterr().out.startswith("0 charges need attention")


def test_the_reconciler_asks_stripe_by_the_stored_id_when_search_has_not_seen_it(
    family: Family, app: FastAPI, clock: ManualClock, standin: StripeStandIn,
    stripe_gateway: StripeGateway,
) -> None:
    """Stripe's search trails its writes (up to an hour in an outage): a charge whose
    PaymentIntent id is stored is read by that id, at once. (Before: only a search, which
    found nothing, and the charge waited.)"""
    services = app.state.services
    services.gateway = stripe_gateway
    family.add_card()
    standin.search_lag = True
    close_ledger(services.db)
    assert family.deposit(2000, key="dep-stripe").status_code == 409
    stored = the_charge(app).gateway_charge_id
    assert stored is not None and stored.startswith("pi_")
    open_ledger(services.db)
    clock.advance(timedelta(minutes=5))
    report = reconcile(services.db, stripe_gateway, clock)
    assert report.settled == 1, report.summary()
    assert balance(app, family.account_id) == 2000
    assert [r.path for r in standin.requests if r.path.endswith(stored)]
    with services.db.read() as session:
        assert session.execute(select(LedgerJournal.charge_id)).scalar_one() == (
            the_charge(app).id)


def test_an_unknown_charge_id_of_any_length_is_not_a_server_error(
    family: Family, kiosk_api: TestClient,
) -> None:
    """Schemathesis on PostgreSQL: a 63-character id made the Idempotency-Key scope longer
    than the key store's column, and PostgreSQL answered with an error (500)."""
    headers = supervisor(kiosk_api)
    for charge_id in ("0" * 32, "0" * 47, "0" * 63):
        for action in ("retry", "refund"):
            answer = staff_post(kiosk_api, headers, charge_id, action, f"k-{action}")
            assert answer.status_code in (404, 422), answer.text
            assert answer.json()["code"] in ("charge_unknown", "invalid_input"), answer.text
