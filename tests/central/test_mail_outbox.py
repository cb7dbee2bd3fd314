"""The mail outbox: a letter is queued with the change as its kind and data (never rendered
text), worded and delivered after commit through a real SMTP server, retried with back-off
when the server is down, and never sent twice."""

from __future__ import annotations

import email.policy
import json
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from central.db.engine import Database
from central.kernel.clock import ManualClock
from central.mail.mailer import SmtpMailer
from central.mail.models import OutgoingMail
from central.mail.notifications import (
    CardOnFile,
    DepositReceipt,
    FacilityRef,
    Letter,
    Recipient,
    deposit_receipt,
)
from central.mail.outbox import deliver_pending, queue_mail
from tests.central.family_support import open_family
from tests.support import CollectingHandler, free_port


def _message(to: str = "ana@example.org", name: str = "Ana") -> Letter:
    return deposit_receipt(DepositReceipt(
        recipient=Recipient(name=name, email=to), facility=FacilityRef("Harbor", "UTC"),
        amount_cents=2000, fee_cents=0, total_cents=2000, balance_cents=2000,
        card=CardOnFile("visa", "4242"), paid_at=datetime(2027, 1, 31, 18, tzinfo=UTC),
        reference="dep_1"))


def test_queued_mail_is_delivered_once(
    sqlite_url: str, clock: ManualClock, smtp_server: tuple[CollectingHandler, int]
) -> None:
    handler, port = smtp_server
    db = Database(sqlite_url)
    mailer = SmtpMailer("127.0.0.1", port, "Lobby <lobby@example.org>", timeout=5, clock=clock)
    try:
        with db.transaction() as session:
            assert queue_mail(session, _message(), "receipt:1", clock)
            assert not queue_mail(session, _message(), "receipt:1", clock)  # deduplicated
        assert deliver_pending(db, mailer, clock) == 1
        assert deliver_pending(db, mailer, clock) == 0
        [received] = handler.messages
        assert received.rcpt_tos == ["ana@example.org"]
        assert received.message["Subject"] == "Receipt: $20.00 AdvanceConnect deposit"
        plain = received.message.get_body(("plain",))
        assert plain is not None and "Deposit: $20.00" in plain.get_content()
    finally:
        db.dispose()


def test_rolled_back_change_sends_nothing(sqlite_url: str, clock: ManualClock) -> None:
    db = Database(sqlite_url)
    try:
        try:
            with db.transaction() as session:
                queue_mail(session, _message(), "receipt:2", clock)
                raise RuntimeError("the charge failed")
        except RuntimeError:
            pass
        with db.transaction() as session:
            assert session.scalar(select(func.count()).select_from(OutgoingMail)) == 0
    finally:
        db.dispose()


def test_server_down_means_retry_later_with_the_same_message(
    sqlite_url: str, clock: ManualClock, smtp_server: tuple[CollectingHandler, int]
) -> None:
    handler, port = smtp_server
    db = Database(sqlite_url)
    down = SmtpMailer("127.0.0.1", free_port(), "lobby@example.org", timeout=1, clock=clock)
    up = SmtpMailer("127.0.0.1", port, "lobby@example.org", timeout=5, clock=clock)
    try:
        with db.transaction() as session:
            queue_mail(session, _message(), "reminder:1", clock)
        assert deliver_pending(db, down, clock) == 0
        with db.transaction() as session:
            row = session.execute(select(OutgoingMail)).scalar_one()
            assert row.attempts == 1 and row.sent_at is None and row.last_error
            message_id = row.message_id
        assert deliver_pending(db, up, clock) == 0  # backing off: not due yet
        clock.advance(timedelta(minutes=3))
        assert deliver_pending(db, up, clock) == 1
        assert handler.messages[0].message["Message-ID"] == message_id
    finally:
        db.dispose()


def test_a_deposit_queues_its_receipt_as_kind_and_data_never_as_text(
    kiosk_api: TestClient, app: FastAPI, smtp_server: tuple[CollectingHandler, int]
) -> None:
    """Issue 7: nothing is worded inside the money transaction; delivery words it."""
    handler, port = smtp_server
    family = open_family(kiosk_api)
    family.add_card()
    assert family.deposit(2500).status_code == 201
    services = app.state.services
    with services.db.transaction() as session:
        row = session.execute(select(OutgoingMail)).scalar_one()
        assert (row.kind, row.message, row.subject) == ("deposit_receipt", None, None)
        data = json.loads(row.data or "")
        assert data["amount_cents"] == 2500 and data["recipient"]["name"] == "Rosa"
        assert row.recipient == "rosa.martinez@example.org" and row.message_id
        message_id = row.message_id
    mailer = SmtpMailer("127.0.0.1", port, "Lobby <lobby@example.org>", timeout=5,
                        clock=services.clock)
    assert deliver_pending(services.db, mailer, services.clock) == 1
    [received] = handler.messages
    assert received.message["Subject"] == "Receipt: $25.00 AdvanceConnect deposit"
    assert received.message["Message-ID"] == message_id


def test_a_letter_that_cannot_be_worded_waits_and_the_others_still_go(
    sqlite_url: str, clock: ManualClock, smtp_server: tuple[CollectingHandler, int]
) -> None:
    handler, port = smtp_server
    db = Database(sqlite_url)
    mailer = SmtpMailer("127.0.0.1", port, "lobby@example.org", timeout=5, clock=clock)
    try:
        with db.transaction() as session:
            queue_mail(session, _message(), "receipt:broken", clock)
            queue_mail(session, _message(to="bo@example.org", name="Bo"), "receipt:fine", clock)
            broken = session.execute(select(OutgoingMail).where(
                OutgoingMail.dedupe_key == "receipt:broken")).scalar_one()
            broken.data = '{"recipient": "not a recipient"}'
        assert deliver_pending(db, mailer, clock) == 1
        assert [m.rcpt_tos for m in handler.messages] == [["bo@example.org"]]
        with db.transaction() as session:
            broken = session.execute(select(OutgoingMail).where(
                OutgoingMail.dedupe_key == "receipt:broken")).scalar_one()
            assert broken.sent_at is None and broken.attempts == 1
            assert (broken.last_error or "").startswith("cannot word the letter")
    finally:
        db.dispose()


def test_mail_queued_as_text_before_letters_were_data_is_still_delivered(
    sqlite_url: str, clock: ManualClock, smtp_server: tuple[CollectingHandler, int]
) -> None:
    handler, port = smtp_server
    db = Database(sqlite_url)
    mailer = SmtpMailer("127.0.0.1", port, "lobby@example.org", timeout=5, clock=clock)
    old = _message().render(message_id="<old@lobby-kiosk.invalid>", date=clock.now())
    try:
        with db.transaction() as session:
            session.add(OutgoingMail(
                dedupe_key="receipt:old", recipient="ana@example.org",
                subject=str(old["Subject"]), message=old.as_string(policy=email.policy.SMTP),
                created_at=clock.now(), next_attempt_at=clock.now()))
        assert deliver_pending(db, mailer, clock) == 1
        assert handler.messages[0].message["Message-ID"] == "<old@lobby-kiosk.invalid>"
    finally:
        db.dispose()
