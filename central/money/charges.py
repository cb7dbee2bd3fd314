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
from typing import Protocol

from sqlalchemy import exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from central.db.engine import Database
from central.kernel.clock import Clock
from central.kernel.ports import Replayable
from central.kernel.problems import ProblemError
from central.money.effects import (
    CHARGE_EFFECTS,
    BatchEffect,
    ChargeDetails,
    ChargeEffect,
    ChargeEffects,
)
from central.money.gateway import (
    ChargeRequest,
    ChargeResult,
    GatewayError,
    GatewayUnavailable,
    KeyConflict,
    PaymentGateway,
    RefundRefused,
)
from central.money.models import Charge, ChargePurpose, ChargeState, LedgerJournal
from central.money.payments import CardOnFile, declined_problem

log = logging.getLogger(__name__)

# A charge still PENDING after this long has no request working on it any more: a retry
# or a renewal run may take it over (the gateway key makes a second ask a replay).
IN_FLIGHT_FOR_SECONDS = 120


class Ports(Replayable, Protocol):
    """What a money handler needs: the unit of work (``db.transaction()``), the clock, the
    card processor and the Idempotency-Key store. The API's services provide them."""

    @property
    def gateway(self) -> PaymentGateway: ...


@dataclass(frozen=True)
class ChargeSpec:
    purpose: ChargePurpose
    account_id: str | None
    amount_cents: int
    gateway_key: str
    card: CardOnFile  # its payment_method_id is "" for a card that is not on file
    details: ChargeDetails
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
    gateway: str  # the processor that took it (PaymentGateway.name)
    gateway_charge_id: str | None
    decline_code: str | None
    details: str  # JSON: the purpose's ChargeDetails, read by the capability that owns it
    created_at: datetime
    effect_failures: int = 0
    last_failure: str | None = None
    attention_since: datetime | None = None
    facility_id: str | None = None


def view_of(charge: Charge) -> ChargeView:
    return ChargeView(
        id=charge.id, purpose=charge.purpose, account_id=charge.account_id,
        subject_id=charge.subject_id, amount_cents=charge.amount_cents,
        gateway_key=charge.gateway_key, gateway_token=charge.gateway_token, state=charge.state,
        gateway=charge.gateway, gateway_charge_id=charge.gateway_charge_id,
        decline_code=charge.decline_code,
        details=charge.details, created_at=charge.created_at,
        effect_failures=charge.effect_failures or 0, last_failure=charge.last_failure,
        attention_since=charge.attention_since, facility_id=charge.facility_id,
    )


def owner(charge: Charge | ChargeView) -> str:
    """The account a deposit or subscription charge belongs to (only a Single Call may have
    none)."""
    if charge.account_id is None:
        raise ValueError(f"charge {charge.id} ({charge.purpose.value}) has no account")
    return charge.account_id


class OtherGateway(ProblemError):
    """The charge was taken by another processor than the one this process uses: this one
    has never heard of its key, so it must not be asked (it would answer "never charged",
    and an approved charge would be given up). Finish it with a run on that processor
    (``lobby-central reconcile --gateway <name>``)."""

    def __init__(self, charge_id: str, took_it: str, asked: str) -> None:
        super().__init__(
            409, "charge_on_other_gateway",
            "This payment was started with another payment processor",
            f"Charge {charge_id} was taken by the {took_it!r} gateway; this server uses "
            f"{asked!r}. Staff finish it with the {took_it!r} gateway.")
        self.charge_id = charge_id
        self.took_it = took_it
        self.asked = asked


class EffectFailed(Exception):
    """The effect of the gateway's answer failed and rolled back. The charge is PENDING
    (the next caller tries again under the same key) or, once it failed ``tries`` times,
    NEEDS_ATTENTION. The cause is chained (``__cause__``)."""

    def __init__(self, charge: ChargeView, tries: int) -> None:
        super().__init__(f"charge {charge.id}: its effect failed ({charge.effect_failures} "
                         f"of {tries} tries): {charge.last_failure}")
        self.charge = charge
        self.tries = tries

    @property
    def needs_attention(self) -> bool:
        return self.charge.state is ChargeState.NEEDS_ATTENTION


def unfinished_problem(charge: ChargeView) -> ProblemError:
    """The answer to a request whose card was charged but whose effect did not happen: the
    family must not pay again. 409, like ``request_in_flight``: the server answered (the
    kiosk stays online) and the request's own retry cannot change it; Retry-After while
    the reconciler is still trying it."""
    if charge.state is ChargeState.NEEDS_ATTENTION:
        return ProblemError(
            409, "charge_needs_attention",
            "The card was charged, but this could not be completed",
            f"Staff have been asked to finish or refund charge {charge.id}; do not pay again.")
    return ProblemError(
        409, "charge_unfinished", "The card was charged; this is still being completed",
        f"Charge {charge.id} is finished automatically; do not pay again.",
        headers={"Retry-After": "60"})


def unfinished_charge(session: Session, account_id: str, purpose: ChargePurpose,
                      gateway_key: str) -> ChargeView | None:
    """Another charge of this account and purpose whose card was charged but whose effect
    failed (still being tried, or waiting for a person): a new request must not charge the
    card again for the same thing (the kiosk's Pay pressed again makes a new key)."""
    found = session.execute(
        select(Charge).where(
            Charge.account_id == account_id, Charge.purpose == purpose,
            Charge.gateway_key != gateway_key,
            or_(Charge.state == ChargeState.NEEDS_ATTENTION,
                (Charge.state == ChargeState.PENDING) & (Charge.effect_failures > 0)),
        ).order_by(Charge.created_at).limit(1)).scalar_one_or_none()
    return view_of(found) if found is not None else None


def check_gateway(gateway: PaymentGateway, charge: Charge | ChargeView) -> None:
    """Raise :class:`OtherGateway` unless ``gateway`` is the one that took ``charge``."""
    if charge.gateway != gateway.name:
        raise OtherGateway(charge.id, charge.gateway, gateway.name)


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


def open_charge(session: Session, spec: ChargeSpec, now: datetime, gateway: str
                ) -> ChargeView:
    """The charge for ``spec.gateway_key``: the one already recorded (a retry, a takeover:
    it keeps its card, amount and gateway), else a new PENDING one recorded as taken by
    ``gateway`` (the ``PaymentGateway.name`` about to be asked). The caller commits it
    before asking the gateway. An ABANDONED charge (its gateway never saw its key) is
    reopened, for ``gateway``."""
    existing = charge_by_key(session, spec.gateway_key, for_update=True)
    if existing is not None:
        return _reuse(existing, spec, now, gateway)
    charge = _new_charge(spec, now, gateway)
    try:
        with session.begin_nested():
            session.add(charge)
    except IntegrityError:  # the same key opened at the same moment (renew-now and renewal)
        raced = charge_by_key(session, spec.gateway_key, for_update=True)
        assert raced is not None
        return _reuse(raced, spec, now, gateway)
    return view_of(charge)


def open_charges(session: Session, specs: Sequence[ChargeSpec], now: datetime, gateway: str
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
            views.append(_reuse(existing, spec, now, gateway))
            continue
        charge = _new_charge(spec, now, gateway)
        session.add(charge)
        recorded[spec.gateway_key] = charge
        charges.append(charge)
        views.append(None)
    session.flush()
    made = iter(charges)
    return [view if view is not None else view_of(next(made)) for view in views]


def _new_charge(spec: ChargeSpec, now: datetime, gateway: str) -> Charge:
    return Charge(
        purpose=spec.purpose, account_id=spec.account_id, subject_id=spec.subject_id,
        amount_cents=spec.amount_cents, gateway_key=spec.gateway_key,
        gateway_token=spec.card.token, payment_method_id=spec.card.payment_method_id or None,
        state=ChargeState.PENDING, gateway=gateway,
        details=json.dumps(spec.details.model_dump(mode="json"), sort_keys=True),
        created_at=now,
    )


def _reuse(existing: Charge, spec: ChargeSpec, now: datetime, gateway: str) -> ChargeView:
    if existing.purpose is not spec.purpose or existing.amount_cents != spec.amount_cents:
        raise key_reused_problem()
    if existing.state is ChargeState.ABANDONED:
        # Nothing was charged under the key: whichever gateway is asked now takes it. A
        # PENDING charge of another gateway stays its (ask_gateway refuses to ask).
        existing.state = ChargeState.PENDING
        existing.gateway = gateway
        existing.created_at = now
    return view_of(existing)


def require_minimum(gateway: PaymentGateway, amount_cents: int, field: str,
                    what: str = "This amount") -> None:
    """Refuse (422 ``amount_below_card_minimum``) an amount the processor would refuse as
    too small, before a charge is opened for it."""
    if amount_cents < gateway.minimum_charge_cents:
        raise ProblemError(
            422, "amount_below_card_minimum", "This amount is too small to pay by card",
            f"{what} is {amount_cents} cents; the card processor takes "
            f"{gateway.minimum_charge_cents} cents or more.", field=field)


def ask_gateway(gateway: PaymentGateway, charge: ChargeView) -> ChargeResult:
    """Charge the card the charge row names (not whatever card is on file now), under its
    key: asking again is a replay, never a second charge. Another gateway than the one
    that took the charge is never asked (:class:`OtherGateway`). A request the processor
    refuses (neither a decline nor "unreachable") is 502 ``gateway_refused``, never a bare
    500: nothing was charged, and the charge is given up by the reconciler."""
    check_gateway(gateway, charge)
    try:
        return gateway.charge(charge.gateway_token, charge.amount_cents, charge.gateway_key)
    except KeyConflict:
        raise key_reused_problem() from None
    except GatewayUnavailable:
        raise
    except GatewayError as exc:
        raise ProblemError(502, "gateway_refused", "The card processor refused this payment",
                           f"{exc}. Nothing was charged.") from None


def ask_gateway_many(gateway: PaymentGateway, charges: Sequence[ChargeView]
                     ) -> list[ChargeResult | Exception]:
    """:func:`ask_gateway` for a batch (a renewal run's), through the processor's batch path
    (:meth:`PaymentGateway.charge_many`): each answer in its charge's place, its result or
    the error :func:`ask_gateway` would have raised for it alone."""
    for charge in charges:
        check_gateway(gateway, charge)
    answers = gateway.charge_many([ChargeRequest(c.gateway_token, c.amount_cents,
                                                 c.gateway_key) for c in charges])
    return [_asked(answer) for answer in answers]


def _asked(answer: ChargeResult | Exception) -> ChargeResult | Exception:
    if isinstance(answer, KeyConflict):
        return key_reused_problem()
    if isinstance(answer, GatewayError) and not isinstance(answer, GatewayUnavailable):
        return ProblemError(502, "gateway_refused", "The card processor refused this payment",
                            f"{answer}. Nothing was charged.")
    return answer


def settle(
    db: Database, gateway: PaymentGateway, clock: Clock, charge_id: str,
    result: ChargeResult | None, effect: ChargeEffect, effects: ChargeEffects = CHARGE_EFFECTS,
) -> ChargeView:
    """Record what the gateway answered (None: it has no charge under the key) and, for an
    approval, the effect, in one transaction; then refund if the effect could not happen.
    Only the first caller acts: a charge no longer PENDING is answered as it is. An effect
    that fails is :class:`EffectFailed` (counted on the charge; see the module)."""
    [(settled, _acted)] = settle_many(db, gateway, clock, [(charge_id, result)], effect,
                                      effects=effects)
    return settled


class _Failing(Exception):
    def __init__(self, charge_id: str, result: ChargeResult | None) -> None:
        super().__init__(charge_id)
        self.charge_id = charge_id
        self.result = result


def settle_many(
    db: Database, gateway: PaymentGateway, clock: Clock,
    answers: Sequence[tuple[str, ChargeResult | None]], effect: ChargeEffect,
    preload: Callable[[Session, list[Charge]], object] | None = None,
    effects: ChargeEffects = CHARGE_EFFECTS,
) -> list[tuple[ChargeView, bool]]:
    """:func:`settle` for several charges in one transaction (a renewal batch): the charges
    are locked in one query (in id order) and each is finished exactly as alone, and all
    commit together, so a crash leaves every one of them PENDING or every one final. An
    effect with a batch path (:class:`BatchEffect`, a renewal's) applies a batch's
    approvals in bulk. ``preload(session, charges)`` may load, in a few queries, what the
    effects will read; what it returns is kept until the commit (the session holds its
    objects only weakly).
    Answers each charge's view and whether this call finished it (False: it was final
    already). An effect that fails rolls the whole batch back and raises its error; alone,
    the failure is counted on the charge and raised as :class:`EffectFailed` (a batch's
    caller settles its charges one by one then, which counts each)."""
    finished: list[tuple[ChargeView, bool]] = []
    try:
        with db.transaction() as session:
            locked = {c.id: c for c in session.execute(
                select(Charge).where(Charge.id.in_([charge_id for charge_id, _r in answers]))
                .order_by(Charge.id).with_for_update()).scalars()}
            kept = preload(session, list(locked.values())) if preload is not None else None
            if len(answers) > 1 and isinstance(effect, BatchEffect):
                finished = _record_answers(session, locked, answers, effect, clock)
            else:
                for charge_id, result in answers:
                    charge = locked[charge_id]
                    acted = charge.state in (ChargeState.PENDING, ChargeState.ABANDONED)
                    if acted:
                        try:
                            record_answer(session, charge, result, effect, clock)
                        except Exception as exc:
                            raise _Failing(charge_id, result) from exc
                    finished.append((view_of(charge), acted))
            del kept
    except _Failing as failing:
        cause = failing.__cause__
        assert isinstance(cause, Exception)
        if len(answers) > 1:
            raise cause from None
        failed = _count_failure(db, clock, failing.charge_id, failing.result, cause, effects)
        raise EffectFailed(failed, effects.tries) from cause
    return [(refund_unused(db, gateway, clock, view.id, effects), acted)
            if view.state is ChargeState.REFUND_DUE else (view, acted)
            for view, acted in finished]


def failure_text(exc: BaseException) -> str:
    """What a person is told of a failed effect: the error's kind and its first lines, never
    more than the column holds."""
    # A database error says what the database said, without the statement and its values.
    said = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(said).splitlines() if line.strip()]
    return f"{type(exc).__name__}: {'; '.join(lines[:4])}"[:500]


def _count_failure(db: Database, clock: Clock, charge_id: str, result: ChargeResult | None,
                   exc: Exception, effects: ChargeEffects) -> ChargeView:
    """After an effect's transaction rolled back: count the failure on the charge, keep
    the gateway's id for it (the reconciler then asks by id), and after ``effects.tries``
    failures set it aside for a person with the reason and the facility that sees it."""
    with db.transaction() as session:
        charge = session.execute(select(Charge).where(Charge.id == charge_id)
                                 .with_for_update()).scalar_one()
        if charge.state not in (ChargeState.PENDING, ChargeState.ABANDONED):
            return view_of(charge)  # another caller finished it meanwhile
        charge.effect_failures = (charge.effect_failures or 0) + 1
        charge.last_failure = failure_text(exc)
        if result is not None:
            charge.gateway_charge_id = result.charge_id
            charge.state = ChargeState.PENDING  # charged: an abandoned key is not abandoned
        if result is None or charge.effect_failures < effects.tries:
            log.warning("charge %s: its effect failed (%d of %d tries), tried again later: %s",
                        charge.id, charge.effect_failures, effects.tries, charge.last_failure)
            return view_of(charge)
        charge.state = ChargeState.NEEDS_ATTENTION
        charge.decline_code = (result.decline_code.value if result.decline_code
                               else None) if not result.approved else None
        charge.attention_since = clock.now()
        try:
            with session.begin_nested():
                charge.facility_id = effects.facility_of(session, charge)
        except Exception:
            log.exception("charge %s: its facility could not be found", charge.id)
        log.error("charge %s NEEDS ATTENTION: its effect failed %d times (%s); refund it or "
                  "retry it (lobby-central charges --attention)", charge.id,
                  charge.effect_failures, charge.last_failure)
        return view_of(charge)


def _record_answers(session: Session, locked: dict[str, Charge],
                    answers: Sequence[tuple[str, ChargeResult | None]], effect: BatchEffect,
                    clock: Clock) -> list[tuple[ChargeView, bool]]:
    """:func:`record_answer` for a batch, the approvals' effect applied in bulk
    (:meth:`BatchEffect.apply_many`): each charge ends in the state it would alone. A
    failure raises (the caller's transaction rolls the whole batch back)."""
    now = clock.now()
    approved: list[Charge] = []
    acted: dict[str, bool] = {}
    for charge_id, result in answers:
        charge = locked[charge_id]
        acted[charge_id] = charge.state in (ChargeState.PENDING, ChargeState.ABANDONED)
        if not acted[charge_id]:
            continue
        if result is None or not result.approved:
            record_answer(session, charge, result, effect, clock)
            continue
        charge.gateway_charge_id = result.charge_id
        charge.settled_at = now
        charge.state = ChargeState.REFUND_DUE
        approved.append(charge)
    for charge, used in zip(approved, effect.apply_many(session, approved, clock),
                            strict=True):
        if used:
            charge.state = ChargeState.SETTLED
    session.flush()
    return [(view_of(locked[charge_id]), acted[charge_id]) for charge_id, _r in answers]


def record_answer(session: Session, charge: Charge, result: ChargeResult | None,
                  effect: ChargeEffect, clock: Clock) -> None:
    """Record the gateway's answer on ``charge`` and apply the effect (in the caller's
    transaction, which rolls both back if the effect fails)."""
    now = clock.now()
    if result is None:
        charge.state = ChargeState.ABANDONED
    elif not result.approved:
        charge.gateway_charge_id = result.charge_id
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
    """Whether a journal, or anything a capability registered (a plan's period), says this
    charge paid for it."""
    return bool(session.execute(select(or_(
        *CHARGE_EFFECTS.paid_for(charge_id),
        exists().where(LedgerJournal.charge_id == charge_id),
    ))).scalar())


def refund_unused(db: Database, gateway: PaymentGateway, clock: Clock, charge_id: str,
                  effects: ChargeEffects = CHARGE_EFFECTS) -> ChargeView:
    """Give back an approved charge whose effect could not happen (REFUND_DUE), once (the
    refund key is the charge's). A charge anything references is never refunded. A refund
    the processor refuses (already refunded in its dashboard, a disputed charge) will not
    succeed by asking again: the charge needs attention at once, with the reason."""
    with db.transaction() as session:
        charge = session.get_one(Charge, charge_id)
        if charge.state is not ChargeState.REFUND_DUE:
            return view_of(charge)
        if is_referenced(session, charge_id):
            log.error("charge %s is used and was marked for refund; keeping it", charge_id)
            charge.state = ChargeState.SETTLED
            return view_of(charge)
        check_gateway(gateway, charge)
        due = view_of(charge)
    assert due.gateway_charge_id is not None
    try:
        gateway.refund(due.gateway_charge_id, due.amount_cents, f"refund:{due.gateway_key}")
    except RefundRefused as exc:
        return _refund_refused(db, clock, charge_id, exc, effects)
    with db.transaction() as session:
        charge = session.get_one(Charge, charge_id)
        charge.state = ChargeState.REFUNDED
        return view_of(charge)


def _refund_refused(db: Database, clock: Clock, charge_id: str, exc: RefundRefused,
                    effects: ChargeEffects) -> ChargeView:
    with db.transaction() as session:
        charge = session.execute(select(Charge).where(Charge.id == charge_id)
                                 .with_for_update()).scalar_one()
        if charge.state is not ChargeState.REFUND_DUE:
            return view_of(charge)
        charge.state = ChargeState.NEEDS_ATTENTION
        charge.last_failure = f"the refund was refused: {failure_text(exc)}"[:500]
        charge.attention_since = clock.now()
        if charge.facility_id is None:
            try:
                with session.begin_nested():
                    charge.facility_id = effects.facility_of(session, charge)
            except Exception:
                log.exception("charge %s: its facility could not be found", charge.id)
        log.error("charge %s NEEDS ATTENTION: %s", charge.id, charge.last_failure)
        return view_of(charge)


def pay(ports: Ports, charge: ChargeView, effect: ChargeEffect,
        unusable: ProblemError) -> ChargeView:
    """Finish a charge opened by a request: ask the gateway (unless the charge is already
    final) and settle. Answers a SETTLED charge; a decline is its 402 problem; a charge
    whose effect could not happen (and was refunded) is ``unusable``; one whose effect
    failed is :func:`unfinished_problem` (the card was charged: never "pay again")."""
    if charge.state in (ChargeState.PENDING, ChargeState.ABANDONED):
        try:
            charge = settle(ports.db, ports.gateway, ports.clock, charge.id,
                            ask_gateway(ports.gateway, charge), effect)
        except EffectFailed as failed:
            log.exception("charge %s: its effect failed", charge.id)
            raise unfinished_problem(failed.charge) from None
    if charge.state is ChargeState.DECLINED:
        raise declined_problem(charge.decline_code)
    if charge.state in (ChargeState.REFUND_DUE, ChargeState.REFUNDED):
        raise unusable
    if charge.state is ChargeState.NEEDS_ATTENTION:
        raise unfinished_problem(charge)
    return charge
