"""Domain values the kiosk works with: what a family types and what the server sends back.

Plain dataclasses with no I/O and no Qt, so every layer can share them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Language(enum.StrEnum):
    ENGLISH = "en"
    SPANISH = "es"


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


@dataclass(frozen=True, slots=True)
class FacilitySummary:
    id: str
    name: str
    state: str
    timezone: str
    offers_subscriptions: bool
    offers_single_call: bool


@dataclass(frozen=True, slots=True)
class ResidentMatch:
    """Minimal resident fields, as the server returns them to a kiosk search."""

    id: str
    display_name: str
    resident_number: str


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


@dataclass(frozen=True, slots=True)
class LovedOne:
    facility_id: str
    resident_id: str
    display_name: str


@dataclass(frozen=True, slots=True)
class CardView:
    """All the kiosk ever shows of a card: its brand and last four digits."""

    brand: str
    last4: str
    id: str = ""  # the server's payment method id, to name the card for auto renewal


@dataclass(frozen=True, slots=True)
class SubscriptionView:
    """One subscription as the server reports it; the kiosk derives no billing rule."""

    id: str
    plan_name: str
    service: str  # "calls" or "video"
    allotment: int | None  # None: unlimited
    used: int
    remaining: int | None
    period_end: str  # ISO 8601, in UTC; shown in the kiosk's locale
    renewal_mode: str  # "auto" or "manual"
    cancel_at_period_end: bool
    pending_renewal_mode: str = ""
    price_cents: int = 0  # set when a renewal change waits for the period end


@dataclass(frozen=True, slots=True)
class AccountView:
    """The signed-in family's account, as the signed-in home shows it."""

    account_id: str
    first_name: str
    last_name: str
    balance_cents: int
    loved_ones: tuple[LovedOne, ...]
    subscriptions: tuple[SubscriptionView, ...]
    card: CardView | None = None
    # Loved ones asked for while the server could not be reached, waiting in the outbox
    # (docs/offline.md, "A loved one added offline"): their names as the family saw them.
    waiting_loved_ones: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DepositQuote:
    """What a deposit costs, as the server quoted it: amount + fee = total."""

    amount_cents: int
    fee_cents: int
    total_cents: int
    minimum_cents: int
    maximum_cents: int


@dataclass(frozen=True, slots=True)
class DepositReceipt:
    reference: str
    amount_cents: int
    fee_cents: int
    total_cents: int
    balance_cents: int
    card: CardView


@dataclass(frozen=True, slots=True)
class PlanView:
    """A plan the family's facility sells, as the server lists it."""

    id: str
    kind: str  # "call", "video_bundle" or "video_unlimited"
    name: str
    price_cents: int
    allotment: int | None  # calls or sessions per period; None = unlimited


@dataclass(frozen=True, slots=True)
class SubscriptionQuote:
    """The server's quote for one plan: what the family accepts before paying."""

    plan_id: str
    plan_name: str
    plan_kind: str
    price_cents: int
    allotment: int | None
    in_state_only: bool
    coverage: str
    renewal_mode: str
    period_start: str
    period_end: str
    terms_version: str
    terms_text: str


@dataclass(frozen=True, slots=True)
class RateView:
    """A facility's price per started minute for one kind of call and destination."""

    kind: str  # "audio" or "video"
    destination: str  # "in_state", "interstate" or "international"
    cents_per_minute: int


@dataclass(frozen=True, slots=True)
class AdviceOption:
    label: str
    monthly_cost_cents: int
    monthly_savings_cents: int
    is_recommended: bool


@dataclass(frozen=True, slots=True)
class Advice:
    """The plan advisor's answer: each option's monthly cost, the cheapest recommended."""

    basis: str  # "history" or "estimate"
    options: tuple[AdviceOption, ...]

    @property
    def recommended(self) -> AdviceOption | None:
        return next((o for o in self.options if o.is_recommended), None)


@dataclass(frozen=True, slots=True)
class TransactionView:
    """One AdvanceConnect transaction as the server lists it."""

    id: str
    kind: str  # the server's journal kind: "deposit", "call_charge", "refund_request", ...
    amount_cents: int  # the effect on the balance: positive in, negative out
    description: str
    created_at: str  # ISO 8601, in UTC; shown in the facility's time zone


@dataclass(frozen=True, slots=True)
class TransactionsView:
    """The balance and the latest transactions, newest first, with the time zone of the
    family's facility (where the calls happen) to show their dates in."""

    balance_cents: int
    transactions: tuple[TransactionView, ...]
    timezone: str


@dataclass(frozen=True, slots=True)
class RefundView:
    """A balance refund request the server accepted: the amount leaves the balance now and
    is paid back by staff."""

    reference: str
    amount_cents: int
    balance_cents: int
    status: str
    created_at: str
