"""Card-present payments: the reader registered to a kiosk, and payments collected on it.

The kiosk never reads a card (docs/payments.md "The card reader"). It asks for a payment on
its reader; we commit the charge first (keyed by the kiosk's Idempotency-Key, as every
charge), then ask the processor to hand it to the reader (:class:`ReaderGateway`). The kiosk
then asks what the reader is doing (:func:`reader_payment`, long-polled by the route) until
the payment ends; an approved or declined card is settled through the same
:func:`~central.money.charges.settle` and effect as any charge, and an approved card the
family agreed to keep becomes the account's card on file. A payment that ended without a
charge (card pulled, timed out, canceled, reader offline) leaves the charge ABANDONED.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from central.identity.models import Kiosk
from central.kernel.clock import Clock
from central.kernel.facilities import Facility
from central.kernel.ports import UnitOfWork
from central.kernel.problems import ProblemError
from central.money.advance_connect import quote_deposit
from central.money.charges import ChargeSpec, Ports, open_charge, settle
from central.money.deposits import DepositDetails, deposit_charge_key
from central.money.effects import CHARGE_EFFECTS
from central.money.gateway import CardToken
from central.money.gateway.reader import (
    ReaderGateway,
    ReaderState,
    ReaderStatus,
    ReaderUnknown,
)
from central.money.models import Charge, ChargePurpose, ChargeState
from central.money.payments import CardOnFile, attach_card
from central.money.terminal_models import CardReader, ReaderPayment


@dataclass(frozen=True)
class ReaderView:
    id: str
    kiosk_id: str
    gateway: str
    reader_ref: str
    label: str
    registered_at: datetime


@dataclass(frozen=True)
class ReaderPaymentView:
    id: str
    charge_id: str
    purpose: str
    amount_cents: int
    state: ReaderState
    decline_code: str | None
    save_card: bool
    card_saved: bool
    brand: str | None
    last4: str | None
    started_at: datetime
    finished_at: datetime | None


def reader_view(reader: CardReader) -> ReaderView:
    return ReaderView(reader.id, reader.kiosk_id, reader.gateway, reader.reader_ref,
                      reader.label, reader.registered_at)


def payment_view(session: Session, payment: ReaderPayment) -> ReaderPaymentView:
    charge = session.get_one(Charge, payment.charge_id)
    return ReaderPaymentView(
        id=payment.id, charge_id=payment.charge_id, purpose=charge.purpose.value,
        amount_cents=charge.amount_cents, state=ReaderState(payment.state),
        decline_code=payment.decline_code, save_card=payment.save_card,
        card_saved=payment.card_saved, brand=payment.brand, last4=payment.last4,
        started_at=payment.started_at, finished_at=payment.finished_at)


def no_reader_problem() -> ProblemError:
    return ProblemError(409, "reader_not_registered", "This kiosk has no card reader",
                        "Staff register the kiosk's reader (lobby-central reader-add).")


def reader_on_other_gateway_problem(registered: str, used: str) -> ProblemError:
    return ProblemError(409, "reader_on_other_gateway",
                        "This kiosk's reader belongs to another payment processor",
                        f"The reader was registered with {registered!r}; this server uses "
                        f"{used!r}. Register it again.")


def check_keyed_entry(session: Session, facility_id: str) -> None:
    """A typed card number is taken only at a facility that allows keyed entry (off by
    default): elsewhere cards are read by the kiosk's reader and no number reaches us."""
    facility = session.get(Facility, facility_id)
    if facility is None or not facility.allows_keyed_entry:
        raise ProblemError(403, "keyed_entry_not_allowed",
                           "This lobby takes cards on its card reader only",
                           "Typing a card number is off at this facility; use the reader.",
                           field="number")


@dataclass(frozen=True)
class RegisterReader:
    kiosk_id: str
    facility_id: str | None  # the supervisor's facility; None for the CLI
    reader_ref: str
    label: str | None
    registered_by: str


def register_kiosk_reader(command: RegisterReader, readers: ReaderGateway,
                          ports: UnitOfWork) -> ReaderView:
    """The handler of the supervisor's route: :func:`register_reader` in its transaction."""
    with ports.db.transaction() as session:
        return register_reader(session, readers, command.kiosk_id, command.facility_id,
                               command.reader_ref, command.label, command.registered_by,
                               ports.clock.now())


def register_reader(session: Session, readers: ReaderGateway, kiosk_id: str,
                    facility_id: str | None, reader_ref: str, label: str | None,
                    registered_by: str, now: datetime) -> ReaderView:
    """Register (or replace) the reader of a kiosk. ``facility_id``: the kiosk must be at
    that facility (a supervisor registers only their own lobby's kiosks); None for the CLI."""
    kiosk = session.get(Kiosk, kiosk_id)
    if kiosk is None or kiosk.revoked_at is not None or (
            facility_id is not None and kiosk.facility_id != facility_id):
        raise ProblemError(404, "kiosk_unknown", "No such kiosk", field="kiosk_id")
    try:
        known_label = readers.check_reader(reader_ref)
    except ReaderUnknown as exc:
        raise ProblemError(422, "reader_unknown", "The payment processor has no such reader",
                           str(exc), field="reader_ref") from None
    in_use = session.execute(select(CardReader).where(
        CardReader.reader_ref == reader_ref, CardReader.gateway == readers.name,
        CardReader.kiosk_id != kiosk_id)).scalar_one_or_none()
    if in_use is not None:
        raise ProblemError(409, "reader_in_use", "This reader is registered to another kiosk",
                           "Remove it there first, or register another reader.",
                           field="reader_ref")
    reader = session.execute(select(CardReader).where(CardReader.kiosk_id == kiosk_id)
                             ).scalar_one_or_none()
    if reader is None:
        reader = CardReader(kiosk_id=kiosk_id)
        session.add(reader)
    reader.gateway = readers.name
    reader.reader_ref = reader_ref
    reader.label = (label or known_label)[:100]
    reader.registered_at = now
    reader.registered_by = registered_by
    session.flush()
    return reader_view(reader)


def kiosk_reader(session: Session, kiosk_id: str) -> CardReader | None:
    return session.execute(select(CardReader).where(CardReader.kiosk_id == kiosk_id)
                           ).scalar_one_or_none()


def reader_card(reader: CardReader) -> str:
    """What a reader charge records as its card token: the reader, never a card."""
    return f"reader:{reader.id}"


def is_reader_charge(charge: Charge) -> bool:
    """A charge collected on a kiosk's reader (its token names the reader, not a card)."""
    return charge.gateway_token.startswith("reader:")


def start_payment(ports: Ports, readers: ReaderGateway, kiosk_id: str, spec: ChargeSpec,
                  save_card: bool) -> ReaderPaymentView:
    """Open the charge and its reader payment (or find them: the same charge key again is
    the same payment), then hand it to the reader. The caller builds ``spec`` (the quoted
    amount, the purpose's details) with :func:`reader_card` as its token."""
    now = ports.clock.now()
    with ports.db.transaction() as session:
        reader = kiosk_reader(session, kiosk_id)
        if reader is None:
            raise no_reader_problem()
        if reader.gateway != readers.name:
            raise reader_on_other_gateway_problem(reader.gateway, readers.name)
        charge = open_charge(session, spec, now, ports.gateway.name)
        payment = session.execute(select(ReaderPayment).where(
            ReaderPayment.charge_id == charge.id)).scalar_one_or_none()
        if payment is None:
            payment = ReaderPayment(
                kiosk_id=kiosk_id, reader_id=reader.id, charge_id=charge.id,
                state=ReaderState.WAITING.value, save_card=save_card, started_at=now)
            session.add(payment)
            session.flush()
        elif payment.kiosk_id != kiosk_id:
            raise ProblemError(409, "idempotency_key_reused",
                               "This Idempotency-Key was already used for another payment",
                               field="Idempotency-Key")
        payment_id, reader_ref = payment.id, reader.reader_ref
        if ReaderState(payment.state).final or payment.payment_ref is not None:
            return payment_view(session, payment)
        gateway_key = charge.gateway_key
    payment_ref, state = readers.start(reader_ref, spec.amount_cents, gateway_key, save_card)
    with ports.db.transaction() as session:
        payment = session.get_one(ReaderPayment, payment_id, with_for_update=True)
        payment.payment_ref = payment_ref
    if state.final:
        return _finish(ports, payment_id, ReaderStatus(state))
    return reader_payment(ports, readers, kiosk_id, payment_id)


def _own_payment(session: Session, kiosk_id: str, payment_id: str) -> ReaderPayment:
    payment = session.get(ReaderPayment, payment_id)
    if payment is None or payment.kiosk_id != kiosk_id:
        raise ProblemError(404, "reader_payment_unknown", "No such payment on this kiosk")
    return payment


def reader_payment(ports: Ports, readers: ReaderGateway, kiosk_id: str, payment_id: str
                   ) -> ReaderPaymentView:
    """The payment's state now, asking the processor while it has not ended; the first
    caller to see it end settles its charge."""
    with ports.db.transaction() as session:
        payment = _own_payment(session, kiosk_id, payment_id)
        if ReaderState(payment.state).final or payment.payment_ref is None:
            return payment_view(session, payment)
        reader = session.get_one(CardReader, payment.reader_id)
        charge = session.get_one(Charge, payment.charge_id)
        ask = (reader.reader_ref, payment.payment_ref, charge.gateway_key)
    status = readers.status(*ask)
    if status.state.final:
        return _finish(ports, payment_id, status)
    with ports.db.transaction() as session:
        payment = session.get_one(ReaderPayment, payment_id, with_for_update=True)
        if not ReaderState(payment.state).final:
            payment.state = status.state.value
        return payment_view(session, payment)


def cancel_payment(ports: Ports, readers: ReaderGateway, kiosk_id: str, payment_id: str
                   ) -> ReaderPaymentView:
    """Stop the reader's action (Cancel, the idle wipe). A card approved at the same moment
    stays approved: the answer is the payment as it ended."""
    with ports.db.transaction() as session:
        payment = _own_payment(session, kiosk_id, payment_id)
        if ReaderState(payment.state).final:
            return payment_view(session, payment)
        reader_ref = session.get_one(CardReader, payment.reader_id).reader_ref
        payment_ref = payment.payment_ref
    if payment_ref is None:  # never handed to the reader: nothing to stop
        return _finish(ports, payment_id, ReaderStatus(ReaderState.CANCELED))
    readers.cancel(reader_ref, payment_ref)
    return reader_payment(ports, readers, kiosk_id, payment_id)


def _finish(ports: Ports, payment_id: str, status: ReaderStatus) -> ReaderPaymentView:
    """Record how the payment ended and settle its charge through ``settle`` (an approved
    or declined card), or leave it ABANDONED (nothing charged)."""
    with ports.db.transaction() as session:
        payment = session.get_one(ReaderPayment, payment_id, with_for_update=True)
        charge = session.get_one(Charge, payment.charge_id, with_for_update=True)
        if status.card is not None:
            payment.brand, payment.last4 = status.card.brand.value, status.card.last4
            # Also when a webhook or the reconciler settled it first, without the card.
            _name_the_card(charge, status.card)
        charge_id, purpose = charge.id, charge.purpose
    settled = settle(ports.db, ports.gateway, ports.clock, charge_id, status.charge,
                     CHARGE_EFFECTS.effect(purpose))
    with ports.db.transaction() as session:
        payment = session.get_one(ReaderPayment, payment_id, with_for_update=True)
        if not ReaderState(payment.state).final:
            payment.state = status.state.value
            payment.decline_code = status.decline_code
            payment.finished_at = ports.clock.now()
        if (payment.save_card and not payment.card_saved and status.card is not None
                and settled.state is ChargeState.SETTLED and settled.account_id is not None):
            _keep_card(session, settled.account_id, status.card, ports.clock)
            payment.card_saved = True
        return payment_view(session, payment)


def _name_the_card(charge: Charge, card: CardToken) -> None:
    """A charge's details that show the card (a deposit's receipt, a purchase's card) learn
    it from the reader, before the effect reads them, or after a webhook or the reconciler
    settled the charge without it (its receipt said "card"); a card once named stays."""
    details = json.loads(charge.details)
    named = details.get("card") if isinstance(details.get("card"), dict) else details
    if "last4" in named and not named["last4"]:
        named.update(brand=card.brand.value, last4=card.last4)
        charge.details = json.dumps(details, sort_keys=True)


def _keep_card(session: Session, account_id: str, card: CardToken, clock: Clock) -> None:
    """The family agreed to keep the card for renewals: it becomes the card on file."""
    attach_card(session, account_id, card, clock.now())


@dataclass(frozen=True)
class ReaderDeposit:
    """A deposit paid on the kiosk's reader: the amount and the total the family saw."""

    kiosk_id: str
    account_id: str
    amount_cents: int
    total_cents: int | None
    save_card: bool
    idempotency_key: str


def start_reader_deposit(command: ReaderDeposit, ports: Ports, readers: ReaderGateway
                         ) -> ReaderPaymentView:
    """A deposit charged on the reader: quoted as a deposit by card on file (409
    ``quote_changed`` when the total moved), keyed as one (the same request key is the same
    charge), credited by the same effect once the card is approved."""
    with ports.db.transaction() as session:
        quoted = quote_deposit(session, command.account_id, command.amount_cents,
                               ports.clock.now())
        if command.total_cents is not None and command.total_cents != quoted.total_cents:
            raise ProblemError(409, "quote_changed", "The total has changed since the quote",
                               f"The total is now {quoted.total_cents} cents; quote again.",
                               field="total_cents")
        reader = kiosk_reader(session, command.kiosk_id)
        if reader is None:
            raise no_reader_problem()
        token = reader_card(reader)
    spec = ChargeSpec(
        purpose=ChargePurpose.DEPOSIT, account_id=command.account_id,
        amount_cents=quoted.total_cents,
        gateway_key=deposit_charge_key(command.account_id, command.idempotency_key),
        card=CardOnFile("", token, "", "", 0, 0),
        details=DepositDetails(amount_cents=quoted.amount_cents, fee_cents=quoted.fee_cents,
                               facility_id=quoted.facility_id, brand="", last4=""),
    )
    return start_payment(ports, readers, command.kiosk_id, spec, command.save_card)
