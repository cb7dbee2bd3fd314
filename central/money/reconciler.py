"""The reconciler: settles card charges a crash or a lost answer left unfinished, exactly once
(after Kill Bill's payment janitor). ``lobby-central reconcile`` runs it once; the server's
scheduler runs it every round.

A charge still PENDING a few minutes after it was opened has nobody working on it: the
gateway is asked what happened under its key. Approved: the effect is applied (or, if it can
no longer happen, the charge is refunded); declined: recorded as declined; never seen: after
``ABANDON_AFTER`` (far beyond any gateway timeout) it is marked abandoned, nothing having
been charged. A charge marked for refund whose refund did not complete is refunded.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from central.calls.single_call import SINGLE_CALL
from central.clock import Clock
from central.db.engine import Database
from central.money.charges import ChargeEffect, refund_unused, settle, view_of
from central.money.deposits import DEPOSIT
from central.money.gateway import PaymentGateway
from central.money.models import Charge, ChargePurpose, ChargeState
from central.plans.purchases import RENEWAL, SUBSCRIPTION

log = logging.getLogger(__name__)

PENDING_GRACE = timedelta(minutes=3)
ABANDON_AFTER = timedelta(hours=1)

EFFECTS: dict[ChargePurpose, ChargeEffect] = {
    ChargePurpose.DEPOSIT: DEPOSIT,
    ChargePurpose.SUBSCRIPTION: SUBSCRIPTION,
    ChargePurpose.RENEWAL: RENEWAL,
    ChargePurpose.SINGLE_CALL: SINGLE_CALL,
}


@dataclass
class ReconcileReport:
    examined: int = 0
    settled: int = 0
    declined: int = 0
    refunded: int = 0
    abandoned: int = 0
    waiting: int = 0  # the gateway has no charge yet, too early to call it abandoned
    failed: int = 0
    outcomes: dict[str, str] = field(default_factory=dict)  # charge id -> final state

    def summary(self) -> str:
        return (f"reconciled {self.examined} charges: {self.settled} settled, "
                f"{self.declined} declined, {self.refunded} refunded, {self.abandoned} "
                f"abandoned, {self.waiting} waiting, {self.failed} failed")


def reconcile(
    db: Database, gateway: PaymentGateway, clock: Clock, *,
    older_than: timedelta = PENDING_GRACE, limit: int = 500,
) -> ReconcileReport:
    """Settle every charge PENDING (or REFUND_DUE) for longer than ``older_than``."""
    now = clock.now()
    report = ReconcileReport()
    with db.transaction() as session:
        unfinished = list(session.execute(
            select(Charge.id).where(
                Charge.state.in_([ChargeState.PENDING, ChargeState.REFUND_DUE]),
                Charge.created_at <= now - older_than,
            ).order_by(Charge.created_at, Charge.id).limit(limit)
        ).scalars())
    for charge_id in unfinished:
        report.examined += 1
        try:
            state = _reconcile_one(db, gateway, clock, charge_id)
        # One charge's failure (gateway down) must not stop the others; it stays as it was
        # and the next round tries again.
        except Exception:
            log.exception("reconciling charge %s failed", charge_id)
            report.failed += 1
            continue
        report.outcomes[charge_id] = state.value
        if state is ChargeState.SETTLED:
            report.settled += 1
        elif state is ChargeState.DECLINED:
            report.declined += 1
        elif state is ChargeState.REFUNDED:
            report.refunded += 1
        elif state is ChargeState.ABANDONED:
            report.abandoned += 1
        else:
            report.waiting += 1
    return report


def _reconcile_one(db: Database, gateway: PaymentGateway, clock: Clock, charge_id: str
                   ) -> ChargeState:
    with db.transaction() as session:
        charge = view_of(session.get_one(Charge, charge_id))
    if charge.state is ChargeState.REFUND_DUE:
        return refund_unused(db, gateway, charge_id).state
    if charge.state is not ChargeState.PENDING:
        return charge.state
    result = gateway.find_charge(charge.gateway_key)
    if result is None and clock.now() - charge.created_at < ABANDON_AFTER:
        return ChargeState.PENDING
    return settle(db, gateway, clock, charge_id, result, EFFECTS[charge.purpose]).state
