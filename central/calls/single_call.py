"""Single Call by card (rule 10): the handler the call platform's route calls, and the effect
of an approved Single Call charge (the call authorized for the minutes it paid), which the
reconciler applies too when a crash came between the charge and the record."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from central.calls.models import Call, CallOutcome, CallStatus
from central.calls.rating import locked_call, rowcount
from central.calls.schemas import SingleCallOut
from central.clock import Clock
from central.idempotency import StoredResponse, fingerprint
from central.money.charges import ChargeSpec, ChargeView, Ports, charge_by_key, open_charge, pay
from central.money.models import Charge, ChargePurpose
from central.money.payments import CardOnFile, describe_token
from central.money.schemas import CardSummary
from central.problems import ProblemError


@dataclass(frozen=True)
class PaySingleCall:
    call_id: str
    token: str
    minutes: int
    # The call platform paying: it may pay only its own facility's calls.
    client_id: str
    facility_id: str
    idempotency_key: str


def single_call_key(call_id: str) -> str:
    """The gateway idempotency key: one card charge per call, whatever the retries."""
    return f"single-call:{call_id}"


def already_paid() -> ProblemError:
    return ProblemError(409, "single_call_already_paid", "This call is already paid")


class SingleCallEffect:
    """An approved Single Call authorizes the call for the minutes it paid."""

    def apply(self, session: Session, charge: Charge, clock: Clock) -> bool:
        minutes = json.loads(charge.details)["minutes"]
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
        card = describe_token(ports.gateway, command.token)
        amount = rate * command.minutes
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
                details={"minutes": command.minutes, "cents_per_minute": rate,
                         "brand": card.brand.value, "last4": card.last4},
            ), ports.clock.now())
        return pay(ports, charge, SINGLE_CALL, already_paid())

    def work(session: Session, charge: ChargeView) -> tuple[int, dict[str, Any]]:
        out = SingleCallOut(
            call_id=call_id, minutes=charge.details["minutes"],
            cents_per_minute=charge.details["cents_per_minute"],
            amount_cents=charge.amount_cents,
            card=CardSummary.model_validate({"brand": charge.details["brand"],
                                             "last4": charge.details["last4"]}),
        )
        return 201, out.model_dump(mode="json")

    return ports.idempotency.run_staged(
        f"calls:{command.client_id}", command.idempotency_key,
        fingerprint("POST single-call", {"call_id": call_id, "token": command.token,
                                         "minutes": command.minutes}),
        outside, work, keep=True,
    )
