"""Tables of money: cards on file, every card charge as a record of its own, and the
AdvanceConnect double-entry ledger (integer cents)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
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


class ChargePurpose(enum.StrEnum):
    """What a card charge pays for; each purpose has one effect (see central.money.effects)."""

    DEPOSIT = "deposit"
    SUBSCRIPTION = "subscription"  # the first period of a new subscription
    RENEWAL = "renewal"  # the next period, by the renewal run or by renew-now
    SINGLE_CALL = "single_call"  # one call paid by card, perhaps with no account (rule 10)
    # Notes a kiosk's acceptor stacked: no gateway, born settled (central/money/cash.py).
    CASH_DEPOSIT = "cash_deposit"


class ChargeState(enum.StrEnum):
    """A charge's life: PENDING from before the gateway is asked until the business effect
    (or the decision not to have one) commits. The others are final, except ABANDONED, which
    a new attempt under the same gateway key may reopen."""

    PENDING = "pending"
    SETTLED = "settled"  # approved, and its effect (journal, period) committed with it
    DECLINED = "declined"
    REFUND_DUE = "refund_due"  # approved, but its effect can no longer happen
    REFUNDED = "refunded"
    ABANDONED = "abandoned"  # the gateway never saw the key: nothing was charged
    # The gateway answered, but the effect failed on every one of the tries allowed
    # (``LOBBY_CENTRAL_CHARGE_TRIES``): nothing retries it any more; a person refunds it or
    # retries it (central.money.attention). Approved unless ``decline_code`` is set.
    NEEDS_ATTENTION = "needs_attention"


class Charge(Base):
    """One card charge, written before the gateway is asked, so no approved charge can
    exist without a row here: the reconciler settles whatever a crash left pending."""

    __tablename__ = "charges"
    __table_args__ = (Index("ix_charges_state_created_at", "state", "created_at"),)

    id: Mapped[str_id]
    purpose: Mapped[ChargePurpose] = mapped_column(enum_type(ChargePurpose))
    account_id: Mapped[str | None] = mapped_column(
        ForeignKey("accounts.id"), nullable=True, index=True
    )
    # The subscription a SUBSCRIPTION or RENEWAL charge is for, the call of a SINGLE_CALL.
    subject_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    amount_cents: Mapped[cents]
    gateway_key: Mapped[str] = mapped_column(String(300), unique=True)
    gateway_token: Mapped[str] = mapped_column(String(64))
    payment_method_id: Mapped[str | None] = mapped_column(
        ForeignKey("payment_methods.id"), nullable=True
    )
    state: Mapped[ChargeState] = mapped_column(enum_type(ChargeState))
    # The processor that took the charge (PaymentGateway.name: "sandbox", "stripe"). Only
    # that one is asked about it again: another has never heard of its key.
    gateway: Mapped[str] = mapped_column(String(16))
    # The processor's id for the charge (Stripe's PaymentIntent id), stored with its first
    # answer, approved or declined.
    gateway_charge_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    decline_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # What the effect needs, as JSON (a deposit's fee, a purchase's quote, a period's dates).
    details: Mapped[str] = mapped_column(Text)
    created_at: Mapped[utc_time]
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # How often the effect of the gateway's answer failed (its transaction rolled back), and
    # the last failure: after LOBBY_CENTRAL_CHARGE_TRIES the charge NEEDS_ATTENTION.
    effect_failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_failure: Mapped[str | None] = mapped_column(String(500), nullable=True)
    # When it came to need a person, and the facility whose supervisors see it (None: known
    # only to the operator's ``lobby-central charges --attention``).
    attention_since: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    facility_id: Mapped[str | None] = mapped_column(String(64), nullable=True)


class ChargeActionKind(enum.StrEnum):
    """What a person did to a charge that needed attention."""

    RETRY = "retry"  # the effect run again with the gateway's recorded answer
    REFUND = "refund"  # the card given its money back


class ChargeAction(Base):
    """The audit of what staff or an operator did to a charge that needed attention: who,
    from where, under which Idempotency-Key, and what became of the charge."""

    __tablename__ = "charge_actions"
    __table_args__ = (
        UniqueConstraint("charge_id", "action", "idempotency_key",
                         name="uq_charge_actions_charge_action_key"),
    )

    id: Mapped[str_id]
    charge_id: Mapped[str] = mapped_column(ForeignKey("charges.id"), index=True)
    action: Mapped[ChargeActionKind] = mapped_column(enum_type(ChargeActionKind))
    idempotency_key: Mapped[str] = mapped_column(String(200))
    # A staff member's id (with the kiosk they used), or "operator:<name>" from the CLI.
    actor: Mapped[str] = mapped_column(String(100))
    kiosk_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    outcome: Mapped[str] = mapped_column(String(32))  # the charge's state after it
    detail: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[utc_time]


class LedgerBook(enum.StrEnum):
    """The books of the ledger. Signs: every journal's entries sum to zero; a family's balance
    is the sum of its ``family_balance`` entries (positive = money the family holds)."""

    FAMILY_BALANCE = "family_balance"
    CARD_CLEARING = "card_clearing"  # money the card processor owes us for approved charges
    FEE_REVENUE = "fee_revenue"
    CALL_REVENUE = "call_revenue"
    REFUNDS_PAYABLE = "refunds_payable"  # balances families asked to get back
    # Money set aside for a prepaid call in progress (per family, like family_balance): it
    # is not the family's to spend or refund until the call is rated or the hold expires.
    CALL_HOLDS = "call_holds"
    # Notes in the kiosks' cash boxes that staff have not collected yet (cash deposits).
    CASH_BOX = "cash_box"


class JournalKind(enum.StrEnum):
    DEPOSIT = "deposit"
    CALL_CHARGE = "call_charge"
    REFUND_REQUEST = "refund_request"
    CALL_HOLD = "call_hold"
    HOLD_RELEASE = "hold_release"


class LedgerJournal(Base):
    """One money event; its entries balance. ``reference`` makes posting idempotent."""

    __tablename__ = "ledger_journals"

    id: Mapped[str_id]
    kind: Mapped[JournalKind] = mapped_column(enum_type(JournalKind))
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    reference: Mapped[str] = mapped_column(String(200), unique=True)
    # The card charge that paid for this event (deposits): such a charge is never refunded.
    charge_id: Mapped[str | None] = mapped_column(
        ForeignKey("charges.id"), nullable=True, index=True
    )
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
