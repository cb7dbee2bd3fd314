"""The payment gateway interface: what a real card processor's adapter must implement.

The server never sees a raw card number except on the way into :meth:`tokenize` (which,
in production, the processor's own endpoint does instead). Everything else works on tokens.
"""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from collections.abc import Sequence
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
    # The bank wants the cardholder to approve the payment (3-D Secure, in its app), which a
    # kiosk cannot show and a renewal cannot ask for: the family uses another card.
    AUTHENTICATION_REQUIRED = "authentication_required"


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
class ChargeRequest:
    """One charge of :meth:`PaymentGateway.charge_many`."""

    token: str
    amount_cents: int
    idempotency_key: str


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


class GatewayUnavailable(GatewayError):
    """The processor could not be asked, or could not answer yet: a network error, a timeout,
    its 5xx, or a charge it is still processing. Whether a charge or refund happened is NOT
    known; ask again under the same key (or :meth:`PaymentGateway.find_charge`) later. An API
    caller answers 503 with Retry-After."""

    retry_after_seconds = 30


class GatewayConfigError(ValueError):
    """A gateway setting is missing or wrong: the server or command refuses to start, with
    this message (never a crash at the first charge). Never holds a secret's value."""


class PaymentGateway(ABC):
    """A card processor. Every method that moves money is idempotent by its key."""

    @property
    @abstractmethod
    def name(self) -> str:
        """Which processor this is (``sandbox``, ``stripe``): recorded on every charge it
        takes, so that only this processor is ever asked about that charge again."""

    @property
    def minimum_charge_cents(self) -> int:
        """The smallest charge the processor takes (Stripe: 50 c in usd). A smaller one is
        refused by the processor as an error, not a decline: a handler that lets the
        caller choose the amount checks it first (:func:`central.money.charges.require_minimum`)."""
        return 1

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

    def charge_many(self, requests: Sequence[ChargeRequest]) -> list[ChargeResult | Exception]:
        """:meth:`charge` for a batch (a renewal run's), each answer in the request's place:
        its result, or the error that one request met (one failure never fails the others).
        The same promises as :meth:`charge` hold for each key. By default one charge at a
        time; a processor with a cheaper batch path (the sandbox: one transaction) overrides
        it. A remote processor should keep each request its own call, a few in parallel."""
        answers: list[ChargeResult | Exception] = []
        for request in requests:
            try:
                answers.append(self.charge(request.token, request.amount_cents,
                                           request.idempotency_key))
            except Exception as exc:  # noqa: BLE001 - one request's error is its answer
                answers.append(exc)
        return answers

    @abstractmethod
    def find_charge(self, idempotency_key: str, charge_id: str | None = None
                    ) -> ChargeResult | None:
        """The charge made under this key, approved or declined; None if the key was never
        charged. The reconciler asks this about charges a crash left pending, with the
        processor's id for the charge (``charge_id``) when one is stored: a processor that
        can look a charge up by id asks that first and searches by key only without one."""

    @abstractmethod
    def refund(self, charge_id: str, amount_cents: int, idempotency_key: str) -> RefundResult:
        """Refund part or all of an approved charge, once per key."""
