"""The payment gateway interface: what a real card processor's adapter must implement.

The server never sees a raw card number except on the way into :meth:`tokenize` (which,
in production, the processor's own endpoint does instead). Everything else works on tokens.
"""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from dataclasses import dataclass, field


class CardBrand(enum.StrEnum):
    VISA = "visa"
    MASTERCARD = "mastercard"
    AMEX = "amex"
    DISCOVER = "discover"


class DeclineCode(enum.StrEnum):
    """Why a charge was refused; also the problem ``code`` the API answers with (402)."""

    CARD_DECLINED = "card_declined"
    INSUFFICIENT_FUNDS = "insufficient_funds"
    CARD_EXPIRED = "card_expired"


@dataclass(frozen=True)
class CardDetails:
    """What a family types. ``repr`` hides the number and CVC so they never reach a log."""

    number: str = field(repr=False)
    exp_month: int
    exp_year: int
    cvc: str = field(repr=False)


@dataclass(frozen=True)
class CardToken:
    """A tokenized card: the token plus what may be shown (brand, last four, expiry)."""

    token: str
    brand: CardBrand
    last4: str
    exp_month: int
    exp_year: int


@dataclass(frozen=True)
class ChargeResult:
    charge_id: str
    token: str
    amount_cents: int
    approved: bool
    decline_code: DeclineCode | None = None


@dataclass(frozen=True)
class RefundResult:
    refund_id: str
    charge_id: str
    amount_cents: int


class GatewayError(Exception):
    """Base of everything the gateway refuses."""


class CardRejected(GatewayError):
    """Card details that cannot be tokenized; ``field`` names the culprit."""

    def __init__(self, code: str, field: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.field = field
        self.message = message


class UnknownToken(GatewayError):
    pass


class KeyConflict(GatewayError):
    """The idempotency key was already used for a different charge or refund."""


class RefundRefused(GatewayError):
    """More than what is left of the charge, or a charge that was not approved."""


class PaymentGateway(ABC):
    """A card processor. Every method that moves money is idempotent by its key."""

    @abstractmethod
    def tokenize(self, card: CardDetails) -> CardToken:
        """Check the card (Luhn, expiry, CVC) and return a reusable token. Raises CardRejected."""

    @abstractmethod
    def describe(self, token: str) -> CardToken:
        """Brand, last four and expiry of a token. Raises UnknownToken."""

    @abstractmethod
    def charge(self, token: str, amount_cents: int, idempotency_key: str) -> ChargeResult:
        """Charge a card. The same key always returns the first result (approved or declined)
        and never charges twice; the same key for another token or amount is KeyConflict."""

    @abstractmethod
    def find_charge(self, idempotency_key: str) -> ChargeResult | None:
        """The charge made under this key, approved or declined; None if the key was never
        charged. The reconciler asks this about charges a crash left pending."""

    @abstractmethod
    def refund(self, charge_id: str, amount_cents: int, idempotency_key: str) -> RefundResult:
        """Refund part or all of an approved charge, once per key."""
