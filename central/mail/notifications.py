"""E-mail to families: what each letter is about (plain dataclasses), and how it is worded,
at delivery, from Jinja2 templates (``templates/``) in the account's language, with gettext
catalogs (``locale/``) and Babel's money and date formatting. Adding a language is adding a
catalog. How a message is delivered lives in :mod:`central.mail.mailer`.

A builder (``deposit_receipt`` ...) only names the letter and keeps its data: the outbox
stores that, never rendered text, so nothing about wording or headers can fail inside a
money transaction. Money arrives as integer cents and is formatted here, at the edge; dates
are shown in the facility's time zone. Cards appear only as brand and last four digits.
"""

from __future__ import annotations

import enum
import gettext
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from decimal import Decimal
from email.message import EmailMessage
from email.utils import format_datetime as rfc5322_date
from email.utils import formataddr
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from pydantic import TypeAdapter

from central.kernel.clock import zone
from central.kernel.facilities import CallKind, Destination, PlanKind
from central.kernel.fields import non_printing

SOURCE_LANGUAGE = "en"  # the templates' own words; every other language is a catalog
DEFAULT_REMINDER_PERCENT = 10
_HERE = Path(__file__).resolve().parent
TEMPLATES = _HERE / "templates"
LOCALES = _HERE / "locale"


# --- what the builders are given --------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    """Who gets the message. ``language`` is the account's ('en' or 'es'; 'es-MX' counts as
    Spanish; anything else gets English)."""

    name: str
    email: str
    language: str = "en"


@dataclass(frozen=True)
class CardOnFile:
    """What may be shown of a card: its brand and last four digits, nothing else."""

    brand: str
    last4: str

    def __post_init__(self) -> None:
        if not re.fullmatch(r"\d{4}", self.last4):
            raise ValueError("last4 must be exactly four digits")


@dataclass(frozen=True)
class FacilityRef:
    """The facility the message is about; its time zone is the one dates are shown in."""

    name: str
    timezone: str


@dataclass(frozen=True)
class DepositReceipt:
    recipient: Recipient
    facility: FacilityRef
    amount_cents: int
    fee_cents: int
    total_cents: int
    balance_cents: int
    card: CardOnFile | None  # None: a card read on the lobby's reader, not named yet
    paid_at: datetime
    reference: str


@dataclass(frozen=True)
class CashDepositReceipt:
    """Notes a kiosk took for one family's visit, credited to AdvanceConnect."""

    recipient: Recipient
    facility: FacilityRef
    amount_cents: int
    note_count: int
    balance_cents: int
    paid_at: datetime
    reference: str


@dataclass(frozen=True)
class SubscriptionReceipt:
    recipient: Recipient
    facility: FacilityRef
    plan_name: str
    plan_kind: PlanKind
    price_cents: int
    allotment: int | None
    period_start: datetime
    period_end: datetime
    renews_automatically: bool
    card: CardOnFile | None  # None: a card read on the lobby's reader, not named yet
    reference: str


@dataclass(frozen=True)
class CallsRemainingReminder:
    """Rule 12: sent once per period when the calls remaining fall to the threshold."""

    recipient: Recipient
    facility: FacilityRef
    plan_name: str
    calls_remaining: int
    allotment: int
    period_end: datetime
    video: bool = False  # a video bundle counts sessions, not calls


@dataclass(frozen=True)
class ManualRenewalReminder:
    """Rule 6: a manual-renewal subscription ends at ``period_end`` unless renewed before."""

    recipient: Recipient
    facility: FacilityRef
    plan_name: str
    price_cents: int
    period_end: datetime


class CoverageEndReason(enum.StrEnum):
    PAYMENT_DECLINED = "payment_declined"
    CARD_EXPIRED = "card_expired"
    NOT_RENEWED = "not_renewed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class RateLine:
    kind: CallKind
    destination: Destination
    cents_per_minute: int


@dataclass(frozen=True)
class CoverageEndedNotice:
    """Rule 5: a subscription expired (renewal failed, was not renewed, or was cancelled);
    calls now fall back to AdvanceConnect at the facility's rates."""

    recipient: Recipient
    facility: FacilityRef
    plan_name: str
    reason: CoverageEndReason
    ended_at: datetime
    rates: Sequence[RateLine]
    balance_cents: int
    video_session_price_cents: int | None = None


@dataclass(frozen=True)
class CancellationConfirmation:
    """Rule 8: marked for cancellation, active until ``active_until``, no refund."""

    recipient: Recipient
    facility: FacilityRef
    plan_name: str
    active_until: datetime


@dataclass(frozen=True)
class SignUpConflictNotice:
    """A sign-up taken while the kiosk was offline was refused later: the phone already
    has an account (docs/offline.md, "Conflicts"). Only what the family typed is shown."""

    recipient: Recipient
    facility: FacilityRef
    signed_up_at: datetime
    phone_last4: str


@dataclass(frozen=True)
class LinkConflictNotice:
    """A loved one the family asked to add while the kiosk was offline could not be added
    (docs/offline.md, "A loved one added offline"). ``reason`` is the server's code:
    pin_incorrect, account_locked, too_many_residents, resident_unknown, facility_unknown."""

    recipient: Recipient
    facility: FacilityRef
    requested_at: datetime
    resident_name: str
    reason: str


# --- the letters ------------------------------------------------------------------------

LetterData = (
    DepositReceipt | SubscriptionReceipt | CallsRemainingReminder | ManualRenewalReminder
    | CoverageEndedNotice | CancellationConfirmation | SignUpConflictNotice
    | LinkConflictNotice | CashDepositReceipt
)
# A letter's kind names its template (``templates/{kind}.j2``) and its data type.
KINDS: dict[str, type[Any]] = {
    "deposit_receipt": DepositReceipt,
    "subscription_receipt": SubscriptionReceipt,
    "calls_remaining_reminder": CallsRemainingReminder,
    "manual_renewal_reminder": ManualRenewalReminder,
    "coverage_ended_notice": CoverageEndedNotice,
    "cancellation_confirmation": CancellationConfirmation,
    "sign_up_conflict_notice": SignUpConflictNotice,
    "link_conflict_notice": LinkConflictNotice,
    "cash_deposit_receipt": CashDepositReceipt,
}


@dataclass(frozen=True)
class Letter:
    """A letter to send: its kind and its data, not yet worded. ``render`` words it."""

    kind: str
    data: LetterData

    def __post_init__(self) -> None:
        if not isinstance(self.data, KINDS.get(self.kind, ())):
            raise ValueError(f"a {self.kind!r} letter cannot carry {type(self.data).__name__}")

    @property
    def recipient(self) -> Recipient:
        return self.data.recipient

    def to_json(self) -> str:
        """The data as JSON, for the outbox."""
        return _adapter(self.kind).dump_json(self.data).decode()

    @classmethod
    def from_json(cls, kind: str, data: str) -> Letter:
        if kind not in KINDS:
            raise ValueError(f"no letter of kind {kind!r}")
        return cls(kind, _adapter(kind).validate_json(data))

    def render(self, message_id: str | None = None, date: datetime | None = None
               ) -> EmailMessage:
        """The finished message (To, Subject, a plain part and an HTML alternative) in the
        recipient's language; ``message_id`` and ``date`` are fixed by the outbox so a retry
        is the same message."""
        return _render(self, message_id, date)


@cache
def _adapter(kind: str) -> TypeAdapter[Any]:
    """The JSON codec of a kind's data, built once per process: building one costs about as
    much as the rest of a renewal (it was 17% of a renewal run's CPU time)."""
    return TypeAdapter(KINDS[kind])


def deposit_receipt(receipt: DepositReceipt) -> Letter:
    return Letter("deposit_receipt", receipt)


def cash_deposit_receipt(receipt: CashDepositReceipt) -> Letter:
    return Letter("cash_deposit_receipt", receipt)


def subscription_receipt(receipt: SubscriptionReceipt) -> Letter:
    return Letter("subscription_receipt", receipt)


def calls_remaining_reminder(reminder: CallsRemainingReminder) -> Letter:
    return Letter("calls_remaining_reminder", reminder)


def manual_renewal_reminder(reminder: ManualRenewalReminder) -> Letter:
    return Letter("manual_renewal_reminder", reminder)


def coverage_ended_notice(notice: CoverageEndedNotice) -> Letter:
    return Letter("coverage_ended_notice", notice)


def cancellation_confirmation(confirmation: CancellationConfirmation) -> Letter:
    return Letter("cancellation_confirmation", confirmation)


def sign_up_conflict_notice(notice: SignUpConflictNotice) -> Letter:
    return Letter("sign_up_conflict_notice", notice)


def link_conflict_notice(notice: LinkConflictNotice) -> Letter:
    return Letter("link_conflict_notice", notice)


# --- languages, catalogs and formatting ---------------------------------------------------


@cache
def languages() -> frozenset[str]:
    """The source language and every language with a catalog."""
    found = {p.parent.parent.name for p in LOCALES.glob("*/LC_MESSAGES/messages.po")}
    return frozenset({SOURCE_LANGUAGE, *found})


def language_of(recipient: Recipient) -> str:
    """The recipient's language if there is a catalog for it ('es-MX' counts as 'es'),
    else the source language."""
    base = re.split(r"[-_]", recipient.language.strip().lower())[0]
    return base if base in languages() else SOURCE_LANGUAGE


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalog of ``language``, compiled from its .po file once per process (so no
    compiled .mo file is kept in the repository)."""
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    with (LOCALES / language / "LC_MESSAGES" / "messages.po").open("rb") as source:
        catalog = read_po(source, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


@cache
def _locale(language: str) -> Locale:
    # Families are in the United States: US conventions (dollars as "$") in every language.
    try:
        return Locale.parse(f"{language}_US")
    except (UnknownLocaleError, ValueError):
        return Locale.parse(language)


def format_cents(cents: int, language: str = SOURCE_LANGUAGE) -> str:
    """Integer cents as US dollars: 3999 -> '$39.99', 123456 -> '$1,234.56', -5 -> '-$0.05'."""
    return str(format_currency(Decimal(cents) / 100, "USD", locale=_locale(language)))


def N_(text: str) -> str:
    """Marks ``text`` for the catalogs (pybabel extract) without translating it here."""
    return text


# The date and time as written in a letter; each catalog gives its own pattern (Babel's
# syntax): 'March 31, 2027 at 11:30 PM CDT', '31 de marzo de 2027, 23:30 CDT'.
DATE_PATTERN = N_("MMMM d, y 'at' h:mm a z")


def format_local_time(when: datetime, timezone: str, language: str) -> str:
    """``when`` in the facility's zone, in ``language``."""
    if when.tzinfo is None:
        raise ValueError("dates in messages must be aware datetimes")
    pattern = translations(language).gettext(DATE_PATTERN)
    return str(format_datetime(when, pattern, tzinfo=zone(timezone), locale=_locale(language)))


_BRANDS = {
    "visa": "Visa",
    "mastercard": "Mastercard",
    "amex": "American Express",
    "discover": "Discover",
}


def calls_reminder_threshold(allotment: int, percent: int = DEFAULT_REMINDER_PERCENT) -> int:
    """Calls remaining at which the rule-12 reminder goes out: ``percent`` of the allotment,
    rounded up and at least 1, so a small allotment still warns before it runs out."""
    if allotment <= 0:
        raise ValueError("a call allotment is positive")
    return max(1, math.ceil(allotment * percent / 100))


def calls_reminder_due(allotment: int, calls_remaining: int, already_sent: bool) -> bool:
    """Whether the rule-12 reminder should go out now (once per period)."""
    return not already_sent and calls_remaining <= calls_reminder_threshold(allotment)


def header_text(text: str) -> str:
    """``text`` made safe for a header: each non-printing character (a line break above all,
    which would start a header of its own) becomes a space. Names are checked when typed,
    but a header must never depend on that."""
    odd = set(non_printing(text))
    return " ".join("".join(" " if c in odd else c for c in text).split())


# --- rendering --------------------------------------------------------------------------


@dataclass
class _Words:
    """What a letter's template says, collected as it renders; the layouts set it out."""

    subject: str = ""
    paragraphs: list[str] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)
    after_facts: list[str] = field(default_factory=list)


@cache
def _environment(html: bool) -> Environment:
    # Letters collect plain strings and the text part is plain text: only the HTML layout
    # escapes, once, whatever a name or plan holds.
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=html,  # noqa: S701
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _collector(words: _Words) -> dict[str, Callable[..., str]]:
    def subject(text: str) -> str:
        words.subject = text
        return ""

    def para(text: str) -> str:
        words.paragraphs.append(text)
        return ""

    def fact(label: str, value: object) -> str:
        words.facts.append((label, str(value)))
        return ""

    def after(text: str) -> str:
        words.after_facts.append(text)
        return ""

    return {"subject": subject, "para": para, "fact": fact, "after": after}


def _render(letter: Letter, message_id: str | None, date: datetime | None) -> EmailMessage:
    recipient = letter.recipient
    language = language_of(recipient)
    catalog = translations(language)
    timezone = letter.data.facility.timezone

    def card_name(card: CardOnFile) -> str:
        brand = _BRANDS.get(card.brand.lower(), card.brand.title())
        return catalog.gettext("%(brand)s ending in %(last4)s") % {
            "brand": brand, "last4": card.last4}

    words = _Words()
    context: dict[str, Any] = {
        **{f.name: getattr(letter.data, f.name) for f in fields(letter.data)},
        **_collector(words),
        "_": catalog.gettext,
        "money": lambda cents: format_cents(cents, language),
        "when": lambda moment: format_local_time(moment, timezone, language),
        "card_name": card_name,
    }
    _environment(False).get_template(f"{letter.kind}.j2").render(context)
    layout = {"letter": words, "name": recipient.name, "language": language,
              "_": catalog.gettext}
    plain = _environment(False).get_template("layout.txt.j2").render(layout)
    page = _environment(True).get_template("layout.html.j2").render(layout)

    message = EmailMessage()
    message["To"] = formataddr((header_text(recipient.name), header_text(recipient.email)))
    message["Subject"] = header_text(words.subject)
    message["Auto-Submitted"] = "auto-generated"
    if date is not None:
        message["Date"] = rfc5322_date(date)
    if message_id is not None:
        message["Message-ID"] = header_text(message_id)
    message.set_content(plain + "\n")
    message.add_alternative(page + "\n", subtype="html")
    # Set after the bodies: making the message multipart moves Content-* headers inward.
    message["Content-Language"] = language
    return message
