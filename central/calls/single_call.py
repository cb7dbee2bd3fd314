"""Single Call by card (rule 10): the handlers the call platform's routes call (pay for a
call; rate a finished call and give a Single Call's unused minutes back to its card), and the
effect of an approved Single Call charge (the call authorized for the minutes it paid), which
the reconciler applies too when a crash came between the charge and the record."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from central.calls.models import Call, CallOutcome, CallStatus, SingleCallRefund
from central.calls.rating import RatedCall, locked_call, rate_call, rowcount, single_call_key
from central.calls.schemas import SingleCallOut
from central.db.engine import Database
from central.kernel.clock import Clock
from central.kernel.idempotency import StoredResponse, fingerprint
from central.kernel.problems import ProblemError
from central.money.charges import (
    ChargeSpec,
    ChargeView,
    Ports,
    charge_by_key,
    open_charge,
    pay,
    require_minimum,
)
from central.money.effects import ChargeDetails, ChargeEffects
from central.money.gateway import GatewayError, PaymentGateway
from central.money.models import Charge, ChargePurpose
from central.money.payments import CardOnFile, describe_token
from central.money.schemas import CardSummary


@dataclass(frozen=True)
class PaySingleCall:
    call_id: str
    token: str
    minutes: int
    # The call platform paying: it may pay only its own facility's calls.
    client_id: str
    facility_id: str
    idempotency_key: str


class SingleCallDetails(ChargeDetails):
    """What a Single Call charge remembers: the minutes it pays for, at what rate, by what
    card."""

    version: Literal[1] = 1
    minutes: int
    cents_per_minute: int
    brand: str
    last4: str


def single_call_details(charge: Charge | ChargeView) -> SingleCallDetails:
    return SingleCallDetails.model_validate_json(charge.details)


def already_paid() -> ProblemError:
    return ProblemError(409, "single_call_already_paid", "This call is already paid")


class SingleCallEffect:
    """An approved Single Call authorizes the call for the minutes it paid."""

    def apply(self, session: Session, charge: Charge, clock: Clock) -> bool:
        minutes = single_call_details(charge).minutes
        settled = session.execute(
            update(Call)
            .where(Call.id == charge.subject_id, Call.status == CallStatus.REFUSED,
                   Call.outcome == CallOutcome.SINGLE_CALL)
            .values(status=CallStatus.AUTHORIZED, refusal_reason=None, max_minutes=minutes,
                    charged_cents=charge.amount_cents)
            .execution_options(synchronize_session=False)
        )
        return rowcount(settled) == 1

    def declined(self, session: Session, charge: Charge, clock: Clock) -> None:
        """The call stays refused; another card needs a new authorization (a new call)."""


SINGLE_CALL = SingleCallEffect()


def register_effects(effects: ChargeEffects) -> None:
    """Calls' part of the charge effects: what a settled Single Call charge does."""
    effects.register(ChargePurpose.SINGLE_CALL, SINGLE_CALL)
    effects.register_facility_of(ChargePurpose.SINGLE_CALL, single_call_facility)


def single_call_facility(session: Session, charge: Charge) -> str | None:
    """The facility of the call a Single Call charge paid for."""
    return session.execute(select(Call.facility_id).where(Call.id == charge.subject_id)
                           ).scalar_one_or_none()


def pay_single_call(command: PaySingleCall, ports: Ports) -> StoredResponse:
    """Charge the card (a gateway token) for ``minutes`` at the call's rate and authorize the
    call for them (201). A decline is 402; the call's gateway key is then spent, so another
    card or amount is 409 ``single_call_already_attempted``."""
    call_id = command.call_id

    def outside() -> ChargeView:
        with ports.db.transaction() as session:
            call = locked_call(session, call_id, command.facility_id)
            if call.outcome is not CallOutcome.SINGLE_CALL or call.cents_per_minute <= 0:
                raise ProblemError(409, "single_call_not_offered",
                                   "This call cannot be paid as a Single Call")
            if call.status is not CallStatus.REFUSED:
                raise already_paid()
            rate, account_id = call.cents_per_minute, call.account_id
        amount = rate * command.minutes
        require_minimum(ports.gateway, amount, "minutes",
                        f"{command.minutes} minutes at {rate} cents a minute")
        card = describe_token(ports.gateway, command.token)
        with ports.db.transaction() as session:
            tried = charge_by_key(session, single_call_key(call_id))
            if tried is not None and (tried.gateway_token != card.token
                                      or tried.amount_cents != amount):
                raise ProblemError(
                    409, "single_call_already_attempted",
                    "A card payment was already attempted for this call",
                    "Authorize the call again to pay with another card or amount.")
            charge = open_charge(session, ChargeSpec(
                purpose=ChargePurpose.SINGLE_CALL, account_id=account_id, amount_cents=amount,
                gateway_key=single_call_key(call_id), subject_id=call_id,
                card=CardOnFile("", card.token, card.brand.value, card.last4, card.exp_month,
                                card.exp_year),
                details=SingleCallDetails(minutes=command.minutes, cents_per_minute=rate,
                                          brand=card.brand.value, last4=card.last4),
            ), ports.clock.now(), ports.gateway.name)
        return pay(ports, charge, SINGLE_CALL, already_paid())

    def work(session: Session, charge: ChargeView) -> tuple[int, dict[str, Any]]:
        paid = single_call_details(charge)
        out = SingleCallOut(
            call_id=call_id, minutes=paid.minutes, cents_per_minute=paid.cents_per_minute,
            amount_cents=charge.amount_cents,
            card=CardSummary.model_validate({"brand": paid.brand, "last4": paid.last4}),
        )
        return 201, out.model_dump(mode="json")

    return ports.idempotency.run_staged(
        f"calls:{command.client_id}", command.idempotency_key,
        fingerprint("POST single-call", {"call_id": call_id, "token": command.token,
                                         "minutes": command.minutes}),
        outside, work, keep=True,
    )


# --- rating, and the unused minutes given back ------------------------------------------------

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RateCall:
    call_id: str
    duration_seconds: int
    # The call platform rating: it may rate only its own facility's calls.
    facility_id: str | None


def rate(command: RateCall, ports: Ports) -> RatedCall:
    """Price a finished call, once (:func:`central.calls.rating.rate_call`); for a Single
    Call, refund the prepaid minutes it did not use to its card. The refund is recorded with
    the rating and then asked of the gateway under its own key: if the gateway cannot take
    it now, the rating still stands and rating again finishes the refund, never a second
    one."""
    with ports.db.transaction() as session:
        rated = rate_call(session, ports.clock, command.call_id, command.duration_seconds,
                          facility_id=command.facility_id)
        owed = session.execute(select(SingleCallRefund.id).where(
            SingleCallRefund.call_id == command.call_id,
            SingleCallRefund.refunded_at.is_(None))).scalar_one_or_none()
    if owed is not None:
        give_back_unused_minutes(ports.db, ports.gateway, ports.clock, owed)
    return rated


def give_back_unused_minutes(db: Database, gateway: PaymentGateway, clock: Clock,
                             refund_id: str) -> bool:
    """Refund a Single Call's unused minutes, once (the gateway key and ``refunded_at``).
    False when it cannot be done now (the gateway did not answer, or another gateway took
    the charge): it stays owed, logged, for the next rating or scheduler round."""
    with db.transaction() as session:
        owed = session.get_one(SingleCallRefund, refund_id)
        if owed.refunded_at is not None:
            return True
        charge = session.get_one(Charge, owed.charge_id)
        took_it, gateway_charge_id = charge.gateway, charge.gateway_charge_id
        amount, key = owed.amount_cents, owed.refund_key
    assert gateway_charge_id is not None  # a settled charge has the processor's id
    if took_it != gateway.name:  # only the processor that took it can give it back
        log.warning("refund %s is owed on the %r gateway; this server uses %r", key, took_it,
                    gateway.name)
        return False
    try:
        result = gateway.refund(gateway_charge_id, amount, key)
    except GatewayError:
        log.warning("refund %s of a Single Call's unused minutes is still owed", key,
                    exc_info=True)
        return False
    with db.transaction() as session:
        owed = session.get_one(SingleCallRefund, refund_id)
        if owed.refunded_at is None:
            owed.refunded_at = clock.now()
            owed.gateway_refund_id = result.refund_id
    return True


def refund_owed_unused_minutes(db: Database, gateway: PaymentGateway, clock: Clock,
                               limit: int = 100) -> int:
    """The scheduler's part: refund what ratings left owed (the gateway was down then).
    Returns how many were refunded now."""
    with db.read() as session:
        owed = list(session.execute(
            select(SingleCallRefund.id).where(SingleCallRefund.refunded_at.is_(None))
            .order_by(SingleCallRefund.created_at).limit(limit)).scalars())
    return sum(give_back_unused_minutes(db, gateway, clock, refund_id) for refund_id in owed)
