"""Cash: notes a lobby kiosk's acceptor stacked, credited to a family's AdvanceConnect balance
exactly once, and the cash box counts staff take when they empty a kiosk (docs/cash.md).

A cash deposit goes through the same records as a card deposit: a ``charges`` row (purpose
``cash_deposit``) and a ledger journal that references it. It has no gateway: the row is
written SETTLED with its journal in one transaction (``gateway = "cash"``), so no reconciler
round, webhook or refund ever finds it pending or asks a processor about it. The kiosk's own
key for the note (or batch of notes) is the Idempotency-Key and, prefixed with the kiosk,
the charge's unique key: a retry, a duplicate or two copies at once credit once.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, Literal, NoReturn
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field
from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from central.db.base import Base, cents, str_id, utc_time
from central.identity.models import Account, Kiosk
from central.kernel.clock import Clock
from central.kernel.facilities import Facility
from central.kernel.fields import JSON_INTEGER, STRICT, Identifier, QueryTime, Strict, Token
from central.kernel.idempotency import StoredResponse, fingerprint
from central.kernel.ports import UnitOfWork
from central.kernel.problems import ProblemError
from central.mail.notifications import CashDepositReceipt, cash_deposit_receipt
from central.mail.outbox import facility_ref, queue_mail, recipient_of
from central.money import ledger
from central.money.advance_connect import home_facility
from central.money.charges import Ports, charge_by_key, owner, view_of
from central.money.effects import ChargeDetails, ChargeEffects
from central.money.models import Charge, ChargePurpose, ChargeState, LedgerBook, LedgerJournal
from central.money.schemas import MAX_DEPOSIT_CENTS

# What ``charges.gateway`` says for notes: no processor, so none is ever asked.
CASH_GATEWAY = "cash"
# The most notes one posting may carry (the kiosk posts one a note; a batch stays small).
MAX_NOTES = 50
NoteCents = Annotated[int, STRICT, Field(ge=1, le=MAX_DEPOSIT_CENTS), JSON_INTEGER]


# -- tables --------------------------------------------------------------------------------


class CashDeposit(Base):
    """Notes one kiosk stacked for one family, as the kiosk sent them (one a note, or a
    batch with its count), with the cassette they went into."""

    __tablename__ = "cash_deposits"
    __table_args__ = (UniqueConstraint("kiosk_id", "kiosk_key"),)

    id: Mapped[str_id]
    kiosk_id: Mapped[str] = mapped_column(ForeignKey("kiosks.id"), index=True)
    facility_id: Mapped[str] = mapped_column(ForeignKey("facilities.id"))
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    charge_id: Mapped[str] = mapped_column(ForeignKey("charges.id"), unique=True)
    kiosk_key: Mapped[str] = mapped_column(String(200))
    # The family's visit at the kiosk ("Add money with cash" to "Done"): the maximum applies
    # to its notes together.
    visit: Mapped[str] = mapped_column(String(64))
    cassette: Mapped[int] = mapped_column(Integer)
    note_count: Mapped[int] = mapped_column(Integer)
    amount_cents: Mapped[cents]
    notes: Mapped[str] = mapped_column(Text)  # JSON list of the notes' values, in cents
    stacked_at: Mapped[utc_time]  # the kiosk's time
    received_at: Mapped[utc_time]


class CashBoxCount(Base):
    """What a kiosk says its acceptor stacked into one cassette, sent when staff took it out."""

    __tablename__ = "cash_box_counts"
    __table_args__ = (UniqueConstraint("kiosk_id", "kiosk_key"),
                      UniqueConstraint("kiosk_id", "cassette", name="uq_cash_box_counts_cassette"))

    id: Mapped[str_id]
    kiosk_id: Mapped[str] = mapped_column(ForeignKey("kiosks.id"), index=True)
    facility_id: Mapped[str] = mapped_column(ForeignKey("facilities.id"), index=True)
    kiosk_key: Mapped[str] = mapped_column(String(200))
    cassette: Mapped[int] = mapped_column(Integer)
    removed_at: Mapped[utc_time]  # the kiosk's time
    notes: Mapped[str] = mapped_column(Text)  # JSON {"<cents>": count}
    note_count: Mapped[int] = mapped_column(Integer)
    total_cents: Mapped[cents]
    # Notes the kiosk recorded in escrow whose end it could not learn (flagged for staff).
    in_doubt: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[utc_time]


# -- bodies --------------------------------------------------------------------------------


class CashDepositIn(Strict):
    account_id: Identifier
    visit: Token
    cassette: Annotated[int, STRICT, Field(ge=1, le=10**9), JSON_INTEGER]
    notes: Annotated[list[NoteCents], Field(min_length=1, max_length=MAX_NOTES)] = Field(
        description="Each note's value in cents, in the order stacked")
    amount_cents: Annotated[int, STRICT, Field(ge=1, le=MAX_DEPOSIT_CENTS), JSON_INTEGER] = (
        Field(description="The notes' sum: refused with 422 if it is not"))
    stacked_at: QueryTime


class CashTermsOut(BaseModel):
    """What a kiosk enables its note acceptor with for a family's visit."""

    facility_id: str
    maximum_cents: int = Field(description="The most one visit's notes may add: the "
                               "facility's cash maximum")
    minimum_cents: int = Field(0, description="None: any note the unit takes is credited")


class CashDepositOut(BaseModel):
    deposit_id: str
    transaction_id: str
    account_id: str
    amount_cents: int
    note_count: int
    method: str = Field(description='What a receipt names: "cash, 3 notes"')
    refundable_at_kiosk: Literal[False] = False
    created_at: datetime


class DenominationCount(Strict):
    cents: NoteCents
    count: Annotated[int, STRICT, Field(ge=1, le=10_000), JSON_INTEGER]


class CashCountIn(Strict):
    cassette: Annotated[int, STRICT, Field(ge=1, le=10**9), JSON_INTEGER]
    removed_at: QueryTime
    notes: Annotated[list[DenominationCount], Field(max_length=64)]
    in_doubt: Annotated[int, STRICT, Field(ge=0, le=10_000), JSON_INTEGER] = 0


class CashCountOut(BaseModel):
    count_id: str
    cassette: int
    note_count: int
    total_cents: int
    received_at: datetime


class CassetteLine(BaseModel):
    """One kiosk's cassette: what it says it stacked against what was credited."""

    kiosk_id: str
    kiosk_name: str
    cassette: int
    counted: bool = Field(description="False: still in the kiosk, no count yet")
    removed_at: datetime | None
    stacked_notes: int
    stacked_cents: int
    stacked_by_denomination: dict[str, int]
    credited_notes: int
    credited_cents: int
    credited_by_denomination: dict[str, int]
    in_doubt: int
    difference_cents: int = Field(description="stacked minus credited")
    flagged: bool


class CashReport(BaseModel):
    facility_id: str
    date: date
    cassettes: list[CassetteLine]
    balanced: bool


# -- the charge effect -----------------------------------------------------------------


class CashDepositDetails(ChargeDetails):
    version: Literal[1] = 1
    kiosk_id: str
    facility_id: str
    notes: list[int]


def method_text(note_count: int) -> str:
    return f"cash, {note_count} note" + ("" if note_count == 1 else "s")


class CashDepositEffect:
    """What a cash charge does: credit the family from the cash box book. It runs in the
    transaction that writes the charge (never later: a cash charge is never pending)."""

    def apply(self, session: Session, charge: Charge, clock: Clock) -> bool:
        details = CashDepositDetails.model_validate_json(charge.details)
        ledger.post_deposit(
            session, owner(charge), charge.amount_cents, 0, reference=f"cash:{charge.id}",
            now=clock.now(), description=f"Deposit, {method_text(len(details.notes))}",
            charge_id=charge.id, paid_into=LedgerBook.CASH_BOX)
        return True

    def declined(self, session: Session, charge: Charge, clock: Clock) -> None:
        """Notes are never declined: a note the acceptor did not take never reaches us."""


CASH_DEPOSIT = CashDepositEffect()


def register_effects(effects: ChargeEffects) -> None:
    effects.register(ChargePurpose.CASH_DEPOSIT, CASH_DEPOSIT)


# -- handlers --------------------------------------------------------------------------


def cash_terms(session: Session, facility_id: str) -> CashTermsOut:
    """The kiosk's facility's cash maximum (docs/cash.md, "The limits")."""
    facility = session.get_one(Facility, facility_id)
    return CashTermsOut(facility_id=facility.id, maximum_cents=facility.cash_maximum_cents)


@dataclass(frozen=True)
class PostCash:
    body: CashDepositIn
    kiosk_id: str
    facility_id: str
    idempotency_key: str


def cash_charge_key(kiosk_id: str, kiosk_key: str) -> str:
    return f"cash:{kiosk_id}:{kiosk_key}"


def _out(session: Session, deposit: CashDeposit) -> CashDepositOut:
    charge = session.get_one(Charge, deposit.charge_id)
    journal_id = session.execute(
        select(LedgerJournal.id).where(LedgerJournal.charge_id == charge.id)
    ).scalar_one()
    return CashDepositOut(
        deposit_id=deposit.id, transaction_id=journal_id, account_id=deposit.account_id,
        amount_cents=deposit.amount_cents, note_count=deposit.note_count,
        method=method_text(deposit.note_count), created_at=deposit.received_at)


def post_cash_deposit(command: PostCash, ports: Ports) -> StoredResponse:
    """Credit notes a kiosk of the account's facility stacked (201), once per kiosk key.

    Refusals (nothing credited): 404 ``account_unknown``; 409 ``no_linked_resident``; 403
    ``account_not_at_this_facility`` (a kiosk posts cash only for families of its own
    facility); 422 ``notes_do_not_add_up``; 422 ``amount_above_maximum`` when the visit's
    notes would pass the deposit maximum (the kiosk refuses such a note before stacking).

    The facility's own cash maximum (``Facility.cash_maximum_cents``, at most the deposit
    maximum) is not checked here: the kiosk enabled its acceptor with the maximum it was
    given, and a note in the cashbox is the family's money even if a supervisor lowered
    the maximum since (docs/cash.md, "The limits")."""
    body = command.body
    if sum(body.notes) != body.amount_cents:
        raise ProblemError(422, "notes_do_not_add_up", "The notes do not add up to the amount",
                           f"The notes sum to {sum(body.notes)} cents, not "
                           f"{body.amount_cents}.", field="amount_cents")

    def work(session: Session) -> tuple[int, dict[str, Any]]:
        now = ports.clock.now()
        if session.get(Account, body.account_id) is None:
            raise ProblemError(404, "account_unknown", "No such account", field="account_id")
        ledger.lock_account(session, body.account_id)  # the visit's total, counted alone
        gateway_key = cash_charge_key(command.kiosk_id, command.idempotency_key)
        if charge_by_key(session, gateway_key) is not None:
            # Credited already under this key, its record purged or lost: never twice.
            deposit = session.execute(select(CashDeposit).where(
                CashDeposit.kiosk_id == command.kiosk_id,
                CashDeposit.kiosk_key == command.idempotency_key)).scalar_one()
            return 201, _out(session, deposit).model_dump(mode="json")
        facility = home_facility(session, body.account_id)
        if facility.id != command.facility_id:
            raise ProblemError(403, "account_not_at_this_facility",
                               "This family's account belongs to another facility",
                               "A kiosk takes cash only for families of its own facility.",
                               field="account_id")
        so_far = int(session.execute(
            select(func.coalesce(func.sum(CashDeposit.amount_cents), 0)).where(
                CashDeposit.kiosk_id == command.kiosk_id, CashDeposit.visit == body.visit,
                CashDeposit.account_id == body.account_id)).scalar_one())
        if so_far + body.amount_cents > MAX_DEPOSIT_CENTS:
            raise ProblemError(422, "amount_above_maximum", "The deposit is too large",
                               f"This visit's cash would reach {so_far + body.amount_cents} "
                               f"cents; deposit at most {MAX_DEPOSIT_CENTS} cents.",
                               field="amount_cents")
        charge = Charge(
            purpose=ChargePurpose.CASH_DEPOSIT, account_id=body.account_id,
            amount_cents=body.amount_cents, gateway_key=gateway_key,
            gateway_token=CASH_GATEWAY, state=ChargeState.SETTLED, gateway=CASH_GATEWAY,
            details=json.dumps(CashDepositDetails(
                kiosk_id=command.kiosk_id, facility_id=facility.id, notes=list(body.notes),
            ).model_dump(mode="json"), sort_keys=True),
            created_at=now, settled_at=now)
        session.add(charge)
        session.flush()
        CASH_DEPOSIT.apply(session, charge, ports.clock)
        deposit = CashDeposit(
            kiosk_id=command.kiosk_id, facility_id=facility.id, account_id=body.account_id,
            charge_id=charge.id, kiosk_key=command.idempotency_key, visit=body.visit,
            cassette=body.cassette, note_count=len(body.notes), amount_cents=body.amount_cents,
            notes=json.dumps(list(body.notes)), stacked_at=body.stacked_at, received_at=now)
        session.add(deposit)
        session.flush()
        return 201, _out(session, deposit).model_dump(mode="json")

    return ports.idempotency.run(
        f"kiosk:{command.kiosk_id}", command.idempotency_key,
        fingerprint("POST cash-deposits", body.model_dump(mode="json")), work, keep=True)


@dataclass(frozen=True)
class AskCashRefund:
    deposit_id: str
    facility_id: str  # the asking kiosk's


def ask_cash_refund(command: AskCashRefund, ports: UnitOfWork) -> NoReturn:
    """The handler of the kiosk's refund route: always a refusal (:func:`refuse_cash_refund`)."""
    with ports.db.read() as session:
        raise refuse_cash_refund(session, command.facility_id, command.deposit_id)


def refuse_cash_refund(session: Session, kiosk_facility: str, deposit_id: str) -> ProblemError:
    """What asking to refund a cash deposit at a kiosk answers: 404 for a deposit this
    kiosk's facility does not hold, else 409 ``cash_not_refundable``."""
    deposit = session.get(CashDeposit, deposit_id)
    if deposit is None or deposit.facility_id != kiosk_facility:
        return ProblemError(404, "cash_deposit_unknown", "No such cash deposit")
    charge = view_of(session.get_one(Charge, deposit.charge_id))
    return ProblemError(
        409, "cash_not_refundable", "Cash cannot be refunded at a kiosk",
        f"The {charge.amount_cents} cents in notes are on the family's AdvanceConnect "
        "balance; the balance can be refunded on request (rule 14), never as notes from "
        "the kiosk.")


class CashReceiptIn(Strict):
    account_id: Identifier
    visit: Token


class CashReceiptOut(BaseModel):
    account_id: str
    visit: str
    amount_cents: int
    note_count: int
    method: str
    queued_at: datetime


@dataclass(frozen=True)
class SendReceipt:
    body: CashReceiptIn
    kiosk_id: str
    idempotency_key: str


def send_cash_receipt(command: SendReceipt, ports: Ports) -> StoredResponse:
    """The family pressed "Done": e-mail one receipt for the notes of the visit credited so
    far ("Cash, 3 notes"), once. 409 ``nothing_credited`` when none was."""
    body = command.body

    def work(session: Session) -> tuple[int, dict[str, Any]]:
        deposits = list(session.execute(select(CashDeposit).where(
            CashDeposit.kiosk_id == command.kiosk_id, CashDeposit.visit == body.visit,
            CashDeposit.account_id == body.account_id).order_by(CashDeposit.received_at)
        ).scalars())
        if not deposits:
            raise ProblemError(409, "nothing_credited", "No cash was credited in this visit",
                               field="visit")
        now = ports.clock.now()
        amount = sum(d.amount_cents for d in deposits)
        notes = sum(d.note_count for d in deposits)
        account = session.get_one(Account, body.account_id)
        queue_mail(session, cash_deposit_receipt(CashDepositReceipt(
            recipient=recipient_of(account),
            facility=facility_ref(session.get_one(Facility, deposits[0].facility_id)),
            amount_cents=amount, note_count=notes,
            balance_cents=ledger.balance_cents(session, body.account_id),
            paid_at=deposits[-1].received_at, reference=deposits[0].id,
        )), f"receipt:cash:{command.kiosk_id}:{body.visit}", ports.clock)
        return 201, CashReceiptOut(account_id=body.account_id, visit=body.visit,
                                   amount_cents=amount, note_count=notes,
                                   method=method_text(notes), queued_at=now
                                   ).model_dump(mode="json")

    return ports.idempotency.run(
        f"kiosk:{command.kiosk_id}", command.idempotency_key,
        fingerprint("POST cash-receipts", body.model_dump(mode="json")), work)


@dataclass(frozen=True)
class RecordCount:
    body: CashCountIn
    kiosk_id: str
    facility_id: str
    idempotency_key: str


def record_cash_count(command: RecordCount, ports: Ports) -> StoredResponse:
    """Keep a cassette's count (201), once per kiosk key; another count of the same cassette
    under another key is 409 ``cassette_already_counted``."""
    body = command.body
    by_value: Counter[int] = Counter()
    for line in body.notes:
        by_value[line.cents] += line.count

    def work(session: Session) -> tuple[int, dict[str, Any]]:
        clash = session.execute(select(CashBoxCount).where(
            CashBoxCount.kiosk_id == command.kiosk_id,
            CashBoxCount.cassette == body.cassette)).scalar_one_or_none()
        if clash is not None:
            raise ProblemError(409, "cassette_already_counted",
                               "This cassette was counted already",
                               f"Cassette {body.cassette} of this kiosk was counted at "
                               f"{clash.removed_at.isoformat()}.", field="cassette")
        count = CashBoxCount(
            kiosk_id=command.kiosk_id, facility_id=command.facility_id,
            kiosk_key=command.idempotency_key, cassette=body.cassette,
            removed_at=body.removed_at,
            notes=json.dumps({str(k): v for k, v in sorted(by_value.items())}),
            note_count=sum(by_value.values()),
            total_cents=sum(k * v for k, v in by_value.items()), in_doubt=body.in_doubt,
            received_at=ports.clock.now())
        session.add(count)
        session.flush()
        return 201, CashCountOut(count_id=count.id, cassette=count.cassette,
                                 note_count=count.note_count, total_cents=count.total_cents,
                                 received_at=count.received_at).model_dump(mode="json")

    return ports.idempotency.run(
        f"kiosk:{command.kiosk_id}", command.idempotency_key,
        fingerprint("POST cash-box-counts", body.model_dump(mode="json")), work, keep=True)


def cash_report(session: Session, facility_id: str, day: date) -> CashReport:
    """Per kiosk of the facility: each cassette counted on ``day`` (the facility's own
    date), and each cassette still in a kiosk that took notes that day, with what the kiosk
    stacked against what was credited. A cassette is flagged when they differ or a note is
    in doubt; one still in its kiosk is not counted yet, so never flagged."""
    facility = session.get(Facility, facility_id)
    if facility is None:
        raise ProblemError(404, "facility_unknown", "No such facility", field="facility")
    zone = ZoneInfo(facility.timezone)
    start = datetime.combine(day, time(0), zone)
    end = datetime.combine(day + timedelta(days=1), time(0), zone)
    kiosks = {k.id: k.name for k in session.execute(
        select(Kiosk).where(Kiosk.facility_id == facility_id)).scalars()}
    counts = list(session.execute(select(CashBoxCount).where(
        CashBoxCount.facility_id == facility_id, CashBoxCount.removed_at >= start,
        CashBoxCount.removed_at < end)).scalars())
    wanted = {(c.kiosk_id, c.cassette) for c in counts}
    counted = {(kiosk, cassette) for kiosk, cassette in session.execute(
        select(CashBoxCount.kiosk_id, CashBoxCount.cassette).where(
            CashBoxCount.facility_id == facility_id)).all()}
    open_today = {(kiosk, cassette) for kiosk, cassette in session.execute(
        select(CashDeposit.kiosk_id, CashDeposit.cassette).where(
            CashDeposit.facility_id == facility_id, CashDeposit.stacked_at >= start,
            CashDeposit.stacked_at < end)).all()} - counted
    credited: dict[tuple[str, int], Counter[int]] = {}
    for kiosk, cassette, notes in session.execute(
            select(CashDeposit.kiosk_id, CashDeposit.cassette, CashDeposit.notes).where(
                CashDeposit.facility_id == facility_id)).all():
        if (kiosk, cassette) in wanted | open_today:
            credited.setdefault((kiosk, cassette), Counter()).update(json.loads(notes))
    lines: list[CassetteLine] = []
    for count in counts:
        stacked = Counter({int(k): v for k, v in json.loads(count.notes).items()})
        lines.append(_line(kiosks, count.kiosk_id, count.cassette, count, stacked,
                           credited.get((count.kiosk_id, count.cassette), Counter())))
    for kiosk, cassette in sorted(open_today):
        lines.append(_line(kiosks, kiosk, cassette, None, None,
                           credited.get((kiosk, cassette), Counter())))
    lines.sort(key=lambda line: (line.kiosk_name, line.kiosk_id, line.cassette))
    return CashReport(facility_id=facility_id, date=day, cassettes=lines,
                      balanced=not any(line.flagged for line in lines))


def _line(kiosks: dict[str, str], kiosk_id: str, cassette: int, count: CashBoxCount | None,
          stacked: Counter[int] | None, credited: Counter[int]) -> CassetteLine:
    credited_cents = sum(k * v for k, v in credited.items())
    stacked_cents = sum(k * v for k, v in stacked.items()) if stacked is not None else 0
    in_doubt = count.in_doubt if count is not None else 0
    difference = stacked_cents - credited_cents if stacked is not None else 0
    return CassetteLine(
        kiosk_id=kiosk_id, kiosk_name=kiosks.get(kiosk_id, ""), cassette=cassette,
        counted=count is not None, removed_at=count.removed_at if count else None,
        stacked_notes=sum(stacked.values()) if stacked is not None else 0,
        stacked_cents=stacked_cents,
        stacked_by_denomination={str(k): v for k, v in sorted((stacked or {}).items())},
        credited_notes=sum(credited.values()), credited_cents=credited_cents,
        credited_by_denomination={str(k): v for k, v in sorted(credited.items())},
        in_doubt=in_doubt, difference_cents=difference,
        flagged=count is not None and (stacked != credited or in_doubt > 0))
