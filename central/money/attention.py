"""Charges that cannot finish are seen by a person.

The gateway answered a charge (usually: approved, the money is taken), but the effect of that
answer (the journal, the period, the call) failed, its transaction rolled back, and the
charge stayed PENDING. The request, the reconciler, the renewal run and Stripe's webhook all
try it again, each under the charge's key; every failure is counted on the charge with its
reason (:func:`central.money.charges.settle_many`). After ``tries`` failures (the setting
``LOBBY_CENTRAL_CHARGE_TRIES``, default 5) the charge NEEDS_ATTENTION: nothing retries it on
its own any more, and it is listed here (``lobby-central charges --attention``, and
``GET /v1/admin/charges/attention`` for the supervisors of the facility it was made at).

A person then does one of two things, each under its own Idempotency-Key and recorded in
``charge_actions`` (who, from which kiosk, with what outcome):

- **retry**: apply the effect again with the gateway's recorded answer (after the cause is
  fixed). Settled, or still needing attention with the new reason; nothing is charged.
- **refund**: give the card its money back (the refund key is the charge's own,
  ``refund:{charge key}``, so the card is refunded at most once whoever asks). A charge that
  anything already uses (a journal, a period) is never refunded; one the gateway declined
  has nothing to refund. A refund the processor refuses (say, already refunded in its
  dashboard) leaves the charge needing attention, with the processor's reason.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from central.kernel.idempotency import StoredResponse, fingerprint
from central.kernel.problems import ProblemError
from central.money.charges import (
    ChargeView,
    Ports,
    failure_text,
    is_referenced,
    record_answer,
    refund_unused,
    view_of,
)
from central.money.effects import CHARGE_EFFECTS, DEFAULT_CHARGE_TRIES, ChargeEffects
from central.money.gateway import ChargeResult, DeclineCode
from central.money.models import Charge, ChargeAction, ChargeActionKind, ChargeState
from central.money.schemas import AttentionChargeOut, ChargeActionOut

log = logging.getLogger(__name__)

TRIES_ENV = "LOBBY_CENTRAL_CHARGE_TRIES"


def tries_from_env(option: int | None = None, env: Mapping[str, str] | None = None) -> int:
    """How many failed tries of a charge's effect make it need attention: the option, else
    ``LOBBY_CENTRAL_CHARGE_TRIES``, else 5. A value that is not a whole number >= 1 is a
    ValueError naming the setting (the command refuses to start)."""
    env = os.environ if env is None else env
    if option is not None:
        text = str(option)
    else:
        text = env.get(TRIES_ENV, "").strip() or str(DEFAULT_CHARGE_TRIES)
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"{TRIES_ENV} (or --charge-tries) is a whole number of 1 or more, "
                         f"not {text!r}")
    return int(text)


@dataclass(frozen=True)
class Actor:
    """Who acts on a charge: a staff member at a kiosk (seeing only ``facility_id``'s
    charges), or the operator at the server (``facility_id`` None: every charge)."""

    who: str
    kiosk_id: str | None = None
    facility_id: str | None = None


@dataclass(frozen=True)
class ActOnCharge:
    """Retry or refund a charge that needs attention."""

    charge_id: str
    action: ChargeActionKind
    actor: Actor
    idempotency_key: str


def charge_unknown(charge_id: str) -> ProblemError:
    return ProblemError(404, "charge_unknown", "There is no such charge here",
                        f"No charge {charge_id} needs attention at your facility.",
                        field="charge_id")


def _visible(charge: Charge | None, charge_id: str, actor: Actor) -> Charge:
    """The charge, if the actor may see it; a charge of another facility is not found (as
    if it did not exist), the same as one that does not."""
    if charge is None or (actor.facility_id is not None
                          and charge.facility_id != actor.facility_id):
        raise charge_unknown(charge_id)
    return charge


def attention_out(charge: ChargeView, actions: list[ChargeAction]) -> AttentionChargeOut:
    return AttentionChargeOut(
        id=charge.id, purpose=charge.purpose.value, state=charge.state.value,
        account_id=charge.account_id, facility_id=charge.facility_id,
        amount_cents=charge.amount_cents, gateway=charge.gateway,
        gateway_charge_id=charge.gateway_charge_id, approved=charge.decline_code is None,
        decline_code=charge.decline_code, effect_failures=charge.effect_failures,
        reason=charge.last_failure, attention_since=charge.attention_since,
        created_at=charge.created_at,
        actions=[ChargeActionOut(
            action=a.action.value, actor=a.actor, kiosk_id=a.kiosk_id,
            idempotency_key=a.idempotency_key, outcome=a.outcome, detail=a.detail,
            created_at=a.created_at) for a in actions],
    )


def _actions(session: Session, charge_ids: list[str]) -> dict[str, list[ChargeAction]]:
    found: dict[str, list[ChargeAction]] = {charge_id: [] for charge_id in charge_ids}
    for action in session.execute(
            select(ChargeAction).where(ChargeAction.charge_id.in_(charge_ids))
            .order_by(ChargeAction.created_at, ChargeAction.id)).scalars():
        found[action.charge_id].append(action)
    return found


def needing_attention(session: Session, facility_id: str | None, limit: int = 100
                      ) -> list[AttentionChargeOut]:
    """The charges waiting for a person, oldest first: of ``facility_id``, or of every
    facility (and those whose facility is not known) when it is None."""
    query = select(Charge).where(Charge.state == ChargeState.NEEDS_ATTENTION)
    if facility_id is not None:
        query = query.where(Charge.facility_id == facility_id)
    charges = list(session.execute(
        query.order_by(Charge.attention_since, Charge.id).limit(limit)).scalars())
    actions = _actions(session, [c.id for c in charges])
    return [attention_out(view_of(c), actions[c.id]) for c in charges]


def recorded_result(charge: Charge) -> ChargeResult:
    """The gateway's answer as it was recorded when the charge was set aside."""
    code = charge.decline_code
    return ChargeResult(
        charge.gateway_charge_id or "", charge.gateway_token, charge.amount_cents,
        approved=code is None, decline_code=None if code is None else DeclineCode(code))


def _not_waiting(charge: Charge) -> ProblemError:
    return ProblemError(409, "charge_not_waiting", "This charge is not waiting for a person",
                        f"Charge {charge.id} is {charge.state.value}.", field="charge_id")


@dataclass(frozen=True)
class _Done:
    charge: ChargeView
    detail: str


def _audit(session: Session, command: ActOnCharge, outcome: ChargeState, detail: str,
           now: Any) -> None:
    """Record (or, for the same request finishing later, update) what was done."""
    row = session.execute(select(ChargeAction).where(
        ChargeAction.charge_id == command.charge_id, ChargeAction.action == command.action,
        ChargeAction.idempotency_key == command.idempotency_key)).scalar_one_or_none()
    if row is None:
        row = ChargeAction(charge_id=command.charge_id, action=command.action,
                           idempotency_key=command.idempotency_key, actor=command.actor.who,
                           kiosk_id=command.actor.kiosk_id, created_at=now)
        session.add(row)
    row.outcome = outcome.value
    row.detail = detail[:500]


def _retry(command: ActOnCharge, ports: Ports, effects: ChargeEffects) -> _Done:
    """Apply the effect again with the recorded answer, in a savepoint: a failure leaves
    the charge needing attention, with the new reason and one more failure counted."""
    detail = "the effect was applied"
    with ports.db.transaction() as session:
        charge = _visible(session.execute(select(Charge).where(Charge.id == command.charge_id)
                                          .with_for_update()).scalar_one_or_none(),
                          command.charge_id, command.actor)
        if charge.state is not ChargeState.NEEDS_ATTENTION:
            raise _not_waiting(charge)
        result, effect = recorded_result(charge), effects.effect(charge.purpose)
        try:
            with session.begin_nested():
                record_answer(session, charge, result, effect, ports.clock)
        except Exception as exc:  # the savepoint rolled back: still needs attention
            log.exception("retrying charge %s: its effect failed again", command.charge_id)
            charge.effect_failures = (charge.effect_failures or 0) + 1
            charge.last_failure = failure_text(exc)
            detail = f"failed again: {charge.last_failure}"
        view = view_of(charge)  # the state record_answer left (or, rolled back, the old one)
        if view.state is ChargeState.REFUND_DUE:
            detail = "the effect can no longer happen: refunded"
        _audit(session, command, view.state, detail, ports.clock.now())
    if view.state is ChargeState.REFUND_DUE:
        view = refund_unused(ports.db, ports.gateway, ports.clock, view.id, effects)
    return _Done(view, detail)


def _refund(command: ActOnCharge, ports: Ports) -> _Done:
    """Mark the charge for refund (recorded), then refund it under its own refund key. A
    gateway that cannot be reached leaves it due: the same request again, or the
    reconciler's next round, finishes the refund, once."""
    with ports.db.transaction() as session:
        charge = _visible(session.execute(select(Charge).where(Charge.id == command.charge_id)
                                          .with_for_update()).scalar_one_or_none(),
                          command.charge_id, command.actor)
        if charge.state is ChargeState.NEEDS_ATTENTION:
            if charge.decline_code is not None:
                raise ProblemError(409, "charge_not_taken", "The card was not charged",
                                   "The gateway declined this charge: there is nothing to "
                                   "refund. Retry it to finish what the decline means.")
            if is_referenced(session, charge.id):
                raise ProblemError(409, "charge_in_use", "This charge already paid for "
                                   "something", "Something uses this charge (a journal or a "
                                   "period): it is not refunded. Retry it instead.")
            charge.state = ChargeState.REFUND_DUE
            _audit(session, command, charge.state, "refund asked", ports.clock.now())
        elif charge.state is not ChargeState.REFUND_DUE:
            raise _not_waiting(charge)
    view = refund_unused(ports.db, ports.gateway, ports.clock, command.charge_id)
    if view.state is ChargeState.REFUNDED:
        return _Done(view, "refunded")
    # Refused by the processor: waiting for a person again, with the processor's reason.
    return _Done(view, view.last_failure or f"the charge is {view.state.value}")


def act_on_charge(command: ActOnCharge, ports: Ports,
                  effects: ChargeEffects = CHARGE_EFFECTS) -> StoredResponse:
    """Retry or refund a charge that needs attention (200, the charge with its actions).
    The same Idempotency-Key replays the first answer; each action is recorded."""

    def outside() -> _Done:
        if command.action is ChargeActionKind.RETRY:
            return _retry(command, ports, effects)
        return _refund(command, ports)

    def work(session: Session, done: _Done) -> tuple[int, dict[str, Any]]:
        _audit(session, command, done.charge.state, done.detail, ports.clock.now())
        actions = _actions(session, [done.charge.id])[done.charge.id]
        return 200, attention_out(done.charge, actions).model_dump(mode="json")

    return ports.idempotency.run_staged(
        f"charge-attention:{command.charge_id}", command.idempotency_key,
        fingerprint(f"POST charge {command.action.value}",
                    {"charge_id": command.charge_id, "actor": command.actor.who}),
        outside, work)
