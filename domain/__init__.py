"""The values the kiosk and its services share: what the central API answers, as typed,
frozen values. ``services.central_client`` decodes the server's JSON into them
(``services/answers.py``, the one place); capabilities, flows and screens read them.

Plain dataclasses: no I/O, no Qt, and no import from ``kiosk``, ``services`` or ``ui``, so
every side of the kiosk can share them (import-linter keeps it so).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


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
    # The end of the next period when it is paid already (renew-now); "" when it is not.
    renewed_through: str = ""


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


@dataclass(frozen=True, slots=True)
class SignUpConflict:
    """A queued sign-up the server refused as a conflict, for staff to resolve."""

    id: str
    first_name: str
    phone: str
    email: str
    signed_up_at: datetime


@dataclass(frozen=True)
class ReaderPayment:
    """A payment on the kiosk's card reader, as the server sees it now. ``state`` is one of
    ``waiting_for_card``, ``reading`` (not final) and ``approved``, ``declined``,
    ``card_removed``, ``timed_out``, ``canceled``, ``reader_offline`` (final). No card
    number: the reader reads the card, the kiosk only learns the brand and last four."""

    id: str
    state: str
    amount_cents: int
    decline_code: str
    brand: str
    last4: str
    card_saved: bool
    deposit: DepositReceipt | None
    # A plan bought on the reader: the subscription it started, once settled.
    subscription: SubscriptionView | None = None
    # Approved, but what it paid for could not happen (a subscription for the service
    # started meanwhile): the charge is refunded.
    refunded: bool = False
    purpose: str = "deposit"

    @property
    def final(self) -> bool:
        return self.state not in ("waiting_for_card", "reading")
