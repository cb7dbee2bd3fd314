"""A renewal racing itself: two ``lobby-central renew`` processes on the same database at once
charge each due subscription exactly once and start exactly one new period (rule 5). The real
case is PostgreSQL (claims by conditional UPDATE, candidates FOR UPDATE SKIP LOCKED); SQLite
runs it too, where BEGIN IMMEDIATE serializes the two writers."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime

from sqlalchemy import func, select

from central.db.engine import Database
from central.identity.models import Account
from central.kernel.clock import ManualClock
from central.money.gateway import CardDetails
from central.money.gateway.models import GatewayCharge
from central.money.gateway.sandbox import SandboxGateway
from central.money.models import PaymentMethod
from central.plans.models import (
    RenewalMode,
    Service,
    Subscription,
    SubscriptionPeriod,
    SubscriptionStatus,
)
from central.plans.periods import boundary

SUBSCRIPTIONS = 60
ANCHOR = datetime(2026, 1, 15, 17, 0, tzinfo=UTC)
AS_OF = "2026-02-15T18:00:00Z"
PLAN = "harbor-county-jail:call-100"


def _due_subscriptions(db: Database, clock: ManualClock) -> list[str]:
    """Accounts with a card on file and an auto-renewing subscription whose period has ended,
    written directly (registration's slow PIN hash would dominate the test)."""
    gateway = SandboxGateway(db, clock)
    end = boundary(ANCHOR, 1, "America/Chicago")
    ids = []
    for n in range(SUBSCRIPTIONS):
        card = gateway.tokenize(CardDetails("4242424242424242", 12, 2030, "123"))
        with db.transaction() as session:
            account = Account(
                first_name="Family", last_name=f"No. {n}", phone=f"+1713555{n:04d}",
                email=f"family{n}@example.org", address_line1="1 Main St", city="Houston",
                state="TX", postal_code="77002", pin_hash="not-a-real-hash",
                created_at=ANCHOR,
            )
            session.add(account)
            session.flush()
            method = PaymentMethod(account_id=account.id, gateway_token=card.token,
                                   brand=card.brand.value, last4=card.last4, exp_month=12,
                                   exp_year=2030, created_at=ANCHOR)
            session.add(method)
            session.flush()
            subscription = Subscription(
                account_id=account.id, facility_id="harbor-county-jail", plan_id=PLAN,
                service=Service.CALLS, phone=account.phone, status=SubscriptionStatus.ACTIVE,
                price_cents=3999, allotment=100, renewal_mode=RenewalMode.AUTO,
                payment_method_id=method.id, period_anchor=ANCHOR, period_index=0,
                current_period_start=ANCHOR, current_period_end=end, used_in_period=42,
                terms_version="t", terms_accepted_at=ANCHOR, created_at=ANCHOR,
            )
            session.add(subscription)
            session.flush()
            session.add(SubscriptionPeriod(
                subscription_id=subscription.id, period_start=ANCHOR, period_end=end,
                amount_cents=3999, charge_key=f"subscription:{subscription.id}:start",
                charged_at=ANCHOR,
            ))
            ids.append(subscription.id)
    return ids


def test_two_processes_renew_each_subscription_once(seeded_url: str) -> None:
    db = Database(seeded_url)
    try:
        ids = _due_subscriptions(db, ManualClock(ANCHOR))
        command = [sys.executable, "-m", "central.cli", "renew", "--db", seeded_url,
                   "--as-of", AS_OF]
        runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True) for _ in range(2)]
        outputs = [run.communicate(timeout=300) for run in runs]
        for run, (out, err) in zip(runs, outputs, strict=True):
            assert run.returncode == 0, out + err
        renewed = [int(out.split(" renewed")[0].rsplit(" ", 1)[1]) for out, _err in outputs]
        assert sum(renewed) == SUBSCRIPTIONS, outputs
        with db.transaction() as session:
            charges = session.execute(
                select(GatewayCharge.idempotency_key, func.count())
                .group_by(GatewayCharge.idempotency_key)
            ).all()
            assert len(charges) == SUBSCRIPTIONS and {n for _k, n in charges} == {1}
            per_subscription = dict(session.execute(
                select(SubscriptionPeriod.subscription_id, func.count())
                .group_by(SubscriptionPeriod.subscription_id)
            ).all())
            assert per_subscription == dict.fromkeys(ids, 2)
            states = session.execute(
                select(Subscription.period_index, Subscription.used_in_period,
                       Subscription.renewal_claim, func.count())
                .group_by(Subscription.period_index, Subscription.used_in_period,
                          Subscription.renewal_claim)
            ).all()
            assert states == [(1, 0, None, SUBSCRIPTIONS)]
    finally:
        db.dispose()

