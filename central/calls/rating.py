"""Call rating for the call platform: authorize a call (covered by a subscription, charged to
AdvanceConnect, payable as a Single Call, or refused and why) and price it when it ends
(rules 2, 3, 5, 9-12). The API routes and the simulator both call these functions.

Concurrency: an allotment is spent with one conditional ``UPDATE ... WHERE used_in_period <
allotment`` (:func:`central.plans.coverage.count_covered_use`; a row lock on PostgreSQL,
``BEGIN IMMEDIATE`` on SQLite), so two simultaneous calls never both take the last covered
call. Rating locks the call row, and the family's account row before charging, so rating
twice or two calls at once never overdraw a balance.

Holds (reserve, then commit, as in RFC 4006's credit control): authorizing a charged call
sets max minutes x rate aside from the balance in the ``call_holds`` book, so neither a
second call nor a refund request can take it; rating charges the real cost from the hold and
gives the rest back; a hold not rated within ``HOLD_LASTS`` is released.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, cast

from sqlalchemy import CursorResult, exists, select
from sqlalchemy.orm import Session

from central.calls.models import Call, CallOutcome, CallStatus, SingleCallRefund
from central.calls.schemas import MAX_SINGLE_CALL_MINUTES
from central.db.engine import Database
from central.identity.models import Account, LinkedResident
from central.kernel.clock import Clock
from central.kernel.facilities import CallKind, Destination, Facility, Resident
from central.kernel.facility_reference import FACILITY_REFERENCE, FacilityReference
from central.kernel.problems import ProblemError
from central.kernel.rules import active_rule_set
from central.money import ledger
from central.money.models import Charge, ChargeState
from central.plans.coverage import (
    count_covered_use,
    covering_subscription,
    remaining_of,
    uncount_covered_use,
)
from central.plans.models import Service

Decision = Literal["covered", "charged", "single_call_available", "refused"]

# Refusal reasons (stable; the call platform may act on them).
NO_ACCOUNT = "no_account"
INSUFFICIENT_BALANCE = "insufficient_balance"
RESIDENT_UNKNOWN = "resident_unknown"
NO_RATE = "no_rate"
# Why a call is not covered by a subscription (the ``reason`` of ``charged`` and
# ``single_call_available`` answers, so the platform and the kiosk can tell the family).
ALLOTMENT_USED_UP = "allotment_used_up"
NOT_IN_STATE = "not_in_state"
INTERNATIONAL = "international"
NO_SUBSCRIPTION = "no_subscription"
# A Single Call offered and not paid yet: the call stays refused until the card is charged.
SINGLE_CALL_PAYMENT_REQUIRED = "single_call_payment_required"

# A charged call may last this long at most; its hold (max minutes x rate) is released if
# the call is not rated by then plus a margin for a late rating.
LONGEST_CALL_MINUTES = 120
HOLD_LASTS = timedelta(minutes=LONGEST_CALL_MINUTES + 30)


@dataclass(frozen=True)
class CallRequest:
    """What the call platform asks about. ``phone`` is already E.164."""

    facility_id: str
    resident_id: str
    phone: str
    kind: CallKind
    destination: Destination


@dataclass(frozen=True)
class CallDecision:
    call_id: str
    decision: Decision
    kind: CallKind
    destination: Destination
    phone: str
    authorized_at: datetime
    reason: str | None = None
    subscription_id: str | None = None
    # Covered by a bundle: calls left in the period after this one (None when unlimited).
    calls_remaining: int | None = None
    unlimited: bool = False
    cents_per_minute: int | None = None
    max_minutes: int | None = None
    balance_cents: int | None = None
    single_call_max_minutes: int | None = None


@dataclass(frozen=True)
class RatedCall:
    call_id: str
    outcome: CallOutcome
    duration_seconds: int
    billed_minutes: int
    cents_per_minute: int
    charged_cents: int
    balance_cents: int | None
    rated_at: datetime
    replayed: bool = False
    # A Single Call's prepaid minutes it did not use, given back to its card (rule 10).
    refunded_cents: int = 0


def facility_unknown(facility_id: str) -> ProblemError:
    return ProblemError(422, "facility_unknown", "No such facility",
                        f"Facility {facility_id!r}", field="facility_id")


def call_unknown() -> ProblemError:
    return ProblemError(404, "call_unknown", "No such call")


def started_minutes(duration_seconds: int) -> int:
    """Rule 9: every started minute counts (61 s = 2 minutes; 0 s = 0)."""
    if duration_seconds < 0:
        raise ValueError("a call lasts zero seconds or more")
    return -(-duration_seconds // 60)


def rowcount(result: Any) -> int:
    return int(cast(CursorResult[Any], result).rowcount)


# --- authorization ----------------------------------------------------------------------


def authorize_call(session: Session, clock: Clock, request: CallRequest,
                   facility: FacilityReference | None = None) -> CallDecision:
    """Decide about one call and record it (a ``calls`` row, authorized or refused).

    Order: a subscription covers it if it can (rules 2, 3, 11); else the AdvanceConnect
    balance of the account with that phone, linked to the facility, pays per started minute
    (rule 9); else a Single Call by card where the facility offers it (rule 10); else it is
    refused. Any reminder e-mail is queued in the caller's transaction (rule 12).
    ``facility`` is the request's facility when the caller read it already (in this
    transaction).
    """
    now = clock.now()
    if facility is None or facility.id != request.facility_id:
        facility = FACILITY_REFERENCE.get(session, request.facility_id)
    if facility is None:
        raise facility_unknown(request.facility_id)
    call = Call(
        facility_id=facility.id, kind=request.kind, destination=request.destination,
        dialed_phone=request.phone, authorized_at=now, cents_per_minute=0, charged_cents=0,
        status=CallStatus.REFUSED, outcome=CallOutcome.REFUSED,
    )
    resident = session.get(Resident, request.resident_id)
    if resident is None or resident.facility_id != facility.id:
        return _refuse(session, call, RESIDENT_UNKNOWN)
    call.resident_id = resident.id

    covered = _cover(session, clock, facility, call, now)
    if isinstance(covered, CallDecision):
        return covered
    why = covered

    rate = facility.rate(request.kind, request.destination)
    if rate is None:
        return _refuse(session, call, NO_RATE)
    rate = billable_rate(facility, request.kind, request.destination, rate, now)
    call.cents_per_minute = rate
    if rate == 0:  # a free call needs no balance and no card
        call.account_id = _account_at(session, request.phone, facility.id)
        call.status = CallStatus.AUTHORIZED
        call.outcome = CallOutcome.CHARGED
        _save(session, call)
        return _decision(call, "charged", reason=why.reason, calls_remaining=why.calls_remaining)

    account_id = _account_at(session, request.phone, facility.id)
    balance: int | None = None
    if account_id is not None:
        call.account_id = account_id
        ledger.lock_account(session, account_id)  # two calls never hold the same money
        balance = ledger.balance_cents(session, account_id)
        if balance >= rate:
            call.status = CallStatus.AUTHORIZED
            call.outcome = CallOutcome.CHARGED
            call.max_minutes = min(balance // rate, LONGEST_CALL_MINUTES)
            call.hold_cents = call.max_minutes * rate
            call.hold_expires_at = now + HOLD_LASTS
            _save(session, call)
            ledger.hold_for_call(session, account_id, call.hold_cents,
                                 reference=f"hold:{call.id}", now=now)
            return _decision(call, "charged", balance_cents=balance, reason=why.reason,
                             calls_remaining=why.calls_remaining)
    if facility.offers_single_call:
        call.outcome = CallOutcome.SINGLE_CALL
        call.refusal_reason = SINGLE_CALL_PAYMENT_REQUIRED
        _save(session, call)
        return _decision(call, "single_call_available", balance_cents=balance,
                         single_call_max_minutes=MAX_SINGLE_CALL_MINUTES, reason=why.reason,
                         calls_remaining=why.calls_remaining)
    return _refuse(session, call, NO_ACCOUNT if account_id is None else INSUFFICIENT_BALANCE,
                   balance_cents=balance)


def _save(session: Session, call: Call) -> None:
    session.add(call)
    session.flush()


def _decision(call: Call, decision: Decision, reason: str | None = None, **extra: Any
              ) -> CallDecision:
    return CallDecision(
        call_id=call.id, decision=decision, kind=call.kind, destination=call.destination,
        phone=call.dialed_phone, authorized_at=call.authorized_at,
        reason=call.refusal_reason if decision == "refused" else reason,
        subscription_id=call.subscription_id,
        cents_per_minute=call.cents_per_minute if decision != "covered" else None,
        max_minutes=call.max_minutes, **extra,
    )


def _refuse(session: Session, call: Call, reason: str, **extra: Any) -> CallDecision:
    call.status = CallStatus.REFUSED
    call.outcome = CallOutcome.REFUSED
    call.refusal_reason = reason
    _save(session, call)
    return _decision(call, "refused", **extra)


def _account_at(session: Session, phone: str, facility_id: str) -> str | None:
    """The account whose phone was dialed, if it is linked to this facility."""
    linked = exists().where(LinkedResident.account_id == Account.id,
                            LinkedResident.facility_id == facility_id)
    return session.execute(
        select(Account.id).where(Account.phone == phone, linked)
    ).scalar_one_or_none()


@dataclass(frozen=True)
class NotCovered:
    """Why no subscription covers a call, and the calls left on the one that does not."""

    reason: str
    calls_remaining: int | None = None


def _cover(
    session: Session, clock: Clock, facility: FacilityReference, call: Call, now: datetime
) -> CallDecision | NotCovered:
    """Count the call against an active subscription, if one covers it; else say why not.

    Counting (a conditional UPDATE) and the once-per-period reminder belong to
    :mod:`central.plans.coverage`; this only decides which service a call would use.
    """
    service = Service.CALLS if call.kind is CallKind.AUDIO else Service.VIDEO
    subscription = covering_subscription(
        session, facility_id=facility.id, phone=call.dialed_phone, service=service, at=now)
    if subscription is None:
        return NotCovered(NO_SUBSCRIPTION)  # none, expired or cancelled (rule 5)
    if call.kind is CallKind.AUDIO and call.destination is not Destination.IN_STATE:
        # Rules 2 and 11: call plans cover in-state calls only.
        reason = (INTERNATIONAL if call.destination is Destination.INTERNATIONAL
                  else NOT_IN_STATE)
        return NotCovered(reason, remaining_of(subscription))
    use = count_covered_use(session, subscription.id, clock)
    if not use.counted:
        return NotCovered(ALLOTMENT_USED_UP, 0)  # rule 14: beyond it, per-minute billing
    call.status = CallStatus.AUTHORIZED
    call.outcome = CallOutcome.COVERED
    call.subscription_id = subscription.id
    call.account_id = subscription.account_id
    _save(session, call)
    if use.remaining is None:
        return _decision(call, "covered", unlimited=True)
    return _decision(call, "covered", calls_remaining=use.remaining)


def billable_rate(facility: Facility | FacilityReference, kind: CallKind, destination: Destination,
                  cents_per_minute: int, at: datetime) -> int:
    """The facility's rate, but never above the cap of the rule set in force at ``at``: a
    cap that took effect after the price was set still binds (rule 14)."""
    rules = active_rule_set(facility.jurisdiction, at)
    if destination not in rules.capped_destinations:
        return cents_per_minute
    return min(cents_per_minute, rules.cap(kind, facility.size_tier))


# --- rating -----------------------------------------------------------------------------


def locked_call(session: Session, call_id: str, facility_id: str | None) -> Call:
    call = session.execute(
        select(Call).where(Call.id == call_id).with_for_update()
    ).scalar_one_or_none()
    if call is None or (facility_id is not None and call.facility_id != facility_id):
        raise call_unknown()
    return call


def rate_call(
    session: Session, clock: Clock, call_id: str, duration_seconds: int,
    facility_id: str | None = None,
) -> RatedCall:
    """Price a finished call, once: rating again answers the first result.

    Covered: 0 cents. Charged: started minutes, capped at the authorized ``max_minutes``,
    taken from the call's hold with the ledger reference ``call:{id}`` and the rest of the
    hold given back (rule 9: never below zero, never twice). Single Call: paid by card up
    front for its minutes; it is charged the minutes it used, and the rest is owed back to
    the card (a :class:`SingleCallRefund`, once; the handler in
    :mod:`central.calls.single_call` asks the gateway for it).
    ``facility_id``, when given, must be the call's (a platform rates only its own calls).
    """
    call = locked_call(session, call_id, facility_id)
    if call.status is CallStatus.RATED:
        return _rated(session, call, replayed=True)
    if call.status is not CallStatus.AUTHORIZED:
        raise ProblemError(409, "call_not_authorized", "This call was not authorized",
                           f"It was refused ({call.refusal_reason}); there is nothing to rate.")
    now = clock.now()
    minutes = started_minutes(duration_seconds)
    charged = 0
    if call.outcome is CallOutcome.COVERED and duration_seconds == 0 and call.subscription_id:
        uncount_covered_use(session, call.subscription_id, call.authorized_at)  # rule 2
    if call.outcome is CallOutcome.CHARGED:
        if call.max_minutes is not None:
            minutes = min(minutes, call.max_minutes)
        facility = FACILITY_REFERENCE.get(session, call.facility_id)
        assert facility is not None  # the call's foreign key
        call.cents_per_minute = billable_rate(facility, call.kind, call.destination,
                                              call.cents_per_minute, now)
        charged = _charge_from_advance_connect(session, call, minutes, now)
        minutes = charged // call.cents_per_minute if call.cents_per_minute else minutes
    elif call.outcome is CallOutcome.SINGLE_CALL:
        if call.max_minutes is not None:
            minutes = min(minutes, call.max_minutes)
        paid = call.charged_cents  # the card paid the prepaid minutes up front
        charged = min(paid, minutes * call.cents_per_minute)
        _owe_unused_minutes(session, call, paid - charged, now)
    call.status = CallStatus.RATED
    call.rated_at = now
    call.duration_seconds = duration_seconds
    call.billed_minutes = minutes
    call.charged_cents = charged
    session.flush()
    return _rated(session, call, replayed=False)


def single_call_key(call_id: str) -> str:
    """The gateway idempotency key: one card charge per call, whatever the retries."""
    return f"single-call:{call_id}"


def unused_minutes_refund_key(call_id: str) -> str:
    """The refund key of a Single Call's unused minutes: one refund per call."""
    return f"refund:single-call:{call_id}:unused-minutes"


def _owe_unused_minutes(session: Session, call: Call, amount_cents: int, now: datetime
                        ) -> None:
    """Rule 10: record what the card gets back (rating happens once per call)."""
    if amount_cents <= 0:
        return
    charge = session.execute(select(Charge).where(
        Charge.gateway_key == single_call_key(call.id),
        Charge.state == ChargeState.SETTLED)).scalar_one_or_none()
    if charge is None:  # nothing was charged by card
        return
    session.add(SingleCallRefund(call_id=call.id, charge_id=charge.id, amount_cents=amount_cents,
                                 refund_key=unused_minutes_refund_key(call.id), created_at=now))


def _charge_from_advance_connect(session: Session, call: Call, minutes: int, now: datetime
                                 ) -> int:
    """Settle a charged call: from its hold while it is open (the cost, at most the hold,
    is revenue and the rest goes back to the balance); after the hold expired, from what
    the balance covers now. Returns the cents charged."""
    if call.account_id is None:
        return 0
    cost = minutes * call.cents_per_minute
    if call.hold_cents and call.hold_closed_at is None:
        ledger.settle_hold(session, call.account_id, call.hold_cents, cost,
                           reference=f"call:{call.id}", now=now,
                           description=_charge_description(call, minutes))
        call.hold_closed_at = now
        return cost
    if cost <= 0:
        return 0
    ledger.lock_account(session, call.account_id)
    affordable = ledger.balance_cents(session, call.account_id) // call.cents_per_minute
    minutes = min(minutes, affordable)
    if minutes <= 0:
        return 0
    ledger.charge_call(session, call.account_id, minutes * call.cents_per_minute,
                       reference=f"call:{call.id}", now=now,
                       description=_charge_description(call, minutes))
    return minutes * call.cents_per_minute


def release_expired_holds(db: Database, clock: Clock) -> int:
    """Give back the holds of charged calls never rated within ``HOLD_LASTS`` (the call
    platform lost them); the scheduler runs this every round. Returns how many."""
    now = clock.now()
    with db.transaction() as session:
        expired = list(session.execute(
            select(Call.id).where(Call.status == CallStatus.AUTHORIZED, Call.hold_cents > 0,
                                  Call.hold_closed_at.is_(None), Call.hold_expires_at <= now)
        ).scalars())
    released = 0
    for call_id in expired:
        with db.transaction() as session:
            call = locked_call(session, call_id, None)
            if call.hold_closed_at is not None or call.account_id is None:
                continue
            ledger.settle_hold(session, call.account_id, call.hold_cents, 0,
                               reference=f"release:{call.id}", now=now,
                               description="Hold released: the call was never rated")
            call.hold_closed_at = now
            released += 1
    return released


def _charge_description(call: Call, minutes: int) -> str:
    kind = "Video call" if call.kind is CallKind.VIDEO else "Call"
    where = call.destination.value.replace("_", "-")
    return f"{kind} to {call.dialed_phone}, {where}, {minutes} min"


def _rated(session: Session, call: Call, *, replayed: bool) -> RatedCall:
    assert call.rated_at is not None and call.duration_seconds is not None
    balance = None
    if call.outcome is CallOutcome.CHARGED and call.account_id is not None:
        balance = ledger.balance_cents(session, call.account_id)
    refunded = 0
    if call.outcome is CallOutcome.SINGLE_CALL:
        refunded = session.execute(select(SingleCallRefund.amount_cents).where(
            SingleCallRefund.call_id == call.id)).scalar_one_or_none() or 0
    return RatedCall(
        call_id=call.id, outcome=call.outcome, duration_seconds=call.duration_seconds,
        billed_minutes=call.billed_minutes or 0, cents_per_minute=call.cents_per_minute,
        charged_cents=call.charged_cents, balance_cents=balance, rated_at=call.rated_at,
        replayed=replayed, refunded_cents=refunded,
    )


# --- usage history for the plan advisor (rule 15) ---------------------------------------


@dataclass(frozen=True)
class PeriodUsage:
    """Rated calls of one period: started minutes of each audio call by destination (in the
    order they happened) and the number of video sessions. Calls that never connected
    (0 seconds) are left out."""

    start: datetime
    end: datetime
    call_minutes: Mapping[Destination, list[int]]
    video_sessions: int


def usage_between(
    session: Session, phone: str, facility_id: str, start: datetime, end: datetime
) -> PeriodUsage:
    calls = session.execute(
        select(Call.kind, Call.destination, Call.duration_seconds)
        .where(Call.dialed_phone == phone, Call.facility_id == facility_id,
               Call.status == CallStatus.RATED, Call.authorized_at >= start,
               Call.authorized_at < end)
        .order_by(Call.authorized_at, Call.id)
    ).all()
    minutes: dict[Destination, list[int]] = {}
    video = 0
    for kind, destination, seconds in calls:
        if not seconds:
            continue
        if kind is CallKind.VIDEO:
            video += 1
        else:
            minutes.setdefault(destination, []).append(started_minutes(seconds))
    return PeriodUsage(start, end, minutes, video)

