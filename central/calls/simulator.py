"""The call simulator behind ``lobby-central simulate-calls``: places calls to a family's phone
through the same authorize and rate functions the call platform's API uses, for demos."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

import phonenumbers
from sqlalchemy import select

from central.calls.rating import CallDecision, CallRequest, RatedCall, authorize_call, rate_call
from central.db.engine import Database
from central.identity.models import Account, LinkedResident
from central.kernel.clock import Clock
from central.kernel.facilities import CallKind, Destination, Resident

RANDOM_CALL_SECONDS = (30, 20 * 60)


@dataclass(frozen=True)
class SimulatedCall:
    number: int
    duration_seconds: int
    decision: CallDecision
    rated: RatedCall | None

    def describe(self) -> str:
        """One line for the operator (plain English: this is a developer tool)."""
        decision, rated = self.decision, self.rated
        head = f"call {self.number}:"
        if decision.decision == "refused":
            return f"{head} refused ({decision.reason})"
        if decision.decision == "single_call_available":
            return (f"{head} not covered, no usable balance: Single Call by card available at "
                    f"{decision.cents_per_minute} cents/min (not paid here)")
        assert rated is not None
        length = f"{rated.billed_minutes} min"
        if decision.decision == "covered":
            left = ("unlimited" if decision.unlimited
                    else f"{decision.calls_remaining} calls remaining")
            return f"{head} covered, {length}, {left}"
        return (f"{head} charged {rated.charged_cents} cents ({length} at "
                f"{rated.cents_per_minute} cents/min, at most {decision.max_minutes} min), "
                f"balance {rated.balance_cents} cents")


def e164(phone: str) -> str:
    """A phone number as E.164 (US numbers may be written without +1); ValueError if not."""
    try:
        number = phonenumbers.parse(phone, "US")
    except phonenumbers.NumberParseException:
        raise ValueError(f"not a phone number: {phone!r}") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"not a valid phone number: {phone!r}")
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def _caller(db: Database, phone: str, facility_id: str) -> str:
    """The resident linked to the family with this phone at the facility, else the facility's
    first resident (the caller does not change who pays)."""
    with db.transaction() as session:
        linked = session.execute(
            select(LinkedResident.resident_id)
            .join(Account, Account.id == LinkedResident.account_id)
            .where(Account.phone == phone, LinkedResident.facility_id == facility_id)
            .order_by(LinkedResident.id).limit(1)
        ).scalar_one_or_none()
        if linked is not None:
            return linked
        first = session.execute(
            select(Resident.id).where(Resident.facility_id == facility_id)
            .order_by(Resident.id).limit(1)
        ).scalar_one_or_none()
    return first or ""


def simulate_calls(
    db: Database, clock: Clock, *, phone: str, facility_id: str, calls: int,
    minutes: int | None = None, destination: Destination = Destination.IN_STATE,
    kind: CallKind = CallKind.AUDIO, seed: int = 0,
) -> Iterator[SimulatedCall]:
    """Authorize ``calls`` calls and rate each one that goes through. Each call lasts
    ``minutes`` started minutes (a random number of seconds within the last one), or a random
    length when ``minutes`` is None; ``seed`` makes the lengths repeatable."""
    if calls < 1:
        raise ValueError("simulate at least one call")
    if minutes is not None and minutes < 1:
        raise ValueError("a simulated call lasts at least one minute")
    phone = e164(phone)
    rng = random.Random(seed)
    request = CallRequest(facility_id=facility_id, resident_id=_caller(db, phone, facility_id),
                          phone=phone, kind=kind, destination=destination)
    for number in range(1, calls + 1):
        if minutes is None:
            seconds = rng.randint(*RANDOM_CALL_SECONDS)
        else:
            seconds = rng.randint((minutes - 1) * 60 + 1, minutes * 60)
        with db.transaction() as session:
            decision = authorize_call(session, clock, request)
        rated = None
        if decision.decision in ("covered", "charged"):
            with db.transaction() as session:
                rated = rate_call(session, clock, decision.call_id, seconds)
        yield SimulatedCall(number, seconds, decision, rated)
