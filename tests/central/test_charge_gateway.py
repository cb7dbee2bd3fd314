"""Each charge records the gateway that took it (issue 17, item 1), and only that gateway is
ever asked about it again: a reconcile, a renewal run or a retried request on another gateway
leaves it as it is and says so. A gateway that cannot be reached answers 503 with
Retry-After, and the request's Idempotency-Key is not used up by it (docs/payments.md)."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy import select, update

from central.kernel.clock import ManualClock, SystemClock
from central.money.gateway.models import GatewayCharge
from central.money.gateway.stripe_gateway import StripeGateway
from central.money.models import Charge, ChargeState
from central.money.reconciler import ABANDON_AFTER, reconcile
from central.plans.models import Subscription, SubscriptionStatus
from central.plans.renewals import run_renewals
from tests.central.family_support import DECLINE, Family
from tests.central.test_charges import LostAnswer, balance, charges
from tests.central.test_renewals import ChargesThenFails, ProcessDied
from tests.central.test_subscriptions import at, subscribe
from tests.stripe_standin import StripeStandIn


def recorded_as(app: FastAPI, gateway: str) -> None:
    """Make every charge look as if ``gateway`` had taken it."""
    with app.state.services.db.transaction() as session:
        session.execute(update(Charge).values(gateway=gateway))


def lost_deposit(family: Family, app: FastAPI, clock: ManualClock) -> Charge:
    """A deposit the sandbox charged whose answer was lost: PENDING, past the grace."""
    family.add_card()
    services = app.state.services
    real = services.gateway
    services.gateway = LostAnswer(app)
    assert family.deposit(2000, key="dep-lost").status_code == 500
    services.gateway = real
    clock.advance(timedelta(minutes=5))
    [charge] = charges(app)
    assert charge.state is ChargeState.PENDING
    return charge


# --- what a charge records ---------------------------------------------------------------


def test_a_charge_records_the_sandbox_and_its_charge_id(family: Family, app: FastAPI) -> None:
    family.add_card()
    assert family.deposit(2000).status_code == 201
    [charge] = charges(app)
    with app.state.services.db.transaction() as session:
        [taken] = session.scalars(select(GatewayCharge))
        assert (charge.gateway, charge.gateway_charge_id) == ("sandbox", taken.id)


def test_a_declined_charge_keeps_the_processors_id(family: Family, app: FastAPI) -> None:
    """A declined PaymentIntent exists at Stripe too: its id is what support looks up."""
    family.add_card(DECLINE)
    assert family.deposit(2000).status_code == 402
    [charge] = charges(app)
    assert charge.state is ChargeState.DECLINED
    with app.state.services.db.transaction() as session:
        [taken] = session.scalars(select(GatewayCharge))
    assert (charge.gateway, charge.gateway_charge_id) == ("sandbox", taken.id)


def test_a_charge_on_stripe_records_stripe_and_the_payment_intent(
    family: Family, app: FastAPI, stripe_gateway: StripeGateway
) -> None:
    app.state.services.gateway = stripe_gateway
    family.add_card()
    assert family.deposit(2000).status_code == 201
    [charge] = charges(app)
    assert charge.gateway == "stripe"
    assert charge.gateway_charge_id is not None and charge.gateway_charge_id.startswith("pi_")


def test_the_gateways_name_their_processor(app: FastAPI, stripe_gateway: StripeGateway
                                           ) -> None:
    assert app.state.services.gateway.name == "sandbox"
    assert stripe_gateway.name == "stripe"


# --- the reconciler asks only the gateway that took the charge ---------------------------


def test_a_sandbox_reconcile_leaves_a_stripe_charge_alone_and_reports_it(
    family: Family, app: FastAPI, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    charge = lost_deposit(family, app, clock)
    recorded_as(app, "stripe")
    services = app.state.services
    clock.advance(ABANDON_AFTER * 2)  # long past the point where "never seen" abandons
    with caplog.at_level(logging.WARNING, logger="central.money.reconciler"):
        report = reconcile(services.db, services.gateway, clock)
    assert (report.other_gateway, report.settled, report.abandoned, report.failed) == (
        1, 0, 0, 0)
    assert "1 left for another gateway" in report.summary()
    assert f"charge {charge.id} left as it is: the 'stripe' gateway took it" in caplog.text
    [still] = charges(app)
    assert still.state is ChargeState.PENDING and balance(app, family.account_id) == 0


def test_a_stripe_reconcile_leaves_a_sandbox_charge_alone_and_reports_it(
    family: Family, app: FastAPI, clock: ManualClock, stripe_gateway: StripeGateway,
    standin: StripeStandIn,
) -> None:
    lost_deposit(family, app, clock)
    services = app.state.services
    clock.advance(ABANDON_AFTER * 2)
    report = reconcile(services.db, stripe_gateway, clock)
    assert (report.other_gateway, report.abandoned, report.failed) == (1, 0, 0)
    assert standin.requests == []  # Stripe was never asked about the sandbox's key
    [still] = charges(app)
    assert still.state is ChargeState.PENDING
    # The run on the gateway that took it finishes it.
    assert reconcile(services.db, services.gateway, clock).settled == 1
    assert balance(app, family.account_id) == 2000


def test_a_refund_due_on_another_gateway_is_not_refunded_by_this_one(
    family: Family, app: FastAPI, clock: ManualClock, stripe_gateway: StripeGateway,
    standin: StripeStandIn,
) -> None:
    lost_deposit(family, app, clock)
    with app.state.services.db.transaction() as session:
        session.execute(update(Charge).values(state=ChargeState.REFUND_DUE,
                                              gateway_charge_id="ch_elsewhere"))
    report = reconcile(app.state.services.db, stripe_gateway, clock)
    assert (report.other_gateway, report.refunded, report.failed) == (1, 0, 0)
    assert standin.requests == []
    assert [c.state for c in charges(app)] == [ChargeState.REFUND_DUE]


def test_the_reconcile_command_prints_what_it_left_for_another_gateway(
    family: Family, app: FastAPI, clock: ManualClock, seeded_url: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from central.cli import main

    lost_deposit(family, app, clock)
    recorded_as(app, "stripe")
    with app.state.services.db.transaction() as session:  # old enough on the real clock
        session.execute(update(Charge).values(created_at=SystemClock().now()
                                              - timedelta(hours=3)))
    assert main(["reconcile", "--db", seeded_url, "--gateway", "sandbox"]) == 0
    out = capsys.readouterr().out
    assert "1 left for another gateway" in out
    assert [c.state for c in charges(app)] == [ChargeState.PENDING]


# --- requests and renewals ask only the gateway that took the charge ---------------------


def test_a_retry_of_a_charge_another_gateway_took_is_refused_not_asked(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    lost_deposit(family, app, clock)
    recorded_as(app, "stripe")
    retried = family.deposit(2000, key="dep-lost")
    assert retried.status_code == 409, retried.text
    assert retried.json()["code"] == "charge_on_other_gateway"
    assert [c.state for c in charges(app)] == [ChargeState.PENDING]
    assert balance(app, family.account_id) == 0


def test_a_renewal_run_leaves_a_renewal_pending_on_another_gateway(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    sub = subscribe(family)
    services = app.state.services
    clock.set(at(sub["period_end"]))
    with pytest.raises(ProcessDied):
        run_renewals(services.db, ChargesThenFails(services.gateway, ProcessDied()), clock,
                     worker_id="dead")
    with services.db.transaction() as session:
        session.execute(update(Charge).where(Charge.purpose == "renewal")
                        .values(gateway="stripe"))
    later = ManualClock(SystemClock().now() + timedelta(minutes=30))  # the claim is stale
    report = run_renewals(services.db, services.gateway, clock, worker_id="live",
                          wall_clock=later)
    assert (report.other_gateway, report.renewed, report.expired) == (1, 0, 0)
    assert "1 left for another gateway" in report.summary()
    with services.db.transaction() as session:
        kept = session.get_one(Subscription, sub["id"])
        assert kept.status is SubscriptionStatus.ACTIVE and kept.renewal_claim is None
        renewal = session.scalars(select(Charge).where(Charge.purpose == "renewal")).one()
        assert renewal.state is ChargeState.PENDING
