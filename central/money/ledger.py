"""The AdvanceConnect ledger: double entry in integer cents; a family balance never goes below 0.

Every money event is one journal whose entries sum to zero. A family's balance is the sum of
its ``family_balance`` entries, computed, never stored. Postings that take money from a family
lock the account row first (``FOR UPDATE`` on PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already
serializes writers), so two calls can't both spend the last dollar.

A journal's ``reference`` is unique: posting the same event twice (a retried deposit, a call
rated twice) returns the first journal instead of moving money again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from central.identity.models import Account
from central.kernel.problems import ProblemError
from central.money.models import JournalKind, LedgerBook, LedgerEntry, LedgerJournal


class InsufficientBalance(ProblemError):
    """A charge larger than the family's AdvanceConnect balance; nothing was posted."""

    def __init__(self, balance_cents: int, wanted_cents: int) -> None:
        super().__init__(
            409,
            "insufficient_balance",
            "The AdvanceConnect balance is too low",
            f"Balance {balance_cents} cents, needed {wanted_cents} cents.",
            balance_cents=balance_cents,
        )
        self.balance_cents = balance_cents
        self.wanted_cents = wanted_cents


@dataclass(frozen=True)
class Posting:
    book: LedgerBook
    amount_cents: int
    account_id: str | None = None


def balance_cents(session: Session, account_id: str) -> int:
    """The family's AdvanceConnect balance: the sum of its entries."""
    total = session.execute(
        select(func.coalesce(func.sum(LedgerEntry.amount_cents), 0)).where(
            LedgerEntry.book == LedgerBook.FAMILY_BALANCE, LedgerEntry.account_id == account_id
        )
    ).scalar_one()
    return int(total)


def book_total(session: Session, book: LedgerBook) -> int:
    total = session.execute(
        select(func.coalesce(func.sum(LedgerEntry.amount_cents), 0)).where(
            LedgerEntry.book == book
        )
    ).scalar_one()
    return int(total)


def lock_account(session: Session, account_id: str) -> None:
    """Serialize every posting that takes money from this family (see the module)."""
    _lock_account(session, account_id)


def _lock_account(session: Session, account_id: str) -> None:
    found = session.execute(
        select(Account.id).where(Account.id == account_id).with_for_update()
    ).first()
    if found is None:
        raise ProblemError(404, "account_unknown", "No such account")


def _existing(session: Session, reference: str, kind: JournalKind, account_id: str
              ) -> LedgerJournal | None:
    journal = session.execute(
        select(LedgerJournal).where(LedgerJournal.reference == reference)
    ).scalar_one_or_none()
    if journal is not None and (journal.kind != kind or journal.account_id != account_id):
        raise ValueError(f"ledger reference {reference!r} belongs to another event")
    return journal


def _post(
    session: Session, kind: JournalKind, account_id: str, reference: str, description: str,
    now: datetime, postings: list[Posting], charge_id: str | None = None,
) -> LedgerJournal:
    if sum(p.amount_cents for p in postings) != 0:
        raise ValueError("a journal's entries must sum to zero")
    journal = LedgerJournal(kind=kind, account_id=account_id, reference=reference,
                            description=description[:200], created_at=now,
                            charge_id=charge_id)
    session.add(journal)
    session.flush()
    for posting in postings:
        if posting.amount_cents:
            session.add(LedgerEntry(journal_id=journal.id, book=posting.book,
                                    account_id=posting.account_id,
                                    amount_cents=posting.amount_cents))
    session.flush()
    return journal


def post_deposit(
    session: Session, account_id: str, amount_cents: int, fee_cents: int, *,
    reference: str, now: datetime, description: str = "AdvanceConnect deposit",
    charge_id: str | None = None, paid_into: LedgerBook = LedgerBook.CARD_CLEARING,
) -> LedgerJournal:
    """Credit a paid deposit: the family gets ``amount``, the fee is revenue, and the card
    clearing book carries the total the processor owes us (``paid_into``: the cash box
    for notes a kiosk stacked)."""
    if amount_cents <= 0 or fee_cents < 0:
        raise ValueError("a deposit is a positive amount with a non-negative fee")
    _lock_account(session, account_id)
    existing = _existing(session, reference, JournalKind.DEPOSIT, account_id)
    if existing is not None:
        return existing
    return _post(session, JournalKind.DEPOSIT, account_id, reference, description, now, [
        Posting(LedgerBook.FAMILY_BALANCE, amount_cents, account_id),
        Posting(LedgerBook.FEE_REVENUE, fee_cents),
        Posting(paid_into, -(amount_cents + fee_cents)),
    ], charge_id)


def held_cents(session: Session, account_id: str) -> int:
    """Money of the family's set aside for prepaid calls in progress."""
    total = session.execute(
        select(func.coalesce(func.sum(LedgerEntry.amount_cents), 0)).where(
            LedgerEntry.book == LedgerBook.CALL_HOLDS, LedgerEntry.account_id == account_id
        )
    ).scalar_one()
    return int(total)


def hold_for_call(
    session: Session, account_id: str, cents: int, *, reference: str, now: datetime,
) -> LedgerJournal:
    """Set ``cents`` of the balance aside for a call (reserve, then commit: RFC 4006's
    credit control). Refuses (InsufficientBalance) rather than go below zero."""
    return _take_from_balance(session, JournalKind.CALL_HOLD, account_id, cents,
                              Posting(LedgerBook.CALL_HOLDS, cents, account_id),
                              reference=reference, now=now, description="Call in progress")


def settle_hold(
    session: Session, account_id: str, hold_cents: int, cost_cents: int, *,
    reference: str, now: datetime, description: str,
) -> LedgerJournal:
    """Close a call's hold: the cost is revenue, the rest goes back to the balance."""
    if not 0 <= cost_cents <= hold_cents:
        raise ValueError("a call costs between nothing and its hold")
    _lock_account(session, account_id)
    kind = JournalKind.CALL_CHARGE if cost_cents else JournalKind.HOLD_RELEASE
    existing = _existing(session, reference, kind, account_id)
    if existing is not None:
        return existing
    return _post(session, kind, account_id, reference, description, now, [
        Posting(LedgerBook.CALL_HOLDS, -hold_cents, account_id),
        Posting(LedgerBook.FAMILY_BALANCE, hold_cents - cost_cents, account_id),
        Posting(LedgerBook.CALL_REVENUE, cost_cents),
    ])


def charge_call(
    session: Session, account_id: str, cents: int, *,
    reference: str, now: datetime, description: str = "Call",
) -> LedgerJournal:
    """Take a call's price from the family's balance; refuses (InsufficientBalance, nothing
    posted) rather than go below zero. Posting the same ``reference`` again is a no-op that
    returns the first journal, so re-rating a call never charges twice."""
    return _take_from_balance(session, JournalKind.CALL_CHARGE, account_id, cents,
                              Posting(LedgerBook.CALL_REVENUE, cents),
                              reference=reference, now=now, description=description)


def _take_from_balance(
    session: Session, kind: JournalKind, account_id: str, cents: int, to: Posting, *,
    reference: str, now: datetime, description: str,
) -> LedgerJournal:
    """Move ``cents`` out of the family's balance to ``to``, once per reference, never
    below zero (the account row is locked first)."""
    if cents <= 0:
        raise ValueError(f"a {kind.value} is a positive amount")
    _lock_account(session, account_id)
    existing = _existing(session, reference, kind, account_id)
    if existing is not None:
        return existing
    balance = balance_cents(session, account_id)
    if cents > balance:
        raise InsufficientBalance(balance, cents)
    return _post(session, kind, account_id, reference, description, now, [
        Posting(LedgerBook.FAMILY_BALANCE, -cents, account_id), to,
    ])


def request_refund(
    session: Session, account_id: str, *, reference: str, now: datetime,
) -> LedgerJournal:
    """Rule 14: the whole prepaid balance, on request, moves to refunds payable. Money held
    for a call in progress is not in the balance, so it is never refunded."""
    _lock_account(session, account_id)
    existing = _existing(session, reference, JournalKind.REFUND_REQUEST, account_id)
    if existing is not None:
        return existing
    balance = balance_cents(session, account_id)
    if balance <= 0:
        raise ProblemError(409, "nothing_to_refund", "The AdvanceConnect balance is zero",
                           balance_cents=balance)
    return _post(session, JournalKind.REFUND_REQUEST, account_id, reference,
                 "Balance refund requested", now, [
                     Posting(LedgerBook.FAMILY_BALANCE, -balance, account_id),
                     Posting(LedgerBook.REFUNDS_PAYABLE, balance),
                 ])


def family_amount(journal: LedgerJournal) -> int:
    """What a journal did to the family's money, held or not (signed cents): a hold and its
    release are 0, a rated call is minus its cost."""
    return sum(e.amount_cents for e in journal.entries
               if e.book in (LedgerBook.FAMILY_BALANCE, LedgerBook.CALL_HOLDS))


_last_entry_id = (
    select(func.max(LedgerEntry.id))
    .where(LedgerEntry.journal_id == LedgerJournal.id)
    .correlate(LedgerJournal)
    .scalar_subquery()
)


def journals_for(session: Session, account_id: str, limit: int = 50) -> list[LedgerJournal]:
    """The account's journals, newest first, entries loaded; holds (which move nothing of the
    family's until the call is rated) are left out."""
    return list(session.execute(
        select(LedgerJournal)
        .where(LedgerJournal.account_id == account_id,
               LedgerJournal.kind.not_in([JournalKind.CALL_HOLD, JournalKind.HOLD_RELEASE]))
        .options(selectinload(LedgerJournal.entries))
        # Entry ids grow with each posting: they order journals made in the same instant.
        .order_by(LedgerJournal.created_at.desc(), _last_entry_id.desc())
        .limit(limit)
    ).scalars())
