"""Request and response bodies of cards, AdvanceConnect deposits, transactions and refunds
(integer cents)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, Field, StringConstraints

from central.kernel.fields import JSON_INTEGER, STRICT, Strict, Token
from central.money.gateway import CardBrand, CardToken
from central.money.models import JournalKind

if TYPE_CHECKING:
    from central.money.advance_connect import DepositQuote

MIN_DEPOSIT_CENTS = 500
MAX_DEPOSIT_CENTS = 30_000
Cents = Annotated[int, STRICT, Field(ge=0, le=10**9), JSON_INTEGER]
DepositCents = Annotated[
    int, STRICT, Field(ge=MIN_DEPOSIT_CENTS, le=MAX_DEPOSIT_CENTS), JSON_INTEGER
]


class CardIn(Strict):
    """A card as typed at the kiosk; sent only to the gateway's tokenize endpoint."""

    number: Annotated[str, StringConstraints(min_length=1, max_length=23,
                                             pattern=r"^[0-9 \-]+$")]
    exp_month: Annotated[int, STRICT, Field(ge=1, le=12), JSON_INTEGER]
    exp_year: Annotated[int, STRICT, Field(ge=2000, le=2100), JSON_INTEGER]
    cvc: Annotated[str, StringConstraints(min_length=1, max_length=4, pattern=r"^[0-9]+$")]


class CardTokenOut(BaseModel):
    token: str
    brand: CardBrand
    last4: str
    exp_month: int
    exp_year: int

    @classmethod
    def of(cls, token: CardToken) -> CardTokenOut:
        return cls(token=token.token, brand=token.brand, last4=token.last4,
                   exp_month=token.exp_month, exp_year=token.exp_year)


class PaymentMethodIn(Strict):
    token: Token


class PaymentMethodOut(BaseModel):
    """All that is ever shown of a card (rule 13)."""

    id: str
    brand: CardBrand
    last4: str
    exp_month: int
    exp_year: int
    created_at: datetime


class DepositQuoteIn(Strict):
    amount_cents: DepositCents


class DepositQuoteOut(BaseModel):
    facility_id: str
    amount_cents: int
    fee_cents: int
    total_cents: int
    minimum_cents: int
    maximum_cents: int

    @classmethod
    def of(cls, quote: DepositQuote) -> DepositQuoteOut:
        return cls(facility_id=quote.facility_id, amount_cents=quote.amount_cents,
                   fee_cents=quote.fee_cents, total_cents=quote.total_cents,
                   minimum_cents=MIN_DEPOSIT_CENTS, maximum_cents=MAX_DEPOSIT_CENTS)


class DepositIn(Strict):
    amount_cents: DepositCents
    total_cents: Cents | None = Field(
        default=None,
        description="The total the family saw on the quote; refused with 409 if it changed",
    )


class CardSummary(BaseModel):
    brand: CardBrand
    last4: str


class DepositOut(BaseModel):
    transaction_id: str
    amount_cents: int
    fee_cents: int
    total_cents: int
    balance_cents: int
    card: CardSummary
    created_at: datetime


class TransactionOut(BaseModel):
    id: str
    kind: JournalKind
    amount_cents: int = Field(description="Effect on the balance: positive in, negative out")
    description: str
    created_at: datetime


class TransactionsOut(BaseModel):
    balance_cents: int
    transactions: list[TransactionOut]


class RefundRequestOut(BaseModel):
    transaction_id: str
    amount_cents: int
    balance_cents: int
    status: str
    created_at: datetime


class ChargeActionOut(BaseModel):
    """One thing a person did to a charge that needed attention (the audit)."""

    action: str  # retry, refund
    actor: str  # a staff member's id, or operator:<name> from the command line
    kiosk_id: str | None
    idempotency_key: str
    outcome: str  # the charge's state after it
    detail: str
    created_at: datetime


class AttentionChargeOut(BaseModel):
    """A card charge whose effect kept failing after the gateway answered, set aside for a
    person (or one a person acted on: see ``state`` and ``actions``)."""

    id: str
    purpose: str
    state: str  # needs_attention until a person acts; then settled, refunded, ...
    account_id: str | None
    facility_id: str | None
    amount_cents: int
    gateway: str
    gateway_charge_id: str | None
    approved: bool  # the gateway took the money (False: it declined; nothing to refund)
    decline_code: str | None
    effect_failures: int
    reason: str | None  # the last failure, as the error said it
    attention_since: datetime | None
    created_at: datetime
    actions: list[ChargeActionOut]
