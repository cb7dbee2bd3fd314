"""Every key of a journey's data, named once, with the type of its value.

A step's screen ``provides`` some keys (what the family typed or chose), a request's answer
is kept under its step's ``result`` key, and later steps and screens read them back. A
``Key`` is the key's name (a ``str``: the data stays a plain mapping, and a screen that
still names a key by its string finds the same entry) and the type its value must have:
``DEPOSIT_QUOTE.of(data)`` is the ``DepositQuote`` kept there, or None.

The keys several journeys share are declared here; a key only one journey and its screen
use may be declared in that journey's module, next to the step that fills it. Either way a
name is declared once (a second ``Key`` of the same name is refused), and
``tests/kiosk/test_flow_keys.py`` checks that every key a journey or a screen names is a
declared one (``declared()``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, TypeVar

from kiosk.domain import (
    AccountView,
    Address,
    Advice,
    CardView,
    CashBoxCount,
    CashProgress,
    CashReceipt,
    CashTerms,
    DepositQuote,
    DepositReceipt,
    FacilitySummary,
    Language,
    NoteInDoubt,
    PlanView,
    RateView,
    RefundView,
    RegistrationResult,
    ResidentMatch,
    SubscriptionQuote,
    SubscriptionView,
    TransactionsView,
)
from kiosk.staff import OutboxRow, SignUpConflict, StaffMember

T = TypeVar("T")


_DECLARED: dict[str, Key[Any]] = {}


def declared() -> frozenset[Key[Any]]:
    """Every key declared so far, here and in the journeys' modules."""
    return frozenset(_DECLARED.values())


def declared_key(name: str) -> Key[Any]:
    return _DECLARED[name]


class Key(str, Generic[T]):
    """A flow-data key: its name, and the class its value has (``kind``)."""

    kind: type[Any]

    def __new__(cls, name: str, kind: type[Any]) -> Key[T]:
        if name in _DECLARED:
            raise TypeError(f"the flow-data key {name!r} is declared twice")
        key = super().__new__(cls, name)
        key.kind = kind
        _DECLARED[name] = key
        return key

    def of(self, data: Mapping[str, Any]) -> T | None:
        """The value under this key in ``data``, when it is of the key's type."""
        value = data.get(self)
        if isinstance(value, self.kind) and not (self.kind is int and isinstance(value, bool)):
            return value  # type: ignore[no-any-return]
        return None

    def __reduce__(self) -> tuple[Any, ...]:
        return (declared_key, (str(self),))


# -- choosing what to do --------------------------------------------------------------------
CHOICE: Key[str] = Key("choice", str)  # the home's choice: a journey's name
LANGUAGE: Key[Language] = Key("language", Language)
# -- the sign-up, and finding a loved one -----------------------------------------------------
FACILITY: Key[FacilitySummary] = Key("facility", FacilitySummary)
RESIDENT: Key[ResidentMatch] = Key("resident", ResidentMatch)
FIRST_NAME: Key[str] = Key("first_name", str)
LAST_NAME: Key[str] = Key("last_name", str)
PHONE: Key[str] = Key("phone", str)  # E.164
EMAIL: Key[str] = Key("email", str)
ADDRESS: Key[Address] = Key("address", Address)
PIN: Key[str] = Key("pin", str)
PIN_CONFIRM: Key[str] = Key("pin_confirm", str)
REGISTRATION: Key[RegistrationResult] = Key("registration", RegistrationResult)
LINK_PIN: Key[str] = Key("link_pin", str)  # a loved one added offline, confirmed by PIN
# -- the signed-in family ---------------------------------------------------------------------
ACCOUNT: Key[AccountView] = Key("account", AccountView)
AMOUNT_CENTS: Key[int] = Key("amount_cents", int)
DEPOSIT_QUOTE: Key[DepositQuote] = Key("deposit_quote", DepositQuote)
DEPOSIT_RECEIPT: Key[DepositReceipt] = Key("deposit_receipt", DepositReceipt)
CARD_NUMBER: Key[str] = Key("card_number", str)
CARD_EXPIRY: Key[tuple[int, int]] = Key("card_expiry", tuple)  # (month, year)
CARD_CVC: Key[str] = Key("card_cvc", str)
CARD_ZIP: Key[str] = Key("card_zip", str)
NEW_CARD: Key[CardView] = Key("new_card", CardView)  # put on file in this session
TRANSACTIONS: Key[TransactionsView] = Key("transactions", TransactionsView)
REFUND: Key[RefundView] = Key("refund", RefundView)
PLANS: Key[list[PlanView]] = Key("plans", list)
PLAN: Key[PlanView] = Key("plan", PlanView)
RENEWAL_MODE: Key[str] = Key("renewal_mode", str)  # "auto" or "manual"
SUBSCRIPTION_QUOTE: Key[SubscriptionQuote] = Key("subscription_quote", SubscriptionQuote)
TERMS_ACCEPTED: Key[str] = Key("terms_accepted", str)  # the terms version accepted
PURCHASE: Key[SubscriptionView] = Key("purchase", SubscriptionView)
# The family chose to pay on the card reader (its own screen takes the payment).
PAY_ON_READER: Key[bool] = Key("pay_on_reader", bool)
# The card the reader read for the payment just made (its receipt names it).
PAID_WITH: Key[CardView] = Key("paid_with", CardView)
MANAGE_ACTION: Key[tuple[str, str]] = Key("manage_action", tuple)  # (subscription, action)
MANAGED: Key[SubscriptionView] = Key("managed", SubscriptionView)
RATES: Key[list[RateView]] = Key("rates", list)
ADVISOR_BASIS: Key[str] = Key("advisor_basis", str)  # "history" or "estimate"
CALLS_PER_MONTH: Key[int] = Key("calls_per_month", int)
AVERAGE_MINUTES: Key[int] = Key("average_minutes", int)
VIDEO_SESSIONS_PER_MONTH: Key[int] = Key("video_sessions_per_month", int)
ADVICE: Key[Advice] = Key("advice", Advice)
# -- cash at the note acceptor (docs/cash.md) ---------------------------------------------------
CASH_TERMS: Key[CashTerms] = Key("cash_terms", CashTerms)
CASH_PROGRESS: Key[CashProgress] = Key("cash_progress", CashProgress)
CASH_RECEIPT: Key[CashReceipt] = Key("cash_receipt", CashReceipt)
CASH_BOX: Key[CashBoxCount] = Key("cash_box", CashBoxCount)
NOTES_IN_DOUBT: Key[list[NoteInDoubt]] = Key("notes_in_doubt", list)
NOTE_IN_DOUBT: Key[NoteInDoubt] = Key("note_in_doubt", NoteInDoubt)  # the one staff chose
NOTE_CREDIT: Key[bool] = Key("note_credit", bool)  # staff found it (credit) or did not
# -- staff mode -----------------------------------------------------------------------------
STAFF: Key[StaffMember] = Key("staff", StaffMember)
BADGE: Key[str] = Key("badge", str)
STAFF_PIN: Key[str] = Key("staff_pin", str)
STAFF_CHOICE: Key[str] = Key("staff_choice", str)
CONFLICTS: Key[list[SignUpConflict]] = Key("conflicts", list)
CONFLICT: Key[SignUpConflict] = Key("conflict", SignUpConflict)
STAFF_REASON: Key[str] = Key("staff_reason", str)
RESOLVED: Key[None] = Key("resolved", type(None))
OUTBOX: Key[list[OutboxRow]] = Key("outbox", list)
OUTBOX_ROW: Key[OutboxRow] = Key("outbox_row", OutboxRow)
PHOTO_ID_CHECKED: Key[bool] = Key("photo_id_checked", bool)
PHOTO_ID: Key[None] = Key("photo_id", type(None))

# The keys declared in this module (the journeys' own come in with their modules).
KEYS: frozenset[Key[Any]] = declared()
