"""Domain values the kiosk works with: what a family types (a registration), how a request
ended (a refusal, a registration's result), and, re-exported from ``domain``, what the
server sends back (shared with ``services``, which decodes it).

Plain dataclasses with no I/O and no Qt, so every layer can share them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from domain import (
    AccountView,
    Advice,
    AdviceOption,
    CardView,
    DepositQuote,
    DepositReceipt,
    FacilitySummary,
    LovedOne,
    PlanView,
    RateView,
    ReaderPayment,
    RefundView,
    ResidentMatch,
    SubscriptionQuote,
    SubscriptionView,
    TransactionsView,
    TransactionView,
)
from kiosk.language import Language as Language


@dataclass(frozen=True, slots=True)
class Address:
    line1: str
    city: str
    state: str
    postal_code: str
    line2: str = ""


@dataclass(frozen=True, slots=True)
class Registration:
    """Everything a family enters to open an account, already validated and normalised."""

    first_name: str
    last_name: str
    phone_e164: str
    email: str
    address: Address
    pin: str = field(repr=False)
    language: Language
    facility_id: str
    resident_id: str

    def without_pin(self) -> dict[str, object]:
        """The registration as a JSON-able dict, minus the PIN (which only the vault holds)."""
        return {
            "first_name": self.first_name,
            "last_name": self.last_name,
            "phone": self.phone_e164,
            "email": self.email,
            "address": {
                "line1": self.address.line1,
                "line2": self.address.line2,
                "city": self.address.city,
                "state": self.address.state,
                "postal_code": self.address.postal_code,
            },
            "language": self.language.value,
            "facility_id": self.facility_id,
            "resident_id": self.resident_id,
        }


class RegistrationOutcome(enum.Enum):
    CREATED = "created"  # the server holds the account
    QUEUED = "queued"  # saved on this kiosk; it goes out when the network is back


@dataclass(frozen=True, slots=True)
class RegistrationResult:
    outcome: RegistrationOutcome
    account_id: str | None = None
    signed_in: bool = False  # the new family's session is open: they land on their account


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a request was not done, in terms a screen can explain: a stable ``code``, the
    field to fix, and what the server said about tries left or a lockout."""

    code: str
    field: str = ""
    attempts_remaining: int | None = None
    locked_until: str = ""  # ISO 8601 from the server; the screen formats it


# -- cash at the note acceptor (docs/cash.md): the kiosk's own values ---------------------


@dataclass(frozen=True, slots=True)
class CashUpdate:
    """What the note acceptor just did, as the screens hear it (the workflow translates
    the acceptor's events, ``kiosk/devices/bill_acceptor.py``, into these on the GUI
    thread). ``kind``: ready, offline, reading, held, stacked, returned, jammed, full,
    cashbox_removed, cashbox_replaced, jam_cleared. ``reason``: why a note came back (a
    ``ReturnReason`` value) or why the unit is offline."""

    kind: str
    cents: int | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class CashProgress:
    """A family's cash visit so far: the notes stacked (credited), the note held in escrow
    or being read, why the last note came back, and a problem that stops the visit (jammed,
    full, offline, taken_back)."""

    stacked: tuple[int, ...] = ()
    held: int | None = None
    reading: bool = False
    returned: str = ""  # the last returned note's reason, until the next note
    problem: str = ""

    @property
    def total_cents(self) -> int:
        return sum(self.stacked)


@dataclass(frozen=True, slots=True)
class CashTerms:
    """Before the first note: the notes the acceptor takes (cents, from the unit itself),
    the most one visit may add, and whether the notes come from the demo's simulator."""

    notes: tuple[int, ...]
    maximum_cents: int
    simulated: bool = False


@dataclass(frozen=True, slots=True)
class CashReceipt:
    """"Done": what the visit added. ``sent``: the deposits reached the server already
    (else they wait in the outbox and are credited when the kiosk reconnects)."""

    notes: tuple[int, ...]
    sent: bool

    @property
    def amount_cents(self) -> int:
        return sum(self.notes)

    @property
    def note_count(self) -> int:
        return len(self.notes)


@dataclass(frozen=True, slots=True)
class CashBoxCount:
    """A cassette's notes by denomination: ``notes`` is ((cents, count), ...), lowest
    first. ``removed``: staff took it out and its count is on its way to the server."""

    cassette: int
    notes: tuple[tuple[int, int], ...]
    in_doubt: int
    removed: bool
    acceptor: str = ""  # the acceptor's alert for staff ("" when it is well)

    @property
    def total_cents(self) -> int:
        return sum(cents * count for cents, count in self.notes)

    @property
    def note_count(self) -> int:
        return sum(count for _cents, count in self.notes)


@dataclass(frozen=True, slots=True)
class NoteInDoubt:
    """A note the kiosk recorded in escrow whose stacking it could not confirm (docs/cash.md,
    "A note in doubt"): when, its value, whose visit, which cassette; staff credit it or
    mark it not found after counting the cash box."""

    key: str  # the note's own deposit key
    at: datetime  # when it was held in escrow
    cents: int
    account_id: str
    visit: str
    cassette: int


__all__ = [
    "AccountView",
    "Address",
    "Advice",
    "AdviceOption",
    "CardView",
    "CashBoxCount",
    "CashProgress",
    "CashReceipt",
    "CashTerms",
    "CashUpdate",
    "DepositQuote",
    "DepositReceipt",
    "FacilitySummary",
    "Language",
    "LovedOne",
    "NoteInDoubt",
    "PlanView",
    "RateView",
    "ReaderPayment",
    "RefundView",
    "Refusal",
    "Registration",
    "RegistrationOutcome",
    "RegistrationResult",
    "ResidentMatch",
    "SubscriptionQuote",
    "SubscriptionView",
    "TransactionView",
    "TransactionsView",
]
