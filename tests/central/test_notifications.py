"""E-mail to families: real SMTP on loopback (aiosmtpd), demo ``.eml`` files, wording in
English and Spanish, money from integer cents, dates in the facility's zone, no card numbers.
"""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest

from central.kernel.clock import ManualClock
from central.kernel.facilities import CallKind, Destination, PlanKind
from central.mail.mailer import EmlFolderMailer, MailDeliveryError, SmtpMailer
from central.mail.notifications import (
    CallsRemainingReminder,
    CancellationConfirmation,
    CardOnFile,
    CoverageEndedNotice,
    CoverageEndReason,
    DepositReceipt,
    FacilityRef,
    Letter,
    LinkConflictNotice,
    ManualRenewalReminder,
    RateLine,
    Recipient,
    SubscriptionReceipt,
    calls_remaining_reminder,
    calls_reminder_due,
    calls_reminder_threshold,
    cancellation_confirmation,
    coverage_ended_notice,
    deposit_receipt,
    format_cents,
    link_conflict_notice,
    manual_renewal_reminder,
    subscription_receipt,
)
from tests.support import CollectingHandler, free_port

SENDER = "Harbor Lobby <mail@harbor.example>"
NOW = datetime(2027, 2, 1, 5, 30, tzinfo=UTC)  # 23:30 on Jan 31 in Chicago
HARBOR = FacilityRef(name="Harbor County Jail", timezone="America/Chicago")
VISA = CardOnFile(brand="visa", last4="4242")
ANA_EN = Recipient(name="Ana Lopez", email="ana@example.org", language="en")
ANA_ES = Recipient(name="Ana López", email="ana@example.org", language="es")


def render(letter: Letter) -> EmailMessage:
    """What delivery does with a queued letter: word it, round-tripped through the stored
    JSON so each test also proves the data survives the outbox."""
    return Letter.from_json(letter.kind, letter.to_json()).render()


@pytest.fixture
def mailer(smtp_server: tuple[CollectingHandler, int]) -> SmtpMailer:
    _handler, port = smtp_server
    return SmtpMailer("127.0.0.1", port, SENDER, timeout=5, clock=ManualClock(NOW))


def send_and_receive(
    mailer: SmtpMailer, handler: CollectingHandler, message: EmailMessage
) -> EmailMessage:
    before = len(handler.messages)
    mailer.send(message)
    assert len(handler.messages) == before + 1
    received = handler.messages[-1]
    assert received.rcpt_tos == ["ana@example.org"]
    assert received.mail_from == "mail@harbor.example"
    return received.message


def bodies(message: EmailMessage) -> tuple[str, str]:
    plain = message.get_body(("plain",))
    rich = message.get_body(("html",))
    assert plain is not None and rich is not None
    assert isinstance(plain, EmailMessage) and isinstance(rich, EmailMessage)
    return str(plain.get_content()), str(rich.get_content())


# --- one example of each message, in both languages ---------------------------------------

RATES = [
    RateLine(CallKind.AUDIO, Destination.IN_STATE, 11),
    RateLine(CallKind.AUDIO, Destination.INTERSTATE, 21),
    RateLine(CallKind.VIDEO, Destination.IN_STATE, 25),
]
PERIOD_END = datetime(2027, 3, 1, 5, 30, tzinfo=UTC)  # Feb 28, 23:30 CST


def deposit(recipient: Recipient) -> EmailMessage:
    return render(deposit_receipt(
        DepositReceipt(
            recipient=recipient,
            facility=HARBOR,
            amount_cents=2500,
            fee_cents=150,
            total_cents=2650,
            balance_cents=4210,
            card=VISA,
            paid_at=NOW,
            reference="dep_1",
        )
    ))


def subscription(recipient: Recipient, *, auto: bool = True) -> EmailMessage:
    return render(subscription_receipt(
        SubscriptionReceipt(
            recipient=recipient,
            facility=HARBOR,
            plan_name="Call Subscription - 100 calls",
            plan_kind=PlanKind.CALL,
            price_cents=3999,
            allotment=100,
            period_start=NOW,
            period_end=PERIOD_END,
            renews_automatically=auto,
            card=VISA,
            reference="sub_1",
        )
    ))


def calls_left(recipient: Recipient) -> EmailMessage:
    return render(calls_remaining_reminder(
        CallsRemainingReminder(
            recipient=recipient,
            facility=HARBOR,
            plan_name="Call Subscription - 100 calls",
            calls_remaining=10,
            allotment=100,
            period_end=PERIOD_END,
        )
    ))


def renew_manually(recipient: Recipient) -> EmailMessage:
    return render(manual_renewal_reminder(
        ManualRenewalReminder(
            recipient=recipient,
            facility=HARBOR,
            plan_name="Video Subscription - unlimited",
            price_cents=5999,
            period_end=PERIOD_END,
        )
    ))


def coverage_ended(recipient: Recipient) -> EmailMessage:
    return render(coverage_ended_notice(
        CoverageEndedNotice(
            recipient=recipient,
            facility=HARBOR,
            plan_name="Call Subscription - 100 calls",
            reason=CoverageEndReason.PAYMENT_DECLINED,
            ended_at=PERIOD_END,
            rates=RATES,
            balance_cents=730,
            video_session_price_cents=599,
        )
    ))


def cancelled(recipient: Recipient) -> EmailMessage:
    return render(cancellation_confirmation(
        CancellationConfirmation(
            recipient=recipient,
            facility=HARBOR,
            plan_name="Call Subscription - 100 calls",
            active_until=PERIOD_END,
        )
    ))


def link_refused(recipient: Recipient) -> EmailMessage:
    return render(link_conflict_notice(
        LinkConflictNotice(recipient=recipient, facility=HARBOR, requested_at=NOW,
                           resident_name="Williams, Darnell", reason="too_many_residents")
    ))


@dataclass(frozen=True)
class Expectation:
    build: Callable[[Recipient], EmailMessage]
    subject_en: str
    subject_es: str
    body_en: tuple[str, ...]
    body_es: tuple[str, ...]


EXPECTATIONS = {
    "deposit receipt": Expectation(
        deposit,
        "Receipt: $25.00 AdvanceConnect deposit",
        "Recibo: depósito de $25.00 en AdvanceConnect",
        (
            "Deposit: $25.00",
            "Fee: $1.50",
            "Total charged: $26.50",
            "New balance: $42.10",
            "Visa ending in 4242",
            "January 31, 2027 at 11:30 PM CST",
        ),
        (
            "Depósito: $25.00",
            "Tarifa: $1.50",
            "Total cobrado: $26.50",
            "Saldo nuevo: $42.10",
            "Visa terminada en 4242",
            "31 de enero de 2027, 23:30 CST",
        ),
    ),
    "subscription receipt": Expectation(
        subscription,
        "Receipt: Call Subscription - 100 calls, $39.99",
        "Recibo: Call Subscription - 100 calls, $39.99",
        (
            "Price: $39.99 per month",
            "Up to 100 in-state calls per period",
            "February 28, 2027 at 11:30 PM CST",
            "we will charge $39.99 to your Visa ending in 4242",
            "No refunds",
            "Out-of-state and international calls are not included",
        ),
        (
            "Precio: $39.99 por mes",
            "Hasta 100 llamadas dentro del estado",
            "28 de febrero de 2027, 23:30 CST",
            "cobraremos $39.99 a su Visa terminada en 4242",
            "Sin reembolsos",
            "fuera del estado e internacionales no están incluidas",
        ),
    ),
    "calls-remaining reminder": Expectation(
        calls_left,
        "10 of 100 calls left this period",
        "Le quedan 10 de 100 llamadas este período",
        ("10 of 100 calls left until February 28, 2027 at 11:30 PM CST", "per minute"),
        ("10 de 100 llamadas restantes hasta el 28 de febrero de 2027, 23:30 CST", "por minuto"),
    ),
    "manual-renewal reminder": Expectation(
        renew_manually,
        "Renew your subscription “Video Subscription - unlimited” before February 28, 2027 "
        "at 11:30 PM CST",
        "Renueve su suscripción “Video Subscription - unlimited” antes del 28 de febrero "
        "de 2027, 23:30 CST",
        ("renew it for $59.99", "renews manually", "No refunds"),
        ("renuévela por $59.99", "se renueva manualmente", "Sin reembolsos"),
    ),
    "renewal failure": Expectation(
        coverage_ended,
        "Your subscription has ended: Call Subscription - 100 calls",
        "Su suscripción terminó: Call Subscription - 100 calls",
        (
            "the renewal payment was declined",
            "AdvanceConnect balance at the facility's normal",
            "Phone calls, in-state: $0.11 per minute",
            "Phone calls, out of state: $0.21 per minute",
            "Video calls, in-state: $0.25 per minute",
            "Video session (each): $5.99",
            "AdvanceConnect balance: $7.30",
            "sign up again",
        ),
        (
            "el pago de la renovación fue rechazado",
            "tarifas normales del centro",
            "Llamadas telefónicas, dentro del estado: $0.11 por minuto",
            "Saldo AdvanceConnect: $7.30",
            "suscribirse de nuevo",
        ),
    ),
    "link conflict notice": Expectation(
        link_refused,
        "We could not add Williams, Darnell to your account",
        "No pudimos agregar a Williams, Darnell a su cuenta",
        (
            "On January 31, 2027 at 11:30 PM CST you asked the lobby kiosk at Harbor County"
            " Jail to add Williams, Darnell",
            "already has the most loved ones it can hold",
            "Nothing was charged",
        ),
        (
            "El 31 de enero de 2027, 23:30 CST usted pidió al quiosco",
            "ya tiene el máximo de seres queridos",
            "No se cobró nada",
        ),
    ),
    "cancellation confirmation": Expectation(
        cancelled,
        "Cancellation confirmed: Call Subscription - 100 calls",
        "Cancelación confirmada: Call Subscription - 100 calls",
        (
            "stays active until February 28, 2027 at 11:30 PM CST",
            "no refund",
            "resume it at the kiosk before then",
        ),
        (
            "Sigue activa hasta el 28 de febrero de 2027, 23:30 CST",
            "No hay reembolso",
            "reanudarla",
        ),
    ),
}


@pytest.mark.parametrize("kind", list(EXPECTATIONS))
@pytest.mark.parametrize("language", ["en", "es"])
def test_each_message_arrives_over_smtp_in_the_accounts_language(
    kind: str,
    language: str,
    mailer: SmtpMailer,
    smtp_server: tuple[CollectingHandler, int],
) -> None:
    handler, _port = smtp_server
    expected = EXPECTATIONS[kind]
    recipient = ANA_ES if language == "es" else ANA_EN
    message = send_and_receive(mailer, handler, expected.build(recipient))

    assert message["Subject"] == (expected.subject_es if language == "es" else expected.subject_en)
    assert message["To"].addresses[0].addr_spec == "ana@example.org"
    assert message["To"].addresses[0].display_name == recipient.name
    assert message["From"].addresses[0].addr_spec == "mail@harbor.example"
    assert message["Content-Language"] == language
    assert message["Date"].datetime == NOW
    assert message["Message-ID"]
    plain, rich = bodies(message)
    greeting = "Hola, Ana López:" if language == "es" else "Hello Ana Lopez,"
    assert plain.startswith(greeting)
    for fragment in expected.body_es if language == "es" else expected.body_en:
        assert fragment in plain, fragment
    assert "Harbor County Jail" in plain
    assert f'<html lang="{language}">' in rich
    # The HTML alternative carries the same facts.
    money = set(re.findall(r"\$[\d,]+\.\d\d", plain))
    assert money == set(re.findall(r"\$[\d,]+\.\d\d", rich))
    # The other language does not leak in.
    other = EXPECTATIONS[kind].body_en if language == "es" else EXPECTATIONS[kind].body_es
    assert not any(fragment in plain for fragment in other if "$" not in fragment)


def test_manual_renewal_receipt_says_manual_and_names_no_charge_date() -> None:
    plain, _ = bodies(subscription(ANA_EN, auto=False))
    assert "Manual: renew before February 28, 2027 at 11:30 PM CST" in plain
    assert "we will charge" not in plain


def test_a_language_variant_counts_and_unknown_languages_get_english() -> None:
    assert deposit(replace(ANA_EN, language="es-MX"))["Content-Language"] == "es"
    assert deposit(replace(ANA_EN, language="fr"))["Content-Language"] == "en"


def test_video_plans_describe_sessions_not_calls() -> None:
    receipt = SubscriptionReceipt(
        recipient=ANA_EN,
        facility=HARBOR,
        plan_name="Video 4",
        plan_kind=PlanKind.VIDEO_BUNDLE,
        price_cents=1999,
        allotment=4,
        period_start=NOW,
        period_end=PERIOD_END,
        renews_automatically=True,
        card=VISA,
        reference="sub_2",
    )
    plain, _ = bodies(render(subscription_receipt(receipt)))
    assert "4 video sessions per period" in plain
    assert "in-state calls" not in plain
    unlimited = replace(receipt, plan_kind=PlanKind.VIDEO_UNLIMITED, allotment=None)
    assert "Unlimited video sessions" in bodies(render(subscription_receipt(unlimited)))[0]


def test_names_are_escaped_in_the_html_part() -> None:
    message = deposit(replace(ANA_EN, name="<b>Ana</b> & Co"))
    plain, rich = bodies(message)
    assert "Hello <b>Ana</b> & Co," in plain
    assert "&lt;b&gt;Ana&lt;/b&gt; &amp; Co" in rich
    assert "<b>Ana</b>" not in rich


def test_a_card_is_only_ever_brand_and_last_four() -> None:
    with pytest.raises(ValueError):
        CardOnFile(brand="visa", last4="4242424242424242")
    with pytest.raises(ValueError):
        CardOnFile(brand="visa", last4="42a2")
    for expected in EXPECTATIONS.values():
        for recipient in (ANA_EN, ANA_ES):
            message = expected.build(recipient)
            plain, rich = bodies(message)
            for text in (plain, rich, str(message["Subject"])):
                assert not re.search(r"\d{5,}", text), "a long digit run could be a card"


def test_money_is_formatted_from_integer_cents() -> None:
    assert format_cents(3999) == "$39.99"
    assert format_cents(5) == "$0.05"
    assert format_cents(0) == "$0.00"
    assert format_cents(123456) == "$1,234.56"
    assert format_cents(-250) == "-$2.50"


def test_reminder_threshold_is_ten_percent_rounded_up_and_sent_once() -> None:
    assert calls_reminder_threshold(100) == 10
    assert calls_reminder_threshold(25) == 3
    assert calls_reminder_threshold(5) == 1
    assert calls_reminder_threshold(100, percent=20) == 20
    assert not calls_reminder_due(100, 11, already_sent=False)
    assert calls_reminder_due(100, 10, already_sent=False)
    assert calls_reminder_due(100, 0, already_sent=False)
    assert not calls_reminder_due(100, 9, already_sent=True)
    with pytest.raises(ValueError):
        calls_reminder_threshold(0)


# --- delivery failures --------------------------------------------------------------------


def test_a_refused_recipient_is_a_delivery_error(
    mailer: SmtpMailer, smtp_server: tuple[CollectingHandler, int]
) -> None:
    handler, _port = smtp_server
    handler.refuse.add("ana@example.org")
    with pytest.raises(MailDeliveryError, match=r"ana@example\.org"):
        mailer.send(deposit(ANA_EN))
    assert handler.messages == []


def test_nothing_listening_is_a_delivery_error() -> None:
    mailer = SmtpMailer("127.0.0.1", free_port(), SENDER, timeout=2)
    with pytest.raises(MailDeliveryError):
        mailer.send(deposit(ANA_EN))


@pytest.mark.timeout(15)
def test_a_server_that_never_greets_times_out_quickly() -> None:
    # The kernel completes the TCP handshake from the backlog; nobody ever says "220".
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        mailer = SmtpMailer("127.0.0.1", port, SENDER, timeout=0.5)
        started = time.monotonic()
        with pytest.raises(MailDeliveryError, match="timed out"):
            mailer.send(deposit(ANA_EN))
        assert time.monotonic() - started < 3


def test_a_message_needs_a_recipient(mailer: SmtpMailer) -> None:
    with pytest.raises(ValueError):
        mailer.send(EmailMessage())


def test_timeout_must_be_positive() -> None:
    with pytest.raises(ValueError):
        SmtpMailer("127.0.0.1", 25, SENDER, timeout=0)


# --- demo mode ---------------------------------------------------------------------------


def test_eml_folder_mailer_writes_parseable_rfc5322_files(tmp_path: Path) -> None:
    folder = tmp_path / "outbox"
    mailer = EmlFolderMailer(folder, SENDER, clock=ManualClock(NOW))
    mailer.send(deposit(ANA_ES))
    mailer.send(cancelled(ANA_EN))

    files = sorted(folder.iterdir())
    assert [f.suffix for f in files] == [".eml", ".eml"]
    parsed: list[Any] = [
        BytesParser(policy=default_policy).parsebytes(f.read_bytes()) for f in files
    ]
    for message in parsed:
        raw = message.as_bytes()
        assert b"\r\n" in raw or b"\n" in raw
        assert message["From"].addresses[0].addr_spec == "mail@harbor.example"
        assert message["Date"].datetime == NOW
        assert message["Message-ID"].endswith("@harbor.example>")
    subjects = {m["Subject"] for m in parsed}
    assert subjects == {
        "Recibo: depósito de $25.00 en AdvanceConnect",
        "Cancellation confirmed: Call Subscription - 100 calls",
    }
    spanish = next(m for m in parsed if m["Content-Language"] == "es")
    assert "Saldo nuevo: $42.10" in bodies(spanish)[0]
    # Every line within RFC 5322's 998-character limit, CRLF endings on disk.
    for f in files:
        data = f.read_bytes()
        assert all(len(line) <= 998 for line in data.split(b"\r\n"))
        assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")


def test_eml_folder_mailer_reports_an_unwritable_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(MailDeliveryError):
        EmlFolderMailer(blocker, SENDER).send(deposit(ANA_EN))


@pytest.mark.parametrize(("recipient", "unit"), [(ANA_EN, "video sessions"),
                                                 (ANA_ES, "sesiones de video")])
def test_a_video_bundle_reminder_counts_sessions_not_calls(recipient: Recipient, unit: str
                                                            ) -> None:
    message = render(calls_remaining_reminder(CallsRemainingReminder(
        recipient=recipient, facility=HARBOR, plan_name="Video Subscription - 8 sessions",
        calls_remaining=1, allotment=8, period_end=PERIOD_END, video=True)))
    assert unit in str(message["Subject"])
    plain = message.get_body(("plain",))
    assert plain is not None
    text = plain.get_content()
    assert unit in text and "calls" not in text and "llamadas" not in text
