"""A subscription's next period has one owner (issue 17, item 3): the state machine of
:mod:`central.plans.next_period`, and the defects it fixed, through the real API, the real
renewal run and the real reconciler, on SQLite and PostgreSQL (docs/billing-rules.md, "The
next period")."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy import select, update

from central.kernel.clock import ManualClock
from central.money.gateway.models import GatewayCharge, GatewayRefund
from central.money.models import Charge, ChargePurpose, ChargeState
from central.money.reconciler import ABANDON_AFTER, reconcile
from central.plans.models import Subscription
from tests.central.family_support import DECLINE, MASTERCARD, Family
from tests.central.test_gateway_unavailable import DownOnce, assert_unavailable
from tests.central.test_subscriptions import at, count, mail_keys, one, renew, subscribe, travel


def renewal_charges(app: FastAPI) -> list[tuple[str, ChargeState]]:
    with app.state.services.db.transaction() as session:
        return [(c.gateway_key, c.state) for c in session.scalars(
            select(Charge).where(Charge.purpose == ChargePurpose.RENEWAL)
            .order_by(Charge.created_at, Charge.gateway_key))]


def test_cancel_after_renew_now_honours_the_paid_period_then_ends(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    """Renew-now, then cancel: the paid period starts at period end, the subscription ends
    at the end of that paid period, and nothing is refunded."""
    sub = subscribe(family, mode="manual")
    travel(family, clock, timedelta(days=20))
    renewed = family.post(f"/subscriptions/{sub['id']}/renew-now", key="rn-then-cancel")
    assert renewed.status_code == 200, renewed.text
    paid_end = at(renewed.json()["renewed_through"])
    cancelled = family.post(f"/subscriptions/{sub['id']}/cancel")
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["cancel_at_period_end"] is True
    assert at(cancelled.json()["renewed_through"]) == paid_end

    travel(family, clock, at(sub["period_end"]))
    report = renew(app, clock)
    assert (report.renewed, report.canceled) == (1, 0)
    current = one(family, sub["id"])
    assert current["status"] == "active"
    assert (at(current["period_start"]), at(current["period_end"])) == (
        at(sub["period_end"]), paid_end)
    assert current["cancel_at_period_end"] is True  # it still ends, after the paid period
    assert count(app, GatewayRefund) == 0

    travel(family, clock, paid_end)
    assert renew(app, clock).canceled == 1
    ended = one(family, sub["id"])
    assert (ended["status"], at(ended["ended_at"])) == ("canceled", paid_end)
    assert count(app, GatewayCharge) == 2 and count(app, GatewayRefund) == 0


def test_after_a_declined_renew_now_another_card_is_tried(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    """Each attempt has its own gateway key: a decline does not lock the period."""
    sub = subscribe(family, mode="manual")
    family.add_card(DECLINE)
    declined = family.post(f"/subscriptions/{sub['id']}/renew-now", key="rn-declined")
    assert (declined.status_code, declined.json()["code"]) == (402, "card_declined")
    family.add_card(MASTERCARD)
    paid = family.post(f"/subscriptions/{sub['id']}/renew-now", key="rn-new-card")
    assert paid.status_code == 200, paid.text
    assert paid.json()["renewed_through"] is not None
    start = sub["period_end"]
    assert renewal_charges(app) == [
        (f"renewal:{sub['id']}:{start}:1", ChargeState.DECLINED),
        (f"renewal:{sub['id']}:{start}:2", ChargeState.SETTLED),
    ]
    again = family.post(f"/subscriptions/{sub['id']}/renew-now", key="rn-third")
    assert (again.status_code, again.json()["code"]) == (409, "already_renewed")
    travel(family, clock, at(sub["period_end"]))
    assert renew(app, clock).renewed == 1
    assert count(app, GatewayCharge) == 3  # the purchase, the decline, the approval


def test_a_renew_now_the_gateway_never_took_is_not_charged_at_period_end(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    """A manual plan renews only on a charge the gateway took: a renew-now that met a
    gateway that was down (nothing charged) is never charged by the renewal run."""
    sub = subscribe(family, mode="manual")
    app.state.services.gateway = DownOnce(app, "charge")
    assert_unavailable(family.post(f"/subscriptions/{sub['id']}/renew-now", key="rn-down"))
    assert count(app, GatewayCharge) == 1  # the purchase only

    clock.set(at(sub["period_end"]) + timedelta(minutes=10))
    report = renew(app, clock)
    assert report.renewed == 0 and count(app, GatewayCharge) == 1
    with app.state.services.db.transaction() as session:
        waiting = session.get_one(Subscription, sub["id"])
        assert waiting.current_period_end == at(sub["period_end"])  # not renewed

    clock.advance(ABANDON_AFTER + timedelta(minutes=5))
    services = app.state.services
    assert reconcile(services.db, services.gateway, clock).abandoned == 1
    assert renew(app, clock).expired == 1
    with app.state.services.db.transaction() as session:
        assert session.get_one(Subscription, sub["id"]).status.value == "expired"
    assert count(app, GatewayCharge) == 1  # still nothing charged
    assert f"coverage-ended:{sub['id']}" in mail_keys(app)


def test_a_renewal_of_a_subscription_sold_at_0_cents_is_never_charged(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    """A price under 1 c stored before the price list refused it: the run neither charges
    0 c nor fails on it every run; coverage ends and the family is told."""
    sub = subscribe(family)
    with app.state.services.db.transaction() as session:
        session.execute(update(Subscription).values(price_cents=0))
    clock.set(at(sub["period_end"]))
    report = renew(app, clock)
    assert (report.expired, report.failed, report.renewed) == (1, 0, 0)
    assert renewal_charges(app) == []
    assert count(app, GatewayCharge) == 1
    assert f"coverage-ended:{sub['id']}" in mail_keys(app)
    assert renew(app, clock).claimed == 0


def test_a_second_approved_charge_for_a_paid_period_is_refunded_by_the_database_rule(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    """One approved charge per period is kept by the period, not by a gateway key: attempt 1
    was taken by the gateway but given up as abandoned (a processor's search that lagged),
    attempt 2 paid the period, then attempt 1's approval arrives (a late webhook): it has no
    period to pay, and is refunded."""
    from central.money.charges import settle
    from central.plans.purchases import RENEWAL

    sub = subscribe(family, mode="manual")
    services = app.state.services
    services.gateway = DownOnce(app, "charge", after=True)  # charged, then no answer
    assert_unavailable(family.post(f"/subscriptions/{sub['id']}/renew-now", key="rn-lost"))
    first = f"renewal:{sub['id']}:{sub['period_end']}:1"
    with services.db.transaction() as session:
        session.execute(update(Charge).where(Charge.gateway_key == first)
                        .values(state=ChargeState.ABANDONED))
    paid = family.post(f"/subscriptions/{sub['id']}/renew-now", key="rn-again")
    assert paid.status_code == 200, paid.text
    with services.db.transaction() as session:
        late = session.scalars(select(Charge).where(Charge.gateway_key == first)).one()
    settle(services.db, services.gateway, clock, late.id,
           services.gateway.find_charge(first), RENEWAL)
    assert renewal_charges(app) == [(first, ChargeState.REFUNDED),
                                    (f"renewal:{sub['id']}:{sub['period_end']}:2",
                                     ChargeState.SETTLED)]
    assert count(app, GatewayRefund) == 1
    assert one(family, sub["id"])["renewed_through"] == paid.json()["renewed_through"]


def test_the_database_keeps_one_period_per_charge(family: Family, app: FastAPI) -> None:
    from sqlalchemy.exc import IntegrityError

    from central.plans.models import SubscriptionPeriod

    sub = subscribe(family)
    services = app.state.services
    with services.db.transaction() as session:
        bought = session.scalars(select(SubscriptionPeriod)).one()
        charge_id, end = bought.charge_id, bought.period_end
    with pytest.raises(IntegrityError), services.db.transaction() as session:
        session.add(SubscriptionPeriod(
            subscription_id=sub["id"], period_start=end, period_end=end + timedelta(days=28),
            amount_cents=1, charge_key="another", charge_id=charge_id, charged_at=end))
    assert count(app, SubscriptionPeriod) == 1
