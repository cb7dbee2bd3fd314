"""The sandbox's simulated card reader: it behaves like a real one, on the server's clock.

A payment handed to a simulated reader waits for a card for ``present_after`` seconds, reads
it for ``read_seconds``, then ends as the amount's cents say (as the sandbox's test cards
say what a typed card does; docs/payments.md "The simulated reader"):

======  ===================================================================
cents   what happens
======  ===================================================================
``01``  declined, ``card_declined``
``02``  declined, ``insufficient_funds``
``03``  the card is pulled out while it is read: ``card_removed``
``04``  no card comes: ``timed_out`` after ``timeout_seconds``
``05``  the reader is offline: ``reader_offline`` at once, nothing charged
other   approved (a Visa ending 4242)
======  ===================================================================

A reader is simulated when its id starts with ``sim_`` (``sim_lobby_1``). Time is the
injected clock's, so tests move it instead of sleeping. An approved or declined card writes
the sandbox's own charge under our key, so :meth:`SandboxGateway.find_charge` (and so the
reconciler) sees a reader payment as any other charge.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from central.db.engine import Database
from central.kernel.clock import Clock
from central.money.gateway import CardBrand, CardToken, DeclineCode, KeyConflict
from central.money.gateway.models import GatewayCard, GatewayCharge
from central.money.gateway.reader import (
    ReaderGateway,
    ReaderState,
    ReaderStatus,
    ReaderUnknown,
)
from central.money.gateway.reader_models import SandboxReaderPayment
from central.money.gateway.sandbox import APPROVE, _result

SIMULATED_PREFIX = "sim_"
CARD_REMOVED = ReaderState.CARD_REMOVED.value
TIMED_OUT = ReaderState.TIMED_OUT.value
OFFLINE = ReaderState.READER_OFFLINE.value
SCENARIOS: dict[int, str] = {
    1: DeclineCode.CARD_DECLINED.value,
    2: DeclineCode.INSUFFICIENT_FUNDS.value,
    3: CARD_REMOVED,
    4: TIMED_OUT,
    5: OFFLINE,
}
SIMULATED_LAST4 = "4242"


@dataclass(frozen=True)
class ReaderTiming:
    """How long the simulated reader takes (seconds of the server's clock)."""

    present_after: float = 2.0
    read_seconds: float = 1.0
    timeout_seconds: float = 60.0


def scenario_for(amount_cents: int) -> str:
    return SCENARIOS.get(amount_cents % 100, APPROVE)


class SandboxReader(ReaderGateway):
    def __init__(self, db: Database, clock: Clock, timing: ReaderTiming | None = None) -> None:
        self._db = db
        self._clock = clock
        self.timing = timing or ReaderTiming()

    @property
    def name(self) -> str:
        return "sandbox"

    def check_reader(self, reader_ref: str) -> str:
        if not reader_ref.startswith(SIMULATED_PREFIX) or len(reader_ref) <= len(SIMULATED_PREFIX):
            raise ReaderUnknown(f"a sandbox reader's id starts with {SIMULATED_PREFIX!r}")
        return f"Simulated reader {reader_ref[len(SIMULATED_PREFIX):]}"

    def start(self, reader_ref: str, amount_cents: int, idempotency_key: str,
              save_card: bool) -> tuple[str, ReaderState]:
        self.check_reader(reader_ref)
        if amount_cents <= 0:
            raise ValueError("a payment is for a positive amount")
        try:
            with self._db.transaction() as session:
                found = self._payment(session, idempotency_key)
                if found is None:
                    found = SandboxReaderPayment(
                        idempotency_key=idempotency_key, reader_ref=reader_ref,
                        amount_cents=amount_cents, scenario=scenario_for(amount_cents),
                        save_card=save_card, started_at=self._clock.now())
                    session.add(found)
                    session.flush()
                payment_id, amount, reader = found.id, found.amount_cents, found.reader_ref
                scenario = found.scenario
        except IntegrityError:  # the same key at the same moment: the first one's payment
            with self._db.transaction() as session:
                raced = self._payment(session, idempotency_key)
                assert raced is not None
                payment_id, amount, reader = raced.id, raced.amount_cents, raced.reader_ref
                scenario = raced.scenario
        if amount != amount_cents or reader != reader_ref:
            raise KeyConflict("this key was used for another reader payment")
        return payment_id, (ReaderState.READER_OFFLINE if scenario == OFFLINE
                            else ReaderState.WAITING)

    def status(self, reader_ref: str, payment_ref: str, idempotency_key: str) -> ReaderStatus:
        now = self._clock.now()
        with self._db.transaction() as session:
            payment = session.get(SandboxReaderPayment, payment_ref)
            if payment is None or payment.reader_ref != reader_ref:
                raise ReaderUnknown("no such payment on this reader")
            state, ends = self._timeline(payment, now)
            if payment.canceled_at is not None and (ends is None or payment.canceled_at < ends):
                return ReaderStatus(ReaderState.CANCELED)
            if state in (ReaderState.APPROVED, ReaderState.DECLINED):
                return self._charged(session, payment, now)
            return ReaderStatus(state)

    def cancel(self, reader_ref: str, payment_ref: str) -> None:
        now = self._clock.now()
        with self._db.transaction() as session:
            payment = session.get(SandboxReaderPayment, payment_ref, with_for_update=True)
            if payment is None or payment.reader_ref != reader_ref:
                raise ReaderUnknown("no such payment on this reader")
            state, _ends = self._timeline(payment, now)
            if not state.final and payment.canceled_at is None:
                payment.canceled_at = now

    def _timeline(self, payment: SandboxReaderPayment, now: datetime
                  ) -> tuple[ReaderState, datetime | None]:
        """The state at ``now`` and when the payment ends (None: it ended at once)."""
        t = self.timing
        start = payment.started_at
        if payment.scenario == OFFLINE:
            return ReaderState.READER_OFFLINE, None
        if payment.scenario == TIMED_OUT:
            ends = start + timedelta(seconds=t.timeout_seconds)
            return (ReaderState.TIMED_OUT if now >= ends else ReaderState.WAITING), ends
        presented = start + timedelta(seconds=t.present_after)
        ends = presented + timedelta(seconds=t.read_seconds)
        if now < presented:
            return ReaderState.WAITING, ends
        if now < ends:
            return ReaderState.READING, ends
        if payment.scenario == CARD_REMOVED:
            return ReaderState.CARD_REMOVED, ends
        if payment.scenario == APPROVE:
            return ReaderState.APPROVED, ends
        return ReaderState.DECLINED, ends

    def _charged(self, session: Session, payment: SandboxReaderPayment, now: datetime
                 ) -> ReaderStatus:
        """The card was read: the sandbox's charge under our key (made once)."""
        charge = session.execute(select(GatewayCharge).where(
            GatewayCharge.idempotency_key == payment.idempotency_key).with_for_update()
        ).scalar_one_or_none()
        if charge is None:
            card = GatewayCard(
                token="tok_sandbox_reader_" + secrets.token_urlsafe(18), brand=CardBrand.VISA,
                last4=SIMULATED_LAST4, exp_month=12, exp_year=now.year + 3, scenario=APPROVE,
                created_at=now)
            session.add(card)
            approved = payment.scenario == APPROVE
            charge = GatewayCharge(
                idempotency_key=payment.idempotency_key, token=card.token,
                amount_cents=payment.amount_cents,
                status="approved" if approved else "declined",
                decline_code=None if approved else payment.scenario, created_at=now)
            session.add(charge)
            session.flush()
        card_row = session.get_one(GatewayCard, charge.token)
        result = _result(charge)
        token = CardToken(card_row.token, CardBrand(card_row.brand), card_row.last4,
                          card_row.exp_month, card_row.exp_year)
        if result.approved:
            return ReaderStatus(ReaderState.APPROVED, charge=result, card=token)
        return ReaderStatus(ReaderState.DECLINED, decline_code=charge.decline_code,
                            charge=result, card=token)

    @staticmethod
    def _payment(session: Session, key: str) -> SandboxReaderPayment | None:
        return session.execute(select(SandboxReaderPayment).where(
            SandboxReaderPayment.idempotency_key == key)).scalar_one_or_none()
