"""Card charges as records: a ``charges`` row is committed before the gateway is asked, and
the business effect (journal, paid period) commits together with the charge's final state.

Nothing about money depends on the process surviving the gateway call: whatever a crash
leaves PENDING, the next attempt under the same gateway key (a client retry, the next
renewal run) or the reconciler (:mod:`central.money.reconciler`) finishes, exactly once,
because finishing locks the charge row and acts only while it is still PENDING. A charge
that a journal or a period references is never refunded.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from central.clock import Clock
from central.db.engine import Database
from central.money.gateway import ChargeResult, KeyConflict, PaymentGateway
from central.money.models import Charge, ChargePurpose, ChargeState, LedgerJournal
from central.money.payments import CardOnFile, declined_problem
from central.plans.models import SubscriptionPeriod
from central.ports import Replayable
from central.problems import ProblemError

log = logging.getLogger(__name__)

# A charge still PENDING after this long has no request working on it any more: a retry
# or a renewal run may take it over (the gateway key makes a second ask a replay).
IN_FLIGHT_FOR_SECONDS = 120


class Ports(Replayable, Protocol):
    """What a money handler needs: the unit of work (``db.transaction()``), the clock, the
    card processor and the Idempotency-Key store. The API's services provide them."""

    @property
    def gateway(self) -> PaymentGateway: ...


class ChargeEffect(Protocol):
    """What an approved or declined charge of one purpose does, in the transaction that
    records the charge's final state."""

    def apply(self, session: Session, charge: Charge, clock: Clock) -> bool:
        """Commit the business effect; False when it can no longer happen (the charge is
        then refunded)."""
        ...

    def declined(self, session: Session, charge: Charge, clock: Clock) -> None:
        """What a decline means beyond the answer (a renewal expires the subscription)."""
        ...


@dataclass(frozen=True)
class ChargeSpec:
    purpose: ChargePurpose
    account_id: str | None
    amount_cents: int
    gateway_key: str
    card: CardOnFile  # its payment_method_id is "" for a card that is not on file
    details: dict[str, Any]
    subject_id: str | None = None


@dataclass(frozen=True)
class ChargeView:
    """A committed charge, detached from its session."""

    id: str
    purpose: ChargePurpose
    account_id: str | None
    subject_id: str | None
    amount_cents: int
    gateway_key: str
    gateway_token: str
    state: ChargeState
    gateway_charge_id: str | None
    decline_code: str | None
    details: dict[str, Any]
    created_at: datetime


def view_of(charge: Charge) -> ChargeView:
    return ChargeView(
        id=charge.id, purpose=charge.purpose, account_id=charge.account_id,
        subject_id=charge.subject_id, amount_cents=charge.amount_cents,
        gateway_key=charge.gateway_key, gateway_token=charge.gateway_token, state=charge.state,
        gateway_charge_id=charge.gateway_charge_id, decline_code=charge.decline_code,
        details=json.loads(charge.details), created_at=charge.created_at,
    )


def owner(charge: Charge | ChargeView) -> str:
    """The account a deposit or subscription charge belongs to (only a Single Call may have
    none)."""
    if charge.account_id is None:
        raise ValueError(f"charge {charge.id} ({charge.purpose.value}) has no account")
    return charge.account_id


def key_reused_problem() -> ProblemError:
    return ProblemError(422, "idempotency_key_reused",
                        "This Idempotency-Key was already used for a different charge",
                        "Use a new key for a new operation.", field="Idempotency-Key")


def charge_by_key(session: Session, gateway_key: str, *, for_update: bool = False
                  ) -> Charge | None:
    query = select(Charge).where(Charge.gateway_key == gateway_key)
    if for_update:
        query = query.with_for_update()
    return session.execute(query).scalar_one_or_none()


def open_charge(session: Session, spec: ChargeSpec, now: datetime) -> ChargeView:
    """The charge for ``spec.gateway_key``: the one already recorded (a retry, a takeover:
    it keeps its card and amount), else a new PENDING one. The caller commits it before
    asking the gateway. An ABANDONED charge (the gateway never saw its key) is reopened."""
    existing = charge_by_key(session, spec.gateway_key, for_update=True)
    if existing is not None:
        return _reuse(existing, spec, now)
    charge = _new_charge(spec, now)
    try:
        with session.begin_nested():
            session.add(charge)
    except IntegrityError:  # the same key opened at the same moment (renew-now and renewal)
        raced = charge_by_key(session, spec.gateway_key, for_update=True)
        assert raced is not None
        return _reuse(raced, spec, now)
    return view_of(charge)


def open_charges(session: Session, specs: Sequence[ChargeSpec], now: datetime
                 ) -> list[ChargeView]:
    """:func:`open_charge` for a batch (a renewal run's), in one query for the keys already
    recorded and one flush for the new ones. A key opened elsewhere at the same moment
    fails the flush (IntegrityError): the caller then opens the batch one by one."""
    recorded = {c.gateway_key: c for c in session.execute(
        select(Charge).where(Charge.gateway_key.in_([s.gateway_key for s in specs]))
        .order_by(Charge.gateway_key).with_for_update()).scalars()}
    charges: list[Charge] = []
    views: list[ChargeView | None] = []
    for spec in specs:
        existing = recorded.get(spec.gateway_key)
        if existing is not None:
            views.append(_reuse(existing, spec, now))
            continue
        charge = _new_charge(spec, now)
        session.add(charge)
        recorded[spec.gateway_key] = charge
        charges.append(charge)
        views.append(None)
    session.flush()
    made = iter(charges)
    return [view if view is not None else view_of(next(made)) for view in views]


def _new_charge(spec: ChargeSpec, now: datetime) -> Charge:
    return Charge(
        purpose=spec.purpose, account_id=spec.account_id, subject_id=spec.subject_id,
        amount_cents=spec.amount_cents, gateway_key=spec.gateway_key,
        gateway_token=spec.card.token, payment_method_id=spec.card.payment_method_id or None,
        state=ChargeState.PENDING, details=json.dumps(spec.details, sort_keys=True),
        created_at=now,
    )


def _reuse(existing: Charge, spec: ChargeSpec, now: datetime) -> ChargeView:
    if existing.purpose is not spec.purpose or existing.amount_cents != spec.amount_cents:
        raise key_reused_problem()
    if existing.state is ChargeState.ABANDONED:
        existing.state = ChargeState.PENDING
        existing.created_at = now
    return view_of(existing)


def ask_gateway(gateway: PaymentGateway, charge: ChargeView) -> ChargeResult:
    """Charge the card the charge row names (not whatever card is on file now), under its
    key: asking again is a replay, never a second charge."""
    try:
        return gateway.charge(charge.gateway_token, charge.amount_cents, charge.gateway_key)
    except KeyConflict:
        raise key_reused_problem() from None


def settle(
    db: Database, gateway: PaymentGateway, clock: Clock, charge_id: str,
    result: ChargeResult | None, effect: ChargeEffect,
) -> ChargeView:
    """Record what the gateway answered (None: it has no charge under the key) and, for an
    approval, the effect, in one transaction; then refund if the effect could not happen.
    Only the first caller acts: a charge no longer PENDING is answered as it is."""
    [(settled, _acted)] = settle_many(db, gateway, clock, [(charge_id, result)], effect)
    return settled


def settle_many(
    db: Database, gateway: PaymentGateway, clock: Clock,
    answers: Sequence[tuple[str, ChargeResult | None]], effect: ChargeEffect,
    preload: Callable[[Session, list[Charge]], object] | None = None,
) -> list[tuple[ChargeView, bool]]:
    """:func:`settle` for several charges in one transaction (a renewal batch): the charges
    are locked in one query (in id order) and each is finished exactly as alone, and all
    commit together, so a crash leaves every one of them PENDING or every one final.
    ``preload(session, charges)`` may load, in a few queries, what the effects will read;
    what it returns is kept until the commit (the session holds its objects only weakly).
    Answers each charge's view and whether this call finished it (False: it was final
    already)."""
    finished: list[tuple[ChargeView, bool]] = []
    with db.transaction() as session:
        locked = {c.id: c for c in session.execute(
            select(Charge).where(Charge.id.in_([charge_id for charge_id, _r in answers]))
            .order_by(Charge.id).with_for_update()).scalars()}
        kept = preload(session, list(locked.values())) if preload is not None else None
        for charge_id, result in answers:
            charge = locked[charge_id]
            acted = charge.state in (ChargeState.PENDING, ChargeState.ABANDONED)
            if acted:
                _record(session, charge, result, effect, clock)
            finished.append((view_of(charge), acted))
        del kept
    return [(refund_unused(db, gateway, view.id), acted)
            if view.state is ChargeState.REFUND_DUE else (view, acted)
            for view, acted in finished]


def _record(session: Session, charge: Charge, result: ChargeResult | None,
            effect: ChargeEffect, clock: Clock) -> None:
    now = clock.now()
    if result is None:
        charge.state = ChargeState.ABANDONED
    elif not result.approved:
        charge.state = ChargeState.DECLINED
        charge.decline_code = result.decline_code.value if result.decline_code else None
        charge.settled_at = now
        effect.declined(session, charge, clock)
    else:
        charge.gateway_charge_id = result.charge_id
        charge.settled_at = now
        charge.state = ChargeState.REFUND_DUE
        session.flush()
        if effect.apply(session, charge, clock):
            charge.state = ChargeState.SETTLED


def is_referenced(session: Session, charge_id: str) -> bool:
    """Whether a period or a journal says this charge paid for it."""
    return bool(session.execute(select(
        exists().where(SubscriptionPeriod.charge_id == charge_id)
        | exists().where(LedgerJournal.charge_id == charge_id)
    )).scalar())


def refund_unused(db: Database, gateway: PaymentGateway, charge_id: str) -> ChargeView:
    """Give back an approved charge whose effect could not happen (REFUND_DUE), once (the
    refund key is the charge's). A charge anything references is never refunded."""
    with db.transaction() as session:
        charge = session.get_one(Charge, charge_id)
        if charge.state is not ChargeState.REFUND_DUE:
            return view_of(charge)
        if is_referenced(session, charge_id):
            log.error("charge %s is used and was marked for refund; keeping it", charge_id)
            charge.state = ChargeState.SETTLED
            return view_of(charge)
        due = view_of(charge)
    assert due.gateway_charge_id is not None
    gateway.refund(due.gateway_charge_id, due.amount_cents, f"refund:{due.gateway_key}")
    with db.transaction() as session:
        charge = session.get_one(Charge, charge_id)
        charge.state = ChargeState.REFUNDED
        return view_of(charge)


def pay(ports: Ports, charge: ChargeView, effect: ChargeEffect,
        unusable: ProblemError) -> ChargeView:
    """Finish a charge opened by a request: ask the gateway (unless the charge is already
    final) and settle. Answers a SETTLED charge; a decline is its 402 problem; a charge
    whose effect could not happen (and was refunded) is ``unusable``."""
    if charge.state in (ChargeState.PENDING, ChargeState.ABANDONED):
        charge = settle(ports.db, ports.gateway, ports.clock, charge.id,
                        ask_gateway(ports.gateway, charge), effect)
    if charge.state is ChargeState.DECLINED:
        raise declined_problem(charge.decline_code)
    if charge.state in (ChargeState.REFUND_DUE, ChargeState.REFUNDED):
        raise unusable
    return charge
