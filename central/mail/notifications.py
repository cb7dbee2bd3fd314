"""E-mail to families: what each message says, in English or Spanish, as plain text with a
simple HTML alternative. How it is delivered lives in :mod:`central.mail.mailer`.

Builders take plain dataclasses, never ORM objects, so the subscription and ledger code
decide what is true and this module only words it. Money arrives as integer cents and is
formatted here, at the edge; dates are shown in the facility's time zone. Cards appear only
as brand and last four digits.
"""

from __future__ import annotations

import enum
import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import formataddr
from typing import Literal

from central.calls.models import CallKind, Destination
from central.fields import non_printing
from central.plans.models import PlanKind
from central.plans.periods import zone

Language = Literal["en", "es"]

DEFAULT_REMINDER_PERCENT = 10


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
    card: CardOnFile
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
    card: CardOnFile
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


# --- formatting at the edge -------------------------------------------------------------


def language_of(recipient: Recipient) -> Language:
    return "es" if recipient.language.lower().startswith("es") else "en"


def format_cents(cents: int) -> str:
    """Integer cents as US dollars: 3999 -> '$39.99', 123456 -> '$1,234.56', -5 -> '-$0.05'."""
    sign = "-" if cents < 0 else ""
    dollars, rest = divmod(abs(cents), 100)
    return f"{sign}${dollars:,}.{rest:02d}"


_MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "es": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
}


def format_local_time(when: datetime, timezone: str, language: Language) -> str:
    """``when`` in the facility's zone: 'March 31, 2027 at 11:30 PM CDT' or
    '31 de marzo de 2027, 23:30 CDT'."""
    if when.tzinfo is None:
        raise ValueError("dates in messages must be aware datetimes")
    local = when.astimezone(zone(timezone))
    month = _MONTHS[language][local.month - 1]
    zone_name = local.tzname() or timezone
    if language == "es":
        return f"{local.day} de {month} de {local.year}, {local:%H:%M} {zone_name}"
    hour = local.hour % 12 or 12
    half = "AM" if local.hour < 12 else "PM"
    return f"{month} {local.day}, {local.year} at {hour}:{local:%M} {half} {zone_name}"


_BRANDS = {
    "visa": "Visa",
    "mastercard": "Mastercard",
    "amex": "American Express",
    "discover": "Discover",
}


def _card(card: CardOnFile, language: Language) -> str:
    brand = _BRANDS.get(card.brand.lower(), card.brand.title())
    return (
        f"{brand} terminada en {card.last4}"
        if language == "es"
        else (f"{brand} ending in {card.last4}")
    )


def calls_reminder_threshold(allotment: int, percent: int = DEFAULT_REMINDER_PERCENT) -> int:
    """Calls remaining at which the rule-12 reminder goes out: ``percent`` of the allotment,
    rounded up and at least 1, so a small allotment still warns before it runs out."""
    if allotment <= 0:
        raise ValueError("a call allotment is positive")
    return max(1, math.ceil(allotment * percent / 100))


def calls_reminder_due(allotment: int, calls_remaining: int, already_sent: bool) -> bool:
    """Whether the rule-12 reminder should go out now (once per period)."""
    return not already_sent and calls_remaining <= calls_reminder_threshold(allotment)


# --- the letters ------------------------------------------------------------------------


@dataclass
class _Letter:
    subject: str
    greeting: str
    paragraphs: list[str]
    facts: list[tuple[str, str]] = field(default_factory=list)
    after_facts: list[str] = field(default_factory=list)


_SIGNATURE = {"en": "Lobby Kiosk", "es": "Lobby Kiosk"}
_NO_REPLY = {
    "en": "This message was sent automatically; replies are not read.",
    "es": "Este mensaje se envió automáticamente; las respuestas no se leen.",
}
NO_REFUND_TERMS = {
    "en": (
        "No refunds: the price is not refunded if you cancel early, if calls or sessions "
        "go unused, or for any fee. You accepted these terms before paying."
    ),
    "es": (
        "Sin reembolsos: el precio no se reembolsa si cancela antes de tiempo, si no usa "
        "llamadas o sesiones, ni por ninguna tarifa. Usted aceptó estas condiciones antes "
        "de pagar."
    ),
}
_KIND = {
    "en": {CallKind.AUDIO: "Phone calls", CallKind.VIDEO: "Video calls"},
    "es": {CallKind.AUDIO: "Llamadas telefónicas", CallKind.VIDEO: "Videollamadas"},
}
_DESTINATION = {
    "en": {
        Destination.IN_STATE: "in-state",
        Destination.INTERSTATE: "out of state",
        Destination.INTERNATIONAL: "international",
    },
    "es": {
        Destination.IN_STATE: "dentro del estado",
        Destination.INTERSTATE: "fuera del estado",
        Destination.INTERNATIONAL: "internacionales",
    },
}


def _greeting(recipient: Recipient, language: Language) -> str:
    return f"Hola, {recipient.name}:" if language == "es" else f"Hello {recipient.name},"


def header_text(text: str) -> str:
    """``text`` made safe for a header: each non-printing character (a line break above all,
    which would start a header of its own) becomes a space. Names are checked when typed,
    but a header must never depend on that."""
    return " ".join("".join(" " if c in set(non_printing(text)) else c for c in text).split())


def _render(letter: _Letter, recipient: Recipient, language: Language) -> EmailMessage:
    message = EmailMessage()
    message["To"] = formataddr((header_text(recipient.name), header_text(recipient.email)))
    message["Subject"] = header_text(letter.subject)
    message["Auto-Submitted"] = "auto-generated"

    text_parts = [letter.greeting, *letter.paragraphs]
    if letter.facts:
        text_parts.append("\n".join(f"{label}: {value}" for label, value in letter.facts))
    text_parts += [*letter.after_facts, _SIGNATURE[language], _NO_REPLY[language]]
    message.set_content("\n\n".join(text_parts) + "\n")

    esc = html.escape
    rows = "".join(
        f'<tr><th align="left" style="padding:2px 12px 2px 0">{esc(label)}</th>'
        f"<td>{esc(value)}</td></tr>"
        for label, value in letter.facts
    )
    body = [f"<p>{esc(letter.greeting)}</p>"]
    body += [f"<p>{esc(p)}</p>" for p in letter.paragraphs]
    if rows:
        body.append(f"<table>{rows}</table>")
    body += [f"<p>{esc(p)}</p>" for p in letter.after_facts]
    body.append(f"<p>{esc(_SIGNATURE[language])}</p>")
    body.append(f'<p style="color:#666;font-size:small">{esc(_NO_REPLY[language])}</p>')
    page = (
        f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8">'
        f"<title>{esc(letter.subject)}</title></head>"
        f'<body style="font-family:sans-serif">{"".join(body)}</body></html>\n'
    )
    message.add_alternative(page, subtype="html")
    # Set after the bodies: making the message multipart moves Content-* headers inward.
    message["Content-Language"] = language
    return message


def deposit_receipt(receipt: DepositReceipt) -> EmailMessage:
    lang = language_of(receipt.recipient)
    when = format_local_time(receipt.paid_at, receipt.facility.timezone, lang)
    card = _card(receipt.card, lang)
    if lang == "es":
        letter = _Letter(
            subject=f"Recibo: depósito de {format_cents(receipt.amount_cents)} en AdvanceConnect",
            greeting=_greeting(receipt.recipient, lang),
            paragraphs=[f"Recibimos su depósito en AdvanceConnect para {receipt.facility.name}."],
            facts=[
                ("Depósito", format_cents(receipt.amount_cents)),
                ("Tarifa", format_cents(receipt.fee_cents)),
                ("Total cobrado", format_cents(receipt.total_cents)),
                ("Tarjeta", card),
                ("Fecha", when),
                ("Saldo nuevo", format_cents(receipt.balance_cents)),
                ("Referencia", receipt.reference),
            ],
        )
    else:
        letter = _Letter(
            subject=f"Receipt: {format_cents(receipt.amount_cents)} AdvanceConnect deposit",
            greeting=_greeting(receipt.recipient, lang),
            paragraphs=[f"We received your AdvanceConnect deposit for {receipt.facility.name}."],
            facts=[
                ("Deposit", format_cents(receipt.amount_cents)),
                ("Fee", format_cents(receipt.fee_cents)),
                ("Total charged", format_cents(receipt.total_cents)),
                ("Card", card),
                ("Date", when),
                ("New balance", format_cents(receipt.balance_cents)),
                ("Reference", receipt.reference),
            ],
        )
    return _render(letter, receipt.recipient, lang)


def _allowance(kind: PlanKind, allotment: int | None, language: Language) -> str:
    if kind is PlanKind.CALL:
        if allotment is None:
            return "Llamadas ilimitadas" if language == "es" else "Unlimited calls"
        return (
            f"Hasta {allotment} llamadas dentro del estado por período, de cualquier duración"
            if language == "es"
            else f"Up to {allotment} in-state calls per period, any length"
        )
    if kind is PlanKind.VIDEO_UNLIMITED or allotment is None:
        return "Videollamadas ilimitadas" if language == "es" else "Unlimited video sessions"
    return (
        f"{allotment} videollamadas por período"
        if language == "es"
        else f"{allotment} video sessions per period"
    )


def subscription_receipt(receipt: SubscriptionReceipt) -> EmailMessage:
    lang = language_of(receipt.recipient)
    tz = receipt.facility.timezone
    start = format_local_time(receipt.period_start, tz, lang)
    end = format_local_time(receipt.period_end, tz, lang)
    card = _card(receipt.card, lang)
    price = format_cents(receipt.price_cents)
    allowance = _allowance(receipt.plan_kind, receipt.allotment, lang)
    if lang == "es":
        renewal = (
            f"Automática: el {end} cobraremos {price} a su {card}."
            if receipt.renews_automatically
            else f"Manual: renueve antes del {end} o la suscripción terminará."
        )
        paragraphs = [
            f"Gracias. Su suscripción “{receipt.plan_name}” en {receipt.facility.name} está activa."
        ]
        if receipt.plan_kind is PlanKind.CALL:
            paragraphs.append(
                "Las llamadas fuera del estado e internacionales no están incluidas; se "
                "cobran de su saldo AdvanceConnect."
            )
        letter = _Letter(
            subject=f"Recibo: {receipt.plan_name}, {price}",
            greeting=_greeting(receipt.recipient, lang),
            paragraphs=paragraphs,
            facts=[
                ("Plan", receipt.plan_name),
                ("Incluye", allowance),
                ("Precio", f"{price} por mes"),
                ("Período", f"{start} – {end}"),
                ("Renovación", renewal),
                ("Tarjeta", card),
                ("Referencia", receipt.reference),
            ],
            after_facts=[NO_REFUND_TERMS[lang]],
        )
    else:
        renewal = (
            f"Automatic: on {end} we will charge {price} to your {card}."
            if receipt.renews_automatically
            else f"Manual: renew before {end} or the subscription ends."
        )
        paragraphs = [
            f"Thank you. Your subscription “{receipt.plan_name}” at "
            f"{receipt.facility.name} is active."
        ]
        if receipt.plan_kind is PlanKind.CALL:
            paragraphs.append(
                "Out-of-state and international calls are not included; they are paid from "
                "your AdvanceConnect balance."
            )
        letter = _Letter(
            subject=f"Receipt: {receipt.plan_name}, {price}",
            greeting=_greeting(receipt.recipient, lang),
            paragraphs=paragraphs,
            facts=[
                ("Plan", receipt.plan_name),
                ("Includes", allowance),
                ("Price", f"{price} per month"),
                ("Period", f"{start} – {end}"),
                ("Renewal", renewal),
                ("Card", card),
                ("Reference", receipt.reference),
            ],
            after_facts=[NO_REFUND_TERMS[lang]],
        )
    return _render(letter, receipt.recipient, lang)


def calls_remaining_reminder(reminder: CallsRemainingReminder) -> EmailMessage:
    lang = language_of(reminder.recipient)
    end = format_local_time(reminder.period_end, reminder.facility.timezone, lang)
    left, total = reminder.calls_remaining, reminder.allotment
    if lang == "es":
        unit = "sesiones de video" if reminder.video else "llamadas"
        letter = _Letter(
            subject=f"Le quedan {left} de {total} {unit} este período",
            greeting=_greeting(reminder.recipient, lang),
            paragraphs=[
                f"Su suscripción “{reminder.plan_name}” en {reminder.facility.name} tiene "
                f"{left} de {total} {unit} restantes hasta el {end}.",
                f"Cuando se acaben, las {unit} se cobrarán "
                f"{'por sesión' if reminder.video else 'por minuto'} de su saldo "
                "AdvanceConnect hasta que empiece el próximo período.",
            ],
        )
    else:
        unit = "video sessions" if reminder.video else "calls"
        letter = _Letter(
            subject=f"{left} of {total} {unit} left this period",
            greeting=_greeting(reminder.recipient, lang),
            paragraphs=[
                f"Your subscription “{reminder.plan_name}” at {reminder.facility.name} has "
                f"{left} of {total} {unit} left until {end}.",
                f"Once they are used up, {unit} are charged "
                f"{'per session' if reminder.video else 'per minute'} from your AdvanceConnect "
                "balance until the next period starts.",
            ],
        )
    return _render(letter, reminder.recipient, lang)


def manual_renewal_reminder(reminder: ManualRenewalReminder) -> EmailMessage:
    lang = language_of(reminder.recipient)
    end = format_local_time(reminder.period_end, reminder.facility.timezone, lang)
    price = format_cents(reminder.price_cents)
    if lang == "es":
        letter = _Letter(
            subject=f"Renueve su suscripción “{reminder.plan_name}” antes del {end}",
            greeting=_greeting(reminder.recipient, lang),
            paragraphs=[
                f"Su suscripción “{reminder.plan_name}” en {reminder.facility.name} se renueva "
                f"manualmente y termina el {end}.",
                f"Para seguir, renuévela por {price} en el quiosco antes de esa fecha. Si no, "
                "terminará y las llamadas se cobrarán de su saldo AdvanceConnect a las "
                "tarifas del centro.",
            ],
            after_facts=[NO_REFUND_TERMS[lang]],
        )
    else:
        letter = _Letter(
            subject=f"Renew your subscription “{reminder.plan_name}” before {end}",
            greeting=_greeting(reminder.recipient, lang),
            paragraphs=[
                f"Your subscription “{reminder.plan_name}” at {reminder.facility.name} renews "
                f"manually and ends on {end}.",
                f"To keep it, renew it for {price} at the kiosk before then. Otherwise it ends "
                "and calls are charged to your AdvanceConnect balance at the facility's rates.",
            ],
            after_facts=[NO_REFUND_TERMS[lang]],
        )
    return _render(letter, reminder.recipient, lang)


_END_REASON = {
    "en": {
        CoverageEndReason.PAYMENT_DECLINED: "the renewal payment was declined",
        CoverageEndReason.CARD_EXPIRED: "the card on file has expired",
        CoverageEndReason.NOT_RENEWED: "it was not renewed before the end of the period",
        CoverageEndReason.CANCELLED: "you cancelled it",
    },
    "es": {
        CoverageEndReason.PAYMENT_DECLINED: "el pago de la renovación fue rechazado",
        CoverageEndReason.CARD_EXPIRED: "la tarjeta registrada está vencida",
        CoverageEndReason.NOT_RENEWED: "no se renovó antes del fin del período",
        CoverageEndReason.CANCELLED: "usted la canceló",
    },
}


def _rate_facts(notice: CoverageEndedNotice, language: Language) -> list[tuple[str, str]]:
    per = "por minuto" if language == "es" else "per minute"
    facts = [
        (
            f"{_KIND[language][rate.kind]}, {_DESTINATION[language][rate.destination]}",
            f"{format_cents(rate.cents_per_minute)} {per}",
        )
        for rate in notice.rates
    ]
    if notice.video_session_price_cents is not None:
        label = "Videollamada (por sesión)" if language == "es" else "Video session (each)"
        facts.append((label, format_cents(notice.video_session_price_cents)))
    balance = "Saldo AdvanceConnect" if language == "es" else "AdvanceConnect balance"
    facts.append((balance, format_cents(notice.balance_cents)))
    return facts


def coverage_ended_notice(notice: CoverageEndedNotice) -> EmailMessage:
    lang = language_of(notice.recipient)
    when = format_local_time(notice.ended_at, notice.facility.timezone, lang)
    reason = _END_REASON[lang][notice.reason]
    if lang == "es":
        letter = _Letter(
            subject=f"Su suscripción terminó: {notice.plan_name}",
            greeting=_greeting(notice.recipient, lang),
            paragraphs=[
                f"Su suscripción “{notice.plan_name}” en {notice.facility.name} terminó el "
                f"{when} porque {reason}.",
                "Desde ahora las llamadas se cobran de su saldo AdvanceConnect a las tarifas "
                "normales del centro:",
            ],
            facts=_rate_facts(notice, lang),
            after_facts=[
                "Una suscripción terminada no se puede reactivar; puede suscribirse de nuevo "
                "en el quiosco cuando quiera."
            ],
        )
    else:
        letter = _Letter(
            subject=f"Your subscription has ended: {notice.plan_name}",
            greeting=_greeting(notice.recipient, lang),
            paragraphs=[
                f"Your subscription “{notice.plan_name}” at {notice.facility.name} ended on "
                f"{when} because {reason}.",
                "From now on, calls are charged to your AdvanceConnect balance at the "
                "facility's normal rates:",
            ],
            facts=_rate_facts(notice, lang),
            after_facts=[
                "An ended subscription cannot be restarted; you can sign up again at the kiosk "
                "at any time."
            ],
        )
    return _render(letter, notice.recipient, lang)


def cancellation_confirmation(confirmation: CancellationConfirmation) -> EmailMessage:
    lang = language_of(confirmation.recipient)
    until = format_local_time(confirmation.active_until, confirmation.facility.timezone, lang)
    if lang == "es":
        letter = _Letter(
            subject=f"Cancelación confirmada: {confirmation.plan_name}",
            greeting=_greeting(confirmation.recipient, lang),
            paragraphs=[
                f"Su suscripción “{confirmation.plan_name}” en {confirmation.facility.name} "
                f"quedó marcada para cancelarse. Sigue activa hasta el {until} y luego "
                "termina; no se renovará ni se le cobrará otra vez.",
                "Puede reanudarla en el quiosco antes de esa fecha.",
                "No hay reembolso por la parte del período que no use.",
            ],
        )
    else:
        letter = _Letter(
            subject=f"Cancellation confirmed: {confirmation.plan_name}",
            greeting=_greeting(confirmation.recipient, lang),
            paragraphs=[
                f"Your subscription “{confirmation.plan_name}” at {confirmation.facility.name} "
                f"is marked for cancellation. It stays active until {until} and then ends; it "
                "will not renew and you will not be charged again.",
                "You can resume it at the kiosk before then.",
                "There is no refund for the unused part of the period.",
            ],
        )
    return _render(letter, confirmation.recipient, lang)
