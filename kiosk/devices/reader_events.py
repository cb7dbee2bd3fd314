"""What the card reader port tells its listener (``kiosk/devices/card_reader.py``): plain
values naming no services, so the screens may name them too (docs/devices.md "The card
reader"). The workflow relays them onto the GUI thread (``kiosk/devices/relay.py``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from domain import ReaderPayment


@dataclass(frozen=True)
class ReaderChanged:
    """The payment's state changed (or it was just started): ``payment.state`` says what the
    reader is doing; ``payment.final`` ends the collection."""

    payment: ReaderPayment


@dataclass(frozen=True)
class ReaderRefused:
    """The server refused to start the payment (no reader registered, a changed quote...):
    ``code`` is its problem code, nothing was charged."""

    code: str
    detail: str


@dataclass(frozen=True)
class ReaderUnreachable:
    """The server does not answer; the port keeps asking (same key, never a second payment).
    Said once until the server answers again. ``payment_id`` is None before it started."""

    payment_id: str | None


@dataclass(frozen=True)
class ReaderLost:
    """The server did not answer for ``give_up_after`` seconds: the payment's end is not
    known here. The server settles it whatever happens (exactly once); the family's
    account shows it once the kiosk is online."""

    payment_id: str | None


ReaderEvent = ReaderChanged | ReaderRefused | ReaderUnreachable | ReaderLost
Listener = Callable[[ReaderEvent], None]
