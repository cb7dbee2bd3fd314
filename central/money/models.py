"""Tables of money: cards on file and the AdvanceConnect double-entry ledger (integer cents)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from central.db.base import Base, UTCDateTime, cents, enum_type, str_id, utc_time


class PaymentMethod(Base):
    """A family's card on file, as a gateway token plus what may be shown (rule 13)."""

    __tablename__ = "payment_methods"

    id: Mapped[str_id]
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    gateway_token: Mapped[str] = mapped_column(String(64))
    brand: Mapped[str] = mapped_column(String(16))
    last4: Mapped[str] = mapped_column(String(4))
    exp_month: Mapped[int] = mapped_column(Integer)
    exp_year: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[utc_time]
    # Set when the card is removed or replaced; rows stay for the history of charges.
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class LedgerBook(enum.StrEnum):
    """The books of the ledger. Signs: every journal's entries sum to zero; a family's balance
    is the sum of its ``family_balance`` entries (positive = money the family holds)."""

    FAMILY_BALANCE = "family_balance"
    CARD_CLEARING = "card_clearing"  # money the card processor owes us for approved charges
    FEE_REVENUE = "fee_revenue"
    CALL_REVENUE = "call_revenue"
    REFUNDS_PAYABLE = "refunds_payable"  # balances families asked to get back


class JournalKind(enum.StrEnum):
    DEPOSIT = "deposit"
    CALL_CHARGE = "call_charge"
    REFUND_REQUEST = "refund_request"


class LedgerJournal(Base):
    """One money event; its entries balance. ``reference`` makes posting idempotent."""

    __tablename__ = "ledger_journals"

    id: Mapped[str_id]
    kind: Mapped[JournalKind] = mapped_column(enum_type(JournalKind))
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    reference: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[utc_time]

    entries: Mapped[list[LedgerEntry]] = relationship(
        back_populates="journal", order_by="LedgerEntry.id"
    )


class LedgerEntry(Base):
    __tablename__ = "ledger_entries"
    __table_args__ = (Index("ix_ledger_entries_book_account", "book", "account_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    journal_id: Mapped[str] = mapped_column(ForeignKey("ledger_journals.id"), index=True)
    book: Mapped[LedgerBook] = mapped_column(enum_type(LedgerBook))
    # Set on family_balance entries only: whose balance this is.
    account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id"), nullable=True)
    amount_cents: Mapped[cents]

    journal: Mapped[LedgerJournal] = relationship(back_populates="entries")
