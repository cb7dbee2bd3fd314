"""What the screens can ask for, as typed values: the one request/answer path between the
router and the controller. Plain dataclasses, no Qt, no I/O.

Each request says, in its ``@route``, the type of its answer, the capability method that
answers it and the answer the screen tour shows (``kiosk/routes.py``): a request is added
here and nowhere else in the plumbing (docs/architecture.md, "Adding a kiosk request").
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from kiosk import tour_samples as s
from kiosk.domain import (
    AccountView,
    Advice,
    CardView,
    CashBoxCount,
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
    Registration,
    RegistrationOutcome,
    RegistrationResult,
    ResidentMatch,
    SubscriptionQuote,
    SubscriptionView,
    TransactionsView,
)
from kiosk.routes import always, route
from kiosk.staff import OutboxRow, SignUpConflict, StaffMember


class Request:
    """What every request is: a frozen dataclass with its ``@route``."""

    __slots__ = ()


def _registered(_request: Register, online: bool) -> RegistrationResult:
    outcome = RegistrationOutcome.CREATED if online else RegistrationOutcome.QUEUED
    return RegistrationResult(outcome, "acct-1")


def _queued_link(_request: QueueLovedOne, _online: bool) -> AccountView:
    return replace(s.SAMPLE_ACCOUNT, waiting_loved_ones=(s.SAMPLE_RESIDENTS[0].display_name,))


def _said(request: Request) -> dict[str, Any]:
    """The server's sample answers in the language the kiosk asked in (Accept-Language):
    plan names, what a plan covers, the terms and the advice; English when it asked in none."""
    asked = getattr(request, "language", "") or Language.ENGLISH.value
    return s.samples(Language(asked))


def _renews_now(request: ManageSubscription) -> bool:
    return request.action == "renew_now"



@route(list[FacilitySummary], lambda c: c.catalog.facilities,
       lambda _r, _o: list(s.SAMPLE_FACILITIES))
@dataclass(frozen=True, slots=True, eq=False)
class LoadFacilities(Request):
    """Answer: list[FacilitySummary]."""


@route(list[ResidentMatch], lambda c: c.catalog.residents, lambda _r, _o: list(s.SAMPLE_RESIDENTS))
@dataclass(frozen=True, slots=True, eq=False)
class SearchResidents(Request):
    """Answer: list[ResidentMatch]."""

    facility_id: str
    query: str


@route(RegistrationResult, lambda c: c.registrations.register, _registered)
@dataclass(frozen=True, slots=True, eq=False)
class Register(Request):
    """Answer: RegistrationResult. ``assisted_by``: the staff member's id when staff sign
    the family up on their behalf (no family session is opened then)."""

    registration: Registration
    assisted_by: str = ""


@route(AccountView, lambda c: c.family.sign_in, lambda r, _o: _said(r)["account"], assisted=True)
@dataclass(frozen=True, slots=True, eq=False)
class SignIn(Request):
    """Answer: AccountView of the family now signed in (the token stays in the controller)."""

    phone_e164: str
    pin: str = field(repr=False)


@route(AccountView, lambda c: c.links.account, lambda r, _o: _said(r)["account"])
@dataclass(frozen=True, slots=True, eq=False)
class LoadAccount(Request):
    """Answer: AccountView of the family signed in (plan names in ``language``)."""

    language: str = ""  # the family's language on screen; the server's words come in it


def _new_key() -> str:
    return str(uuid.uuid4())


@route(AccountView, lambda c: c.family.add_loved_one, lambda r, _o: _said(r)["account"],
       assisted=True)
@dataclass(frozen=True, slots=True, eq=False)
class AddLovedOne(Request):
    """Answer: AccountView with the resident linked. ``key`` makes a retry link once."""

    facility_id: str
    resident_id: str
    key: str = field(default_factory=_new_key)


@route(AccountView, lambda c: c.links.queue, _queued_link)
@dataclass(frozen=True, slots=True, eq=False)
class QueueLovedOne(Request):
    """Answer: ``account`` with the loved one waiting. The server could not be reached:
    the link waits in the outbox and is sent, signed in with ``pin``, when it is back."""

    facility_id: str
    resident_id: str
    resident_name: str
    account: AccountView
    pin: str = field(repr=False)


@route(TransactionsView, lambda c: c.money.transactions, lambda _r, _o: s.SAMPLE_TRANSACTIONS)
@dataclass(frozen=True, slots=True, eq=False)
class LoadTransactions(Request):
    """Answer: TransactionsView, dated in the time zone of ``facility_id``."""

    facility_id: str


@route(RefundView, lambda c: c.money.refund, lambda _r, _o: s.SAMPLE_REFUND, assisted=True)
@dataclass(frozen=True, slots=True, eq=False)
class RequestRefund(Request):
    """Answer: RefundView. The whole balance is asked back; ``key`` makes a retry ask once."""

    key: str = field(default_factory=_new_key)


@route(DepositQuote, lambda c: c.money.quote, lambda _r, _o: s.SAMPLE_QUOTE, takes_card=always)
@dataclass(frozen=True, slots=True, eq=False)
class QuoteDeposit(Request):
    """Answer: DepositQuote."""

    amount_cents: int


@route(DepositReceipt, lambda c: c.money.deposit, lambda _r, _o: s.SAMPLE_RECEIPT,
       takes_card=always, assisted=True)
@dataclass(frozen=True, slots=True, eq=False)
class Deposit(Request):
    """Answer: DepositReceipt. ``key`` makes a retry of this very request charge once."""

    amount_cents: int
    total_cents: int
    key: str = field(default_factory=_new_key)


@route(CardView, lambda c: c.money.save_card, lambda _r, _o: s.SAMPLE_RECEIPT.card,
       takes_card=always, assisted=True)
@dataclass(frozen=True, slots=True, eq=False)
class SaveCard(Request):
    """Answer: CardView of the card now on file. The number and CVC go to the gateway's
    tokenize route only, and are never logged (``repr`` leaves them out)."""

    number: str = field(repr=False)
    exp_month: int
    exp_year: int
    cvc: str = field(repr=False)
    key: str = field(default_factory=_new_key)


@route(list[PlanView], lambda c: c.subscriptions.plans, lambda r, _o: list(_said(r)["plans"]))
@dataclass(frozen=True, slots=True, eq=False)
class LoadPlans(Request):
    """Answer: list[PlanView] the facility sells, named in ``language``."""

    facility_id: str
    language: str = ""


@route(SubscriptionQuote, lambda c: c.subscriptions.quote,
       lambda r, _o: _said(r)["subscription_quote"], takes_card=always)
@dataclass(frozen=True, slots=True, eq=False)
class QuoteSubscription(Request):
    """Answer: SubscriptionQuote, its plan name, coverage and terms in ``language``."""

    plan_id: str
    renewal_mode: str
    language: str = ""


@route(SubscriptionView, lambda c: c.subscriptions.buy,
       lambda _r, _o: s.SAMPLE_ACCOUNT.subscriptions[0], takes_card=always, assisted=True)
@dataclass(frozen=True, slots=True, eq=False)
class BuySubscription(Request):
    """Answer: SubscriptionView. Sent only after the family accepted ``terms_version`` at
    ``quoted_total_cents``, the price they were shown: the server charges nothing if the
    price changed since (``quote_changed``)."""

    plan_id: str
    renewal_mode: str
    payment_method_id: str
    terms_version: str
    quoted_total_cents: int
    key: str = field(default_factory=_new_key)


@route(SubscriptionView, lambda c: c.subscriptions.manage,
       lambda _r, _o: s.SAMPLE_ACCOUNT.subscriptions[0], takes_card=_renews_now, assisted=True)
@dataclass(frozen=True, slots=True, eq=False)
class ManageSubscription(Request):
    """Answer: SubscriptionView after ``action``: "cancel", "resume", "renewal_auto",
    "renewal_manual" (pending until the period ends) or "renew_now" (charged now)."""

    subscription_id: str
    action: str
    payment_method_id: str = ""
    key: str = field(default_factory=_new_key)


@route(list[RateView], lambda c: c.subscriptions.rates, lambda _r, _o: list(s.SAMPLE_RATES))
@dataclass(frozen=True, slots=True, eq=False)
class LoadRates(Request):
    """Answer: list[RateView] of the facility's per-minute rates."""

    facility_id: str


@route(Advice, lambda c: c.advisor.from_estimate, lambda r, _o: _said(r)["advice"])
@dataclass(frozen=True, slots=True, eq=False)
class AdviseFromEstimate(Request):
    """Answer: Advice for the family's own estimate of a month (nothing is bought)."""

    calls_per_month: int
    average_minutes: int
    video_sessions_per_month: int


@route(Advice, lambda c: c.advisor.from_history, lambda r, _o: _said(r)["advice"])
@dataclass(frozen=True, slots=True, eq=False)
class AdviseFromHistory(Request):
    """Answer: Advice priced on the family's last complete periods of calls."""


@route(str, lambda c: c.receipts.print, lambda _r, _o: "", background=True)
@dataclass(frozen=True, slots=True, eq=False)
class PrintReceipt(Request):
    """Answer: "" once printed, else the printer's problem code (``printer_missing``,
    ``printer_no_paper``, ``printer_offline``). The words are already in the family's
    language and amounts already formatted; a failure never touches the payment."""

    heading: str
    reference: str
    lines: tuple[tuple[str, str], ...]
    total: tuple[str, str]
    footer: tuple[str, ...] = ()


# -- staff mode (docs/staff-mode.md) ---------------------------------------------------------


@route(StaffMember, lambda c: c.staff.sign_in, lambda _r, _o: s.SAMPLE_STAFF)
@dataclass(frozen=True, slots=True, eq=False)
class StaffSignIn(Request):
    """Answer: StaffMember (the staff session's token stays in the controller)."""

    badge: str
    pin: str = field(repr=False)


@route(list[SignUpConflict], lambda c: c.staff.conflicts, lambda _r, _o: list(s.SAMPLE_CONFLICTS))
@dataclass(frozen=True, slots=True, eq=False)
class LoadSignUpConflicts(Request):
    """Answer: list[SignUpConflict] open at this kiosk's facility."""


@route(None, lambda c: c.staff.resolve, lambda _r, _o: None)
@dataclass(frozen=True, slots=True, eq=False)
class ResolveSignUpConflict(Request):
    """Answer: None; the conflict is closed with ``resolution``."""

    conflict_id: str
    resolution: str


@route(list[OutboxRow], lambda c: c.staff.outbox, lambda _r, _o: list(s.SAMPLE_OUTBOX), local=True)
@dataclass(frozen=True, slots=True, eq=False)
class LoadOutbox(Request):
    """Answer: list[OutboxRow] of this kiosk, newest first."""


@route(list[OutboxRow], lambda c: c.staff.retry, lambda _r, _o: list(s.SAMPLE_OUTBOX))
@dataclass(frozen=True, slots=True, eq=False)
class RetryOutbox(Request):
    """Answer: list[OutboxRow] after sending every pending entry now."""


@route(list[OutboxRow], lambda c: c.staff.discard, lambda _r, _o: list(s.SAMPLE_OUTBOX), local=True)
@dataclass(frozen=True, slots=True, eq=False)
class DiscardOutboxEntry(Request):
    """Answer: list[OutboxRow] after discarding a failed or conflicting entry."""

    outbox_id: int
    reason: str


@route(None, lambda c: c.staff.record, lambda _r, _o: None, local=True)
@dataclass(frozen=True, slots=True, eq=False)
class RecordStaffAction(Request):
    """Answer: None; ``action`` goes into the local audit trail with the staff member's id."""

    action: str
    detail: str = ""


# -- cash at the note acceptor (docs/cash.md) ------------------------------------------------


@route(CashTerms, lambda c: c.cash.terms, lambda _r, _o: s.SAMPLE_CASH_TERMS, local=True)
@dataclass(frozen=True, slots=True, eq=False)
class LoadCashTerms(Request):
    """Answer: CashTerms (the notes the acceptor takes, the visit's maximum); refused
    ``cash_unavailable`` when no acceptor is configured or it is offline."""


@route(CashTerms, lambda c: c.cash.begin, lambda _r, _o: s.SAMPLE_CASH_TERMS, local=True,
       assisted=True)
@dataclass(frozen=True, slots=True, eq=False)
class StartCash(Request):
    """Answer: CashTerms. The acceptor takes the signed-in family's notes from now on, up
    to ``maximum_cents`` for the visit."""

    maximum_cents: int


@route(CashReceipt, lambda c: c.cash.finish,
       lambda _r, online: replace(s.SAMPLE_CASH_RECEIPT, sent=online), assisted=True)
@dataclass(frozen=True, slots=True, eq=False)
class FinishCash(Request):
    """Answer: CashReceipt. "Done": the acceptor takes no more notes, the visit's receipt
    is queued behind its deposits, and the outbox is sent at once."""


# Staff settle a note in doubt after counting (docs/cash.md): answered from the journal; a
# credited note's deposit goes through the outbox under its own key.
@route(list[NoteInDoubt], lambda c: c.cash.notes_in_doubt,
       lambda _r, _o: list(s.SAMPLE_NOTES_IN_DOUBT), local=True)
@dataclass(frozen=True, slots=True, eq=False)
class LoadNotesInDoubt(Request):
    """Answer: list[NoteInDoubt], oldest first: the notes whose stacking the kiosk could not
    confirm, for staff (docs/cash.md, "Notes in doubt, for staff")."""


@route(list[NoteInDoubt], lambda c: c.cash.settle_in_doubt,
       lambda _r, _o: list(s.SAMPLE_NOTES_IN_DOUBT[1:]))
@dataclass(frozen=True, slots=True, eq=False)
class SettleNoteInDoubt(Request):
    """Answer: list[NoteInDoubt], those left. After counting the cash box, staff credit the
    note ``key`` (``credit``: its deposit goes to the server under its own key, once) or
    mark it not found; either goes into the audit trail with ``reason``. Refused
    ``note_not_in_doubt`` when it was settled already."""

    key: str
    credit: bool
    reason: str


@route(None, lambda c: c.cash.demo_note, lambda _r, _o: None, local=True)
@dataclass(frozen=True, slots=True, eq=False)
class InsertDemoNote(Request):
    """Answer: None. The demo's simulated acceptor takes a note of ``cents`` (``kind``:
    genuine, unrecognised, suspect, safe_jam); refused ``cash_unavailable`` elsewhere."""

    cents: int
    kind: str = "genuine"


@route(CashBoxCount, lambda c: c.cash.cash_box, lambda _r, _o: s.SAMPLE_CASH_BOX, local=True)
@dataclass(frozen=True, slots=True, eq=False)
class LoadCashBox(Request):
    """Answer: CashBoxCount of the cassette in the acceptor now (staff)."""


@route(CashBoxCount, lambda c: c.cash.remove_cash_box,
       lambda _r, _o: replace(s.SAMPLE_CASH_BOX, removed=True))
@dataclass(frozen=True, slots=True, eq=False)
class RemoveCashBox(Request):
    """Answer: CashBoxCount of the cassette ``cassette``, closed (if the unit did not say
    so already) and its count queued for the server (staff: "Cash box removed")."""

    cassette: int


# -- the card reader (docs/devices.md "The card reader") ------------------------------------


@route(None, lambda c: c.reader.deposit, lambda _r, _o: None, takes_card=always, local=True)
@dataclass(frozen=True, slots=True, eq=False)
class DepositOnReader(Request):
    """Answer: None, as soon as the kiosk's card reader starts collecting the deposit's
    ``total_cents`` (the reader's states then arrive as ``KioskController.reader_event``).
    ``save_card``: the family agreed on screen to keep the card for renewals. ``key``: the
    port asks again with it while the server does not answer, never a second payment."""

    amount_cents: int
    total_cents: int
    save_card: bool
    key: str = field(default_factory=_new_key)


@route(None, lambda c: c.reader.buy, lambda _r, _o: None, takes_card=always, local=True)
@dataclass(frozen=True, slots=True, eq=False)
class BuyPlanOnReader(Request):
    """Answer: None, as soon as the reader starts collecting the plan's price; the last
    ``reader_event``'s payment carries the subscription. Sent only after the family
    accepted ``terms_version`` at ``quoted_total_cents``, as ``BuySubscription``."""

    plan_id: str
    renewal_mode: str
    terms_version: str
    quoted_total_cents: int
    save_card: bool
    key: str = field(default_factory=_new_key)


@route(None, lambda c: c.reader.renew, lambda _r, _o: None, takes_card=always, local=True)
@dataclass(frozen=True, slots=True, eq=False)
class RenewOnReader(Request):
    """Answer: None, as soon as the reader starts collecting a manual subscription's next
    period (renew-now, rule 6); the last ``reader_event``'s payment carries the subscription
    with its paid period. ``quoted_total_cents``: the price the family was shown."""

    subscription_id: str
    quoted_total_cents: int
    save_card: bool
    key: str = field(default_factory=_new_key)


@route(None, lambda c: c.reader.cancel, lambda _r, _o: None, local=True)
@dataclass(frozen=True, slots=True, eq=False)
class CancelReaderPayment(Request):
    """Answer: None at once: the reader's action is being canceled (Cancel on screen); its
    end (``canceled``, or ``approved`` when the card was faster) follows as an event."""


@dataclass(frozen=True, slots=True)
class CardReaderInfo:
    """This kiosk's card reader as the server has it registered (``GET /v1/terminal/reader``;
    read by its fields, no decoder of its own)."""

    label: str
    reader_ref: str
    gateway: str
    registered_at: datetime


@route(CardReaderInfo | None, lambda c: c.staff.card_reader,
       lambda _r, _o: CardReaderInfo("Lobby reader", "sim_lobby-1", "sandbox",
                                     datetime(2026, 12, 1, 15, 0, tzinfo=UTC)),
       background=True)
@dataclass(frozen=True, slots=True, eq=False)
class LoadCardReader(Request):
    """Answer: the card reader registered to this kiosk, or None when it has none (the staff
    home says which, so staff know why families cannot pay on a reader). Nobody waits for
    it: staff home's buttons never wait on it."""
