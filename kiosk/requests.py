"""What the screens can ask the central API for, as typed values: the one request/answer
path between the router and the controller. Plain dataclasses, no Qt, no I/O."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from kiosk.domain import AccountView, Registration


@dataclass(frozen=True, slots=True, eq=False)
class LoadFacilities:
    """Answer: list[FacilitySummary]."""


@dataclass(frozen=True, slots=True, eq=False)
class SearchResidents:
    """Answer: list[ResidentMatch]."""

    facility_id: str
    query: str


@dataclass(frozen=True, slots=True, eq=False)
class Register:
    """Answer: RegistrationResult. ``assisted_by``: the staff member's id when staff sign
    the family up on their behalf (no family session is opened then)."""

    registration: Registration
    assisted_by: str = ""


@dataclass(frozen=True, slots=True, eq=False)
class SignIn:
    """Answer: AccountView of the family now signed in (the token stays in the controller)."""

    phone_e164: str
    pin: str = field(repr=False)


@dataclass(frozen=True, slots=True, eq=False)
class LoadAccount:
    """Answer: AccountView of the family signed in."""


def _new_key() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True, slots=True, eq=False)
class AddLovedOne:
    """Answer: AccountView with the resident linked. ``key`` makes a retry link once."""

    facility_id: str
    resident_id: str
    key: str = field(default_factory=_new_key)


@dataclass(frozen=True, slots=True, eq=False)
class QueueLovedOne:
    """Answer: ``account`` with the loved one waiting. The server could not be reached:
    the link waits in the outbox and is sent, signed in with ``pin``, when it is back."""

    facility_id: str
    resident_id: str
    resident_name: str
    account: AccountView
    pin: str = field(repr=False)


@dataclass(frozen=True, slots=True, eq=False)
class LoadTransactions:
    """Answer: TransactionsView, dated in the time zone of ``facility_id``."""

    facility_id: str


@dataclass(frozen=True, slots=True, eq=False)
class RequestRefund:
    """Answer: RefundView. The whole balance is asked back; ``key`` makes a retry ask once."""

    key: str = field(default_factory=_new_key)


@dataclass(frozen=True, slots=True, eq=False)
class QuoteDeposit:
    """Answer: DepositQuote."""

    amount_cents: int


@dataclass(frozen=True, slots=True, eq=False)
class Deposit:
    """Answer: DepositReceipt. ``key`` makes a retry of this very request charge once."""

    amount_cents: int
    total_cents: int
    key: str = field(default_factory=_new_key)


@dataclass(frozen=True, slots=True, eq=False)
class SaveCard:
    """Answer: CardView of the card now on file. The number and CVC go to the gateway's
    tokenize route only, and are never logged (``repr`` leaves them out)."""

    number: str = field(repr=False)
    exp_month: int
    exp_year: int
    cvc: str = field(repr=False)
    key: str = field(default_factory=_new_key)


@dataclass(frozen=True, slots=True, eq=False)
class LoadPlans:
    """Answer: list[PlanView] the facility sells."""

    facility_id: str


@dataclass(frozen=True, slots=True, eq=False)
class QuoteSubscription:
    """Answer: SubscriptionQuote."""

    plan_id: str
    renewal_mode: str


@dataclass(frozen=True, slots=True, eq=False)
class BuySubscription:
    """Answer: SubscriptionView. Sent only after the family accepted ``terms_version``."""

    plan_id: str
    renewal_mode: str
    payment_method_id: str
    terms_version: str
    key: str = field(default_factory=_new_key)


@dataclass(frozen=True, slots=True, eq=False)
class ManageSubscription:
    """Answer: SubscriptionView after ``action``: "cancel", "resume", "renewal_auto",
    "renewal_manual" (pending until the period ends) or "renew_now" (charged now)."""

    subscription_id: str
    action: str
    payment_method_id: str = ""
    key: str = field(default_factory=_new_key)


@dataclass(frozen=True, slots=True, eq=False)
class LoadRates:
    """Answer: list[RateView] of the facility's per-minute rates."""

    facility_id: str


@dataclass(frozen=True, slots=True, eq=False)
class AdviseFromEstimate:
    """Answer: Advice for the family's own estimate of a month (nothing is bought)."""

    calls_per_month: int
    average_minutes: int
    video_sessions_per_month: int


@dataclass(frozen=True, slots=True, eq=False)
class AdviseFromHistory:
    """Answer: Advice priced on the family's last complete periods of calls."""


@dataclass(frozen=True, slots=True, eq=False)
class PrintReceipt:
    """Answer: "" once printed, else the printer's problem code (``printer_missing``,
    ``printer_no_paper``, ``printer_offline``). The words are already in the family's
    language and amounts already formatted; a failure never touches the payment."""

    heading: str
    reference: str
    lines: tuple[tuple[str, str], ...]
    total: tuple[str, str]
    footer: tuple[str, ...] = ()


# -- staff mode (docs/staff-mode.md) ---------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class StaffSignIn:
    """Answer: StaffMember (the staff session's token stays in the controller)."""

    badge: str
    pin: str = field(repr=False)


@dataclass(frozen=True, slots=True, eq=False)
class LoadSignUpConflicts:
    """Answer: list[SignUpConflict] open at this kiosk's facility."""


@dataclass(frozen=True, slots=True, eq=False)
class ResolveSignUpConflict:
    """Answer: None; the conflict is closed with ``resolution``."""

    conflict_id: str
    resolution: str


@dataclass(frozen=True, slots=True, eq=False)
class LoadOutbox:
    """Answer: list[OutboxRow] of this kiosk, newest first."""


@dataclass(frozen=True, slots=True, eq=False)
class RetryOutbox:
    """Answer: list[OutboxRow] after sending every pending entry now."""


@dataclass(frozen=True, slots=True, eq=False)
class DiscardOutboxEntry:
    """Answer: list[OutboxRow] after discarding a failed or conflicting entry."""

    outbox_id: int
    reason: str


@dataclass(frozen=True, slots=True, eq=False)
class RecordStaffAction:
    """Answer: None; ``action`` goes into the local audit trail with the staff member's id."""

    action: str
    detail: str = ""


Request = (
    LoadFacilities
    | SearchResidents
    | Register
    | SignIn
    | LoadAccount
    | QuoteDeposit
    | Deposit
    | SaveCard
    | LoadPlans
    | QuoteSubscription
    | BuySubscription
    | ManageSubscription
    | LoadRates
    | AdviseFromEstimate
    | AdviseFromHistory
    | AddLovedOne
    | QueueLovedOne
    | LoadTransactions
    | RequestRefund
    | PrintReceipt
    | StaffSignIn
    | LoadSignUpConflicts
    | ResolveSignUpConflict
    | LoadOutbox
    | RetryOutbox
    | DiscardOutboxEntry
    | RecordStaffAction
)
