"""The reconciler: settles card charges a crash or a lost answer left unfinished, exactly once
(after Kill Bill's payment janitor). ``lobby-central reconcile`` runs it once; the server's
scheduler runs it every round.

A charge still PENDING a few minutes after it was opened has nobody working on it: the
gateway is asked what happened under its key. Approved: the effect is applied (or, if it can
no longer happen, the charge is refunded); declined: recorded as declined; never seen: after
``ABANDON_AFTER`` (far beyond any gateway timeout) it is marked abandoned, nothing having
been charged. A charge marked for refund whose refund did not complete is refunded.

The gateway is asked by the charge's stored gateway id when there is one (Stripe's
PaymentIntent id), else by its key. An approved charge whose effect fails is tried again at
each round, up to the tries allowed (``LOBBY_CENTRAL_CHARGE_TRIES``); then it needs
attention (``attention`` in the report) and a person refunds or retries it
(:mod:`central.money.attention`); no round asks about it again.

Only the gateway that took a charge (``charges.gateway``) is ever asked about it: another
has never seen its key and would answer "never charged", and an approved charge would be
given up. A run on another gateway leaves such charges exactly as they are and reports them
(``other_gateway``), for a run on their own gateway to finish.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from central.db.engine import Database
from central.kernel.clock import Clock
from central.money.charges import EffectFailed, check_gateway, refund_unused, settle, view_of
from central.money.effects import CHARGE_EFFECTS, ChargeEffects
from central.money.gateway import PaymentGateway
from central.money.models import Charge, ChargeState

log = logging.getLogger(__name__)

PENDING_GRACE = timedelta(minutes=3)
ABANDON_AFTER = timedelta(hours=1)

@dataclass
class ReconcileReport:
    examined: int = 0
    settled: int = 0
    declined: int = 0
    refunded: int = 0
    abandoned: int = 0
    waiting: int = 0  # the gateway has no charge yet, too early to call it abandoned
    failed: int = 0
    # Effects that failed for the last allowed time in this run: set aside for a person.
    attention: int = 0
    # Taken by another gateway than this run's: left untouched, for a run on that gateway.
    other_gateway: int = 0
    outcomes: dict[str, str] = field(default_factory=dict)  # charge id -> final state

    def summary(self) -> str:
        return (f"reconciled {self.examined} charges: {self.settled} settled, "
                f"{self.declined} declined, {self.refunded} refunded, {self.abandoned} "
                f"abandoned, {self.waiting} waiting, {self.failed} failed; "
                f"{self.other_gateway} left for another gateway; {self.attention} set aside "
                "for a person (lobby-central charges --attention)")


def reconcile(
    db: Database, gateway: PaymentGateway, clock: Clock, *,
    older_than: timedelta = PENDING_GRACE, limit: int = 500,
    effects: ChargeEffects = CHARGE_EFFECTS,
) -> ReconcileReport:
    """Settle every charge PENDING (or REFUND_DUE) for longer than ``older_than``, each with
    the effect its capability registered in ``effects``."""
    now = clock.now()
    report = ReconcileReport()
    with db.transaction() as session:
        unfinished = list(session.execute(
            select(Charge.id, Charge.gateway).where(
                Charge.state.in_([ChargeState.PENDING, ChargeState.REFUND_DUE]),
                Charge.created_at <= now - older_than,
            ).order_by(Charge.created_at, Charge.id).limit(limit)
        ).all())
    for charge_id, took_it in unfinished:
        report.examined += 1
        if took_it != gateway.name:
            log.warning("charge %s left as it is: the %r gateway took it and this run uses "
                        "%r; reconcile with --gateway %s to finish it",
                        charge_id, took_it, gateway.name, took_it)
            report.other_gateway += 1
            continue
        try:
            state = _reconcile_one(db, gateway, clock, charge_id, effects)
        except EffectFailed as failed:
            if failed.needs_attention:
                report.attention += 1
                report.outcomes[charge_id] = failed.charge.state.value
            else:
                report.failed += 1
            continue
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


def _reconcile_one(db: Database, gateway: PaymentGateway, clock: Clock, charge_id: str,
                   effects: ChargeEffects) -> ChargeState:
    with db.transaction() as session:
        charge = view_of(session.get_one(Charge, charge_id))
    if charge.state is ChargeState.REFUND_DUE:
        return refund_unused(db, gateway, clock, charge_id, effects).state
    if charge.state is not ChargeState.PENDING:
        return charge.state
    check_gateway(gateway, charge)  # the row was read before; a reopen may have moved it
    result = gateway.find_charge(charge.gateway_key, charge.gateway_charge_id)
    if result is None and clock.now() - charge.created_at < ABANDON_AFTER:
        return ChargeState.PENDING
    return settle(db, gateway, clock, charge_id, result, effects.effect(charge.purpose),
                  effects).state
