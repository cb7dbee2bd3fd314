"""Card-present payments on a reader the server drives (the Stripe Terminal model).

The kiosk never reads a card: the server asks the processor to hand a payment to the reader
registered to the kiosk, and the processor tells us what became of it. A processor that
drives readers implements :class:`ReaderGateway` beside its :class:`PaymentGateway`:
the sandbox's simulated reader (:mod:`central.money.gateway.sandbox_reader`) and Stripe
Terminal (:mod:`central.money.gateway.stripe_reader`).

A reader payment is one charge of ours, under our charge key: the processor's charge for an
approved card is found by :meth:`PaymentGateway.find_charge` under the same key, so the
reconciler finishes a reader payment a crash left pending as it finishes any other.
"""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from dataclasses import dataclass

from central.money.gateway import CardToken, ChargeResult, GatewayError


class ReaderState(enum.StrEnum):
    """What the reader is doing with a payment; the kiosk shows each one."""

    WAITING = "waiting_for_card"  # "Insert, tap or swipe your card"
    READING = "reading"  # a card is in, being read and authorised
    APPROVED = "approved"
    DECLINED = "declined"  # with a decline code
    CARD_REMOVED = "card_removed"  # pulled out before the reader finished
    TIMED_OUT = "timed_out"  # no card came before the reader gave up
    CANCELED = "canceled"  # the kiosk (Cancel, the idle wipe) or staff canceled it
    READER_OFFLINE = "reader_offline"  # the reader cannot be reached: nothing was charged

    @property
    def final(self) -> bool:
        return self not in (ReaderState.WAITING, ReaderState.READING)


@dataclass(frozen=True)
class ReaderStatus:
    """A reader payment as the processor sees it now. ``charge`` is set once the card was
    approved or declined (the same answer ``find_charge`` gives under the key); ``card`` is
    the card that was read (brand, last four, and a token that charges it again, which we
    keep only when the family agreed to keep the card for renewals)."""

    state: ReaderState
    decline_code: str | None = None
    charge: ChargeResult | None = None
    card: CardToken | None = None


class ReaderUnknown(GatewayError):
    """The processor has no reader by that id (registering it, or using it)."""


class ReaderGateway(ABC):
    """A processor that drives card readers. Every method is bounded in time: a reader that
    cannot be reached is :attr:`ReaderState.READER_OFFLINE` or ``GatewayUnavailable``."""

    @property
    @abstractmethod
    def name(self) -> str:
        """The processor (the same as its PaymentGateway's name)."""

    @abstractmethod
    def check_reader(self, reader_ref: str) -> str:
        """The reader's label, if the processor knows the reader; else ReaderUnknown."""

    @abstractmethod
    def start(self, reader_ref: str, amount_cents: int, idempotency_key: str,
              save_card: bool) -> tuple[str, ReaderState]:
        """Make the payment for ``amount_cents`` under our charge key and hand it to the
        reader. Answers the processor's id of the payment (a PaymentIntent id) and the
        reader's state (``WAITING``, or ``READER_OFFLINE`` when it could not be handed
        over). The same key again is a replay: the same payment, never a second one."""

    @abstractmethod
    def status(self, reader_ref: str, payment_ref: str, idempotency_key: str) -> ReaderStatus:
        """What became of the payment so far."""

    @abstractmethod
    def cancel(self, reader_ref: str, payment_ref: str) -> None:
        """Stop the reader's action, if it has not finished; a finished one stays as it is
        (the caller reads :meth:`status` after)."""
