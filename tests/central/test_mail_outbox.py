"""The mail outbox: queued with the change, delivered after commit through a real SMTP
server, retried with back-off when the server is down, and never sent twice."""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage

from sqlalchemy import func, select

from central.clock import ManualClock
from central.db.engine import Database
from central.mail.mailer import SmtpMailer
from central.mail.models import OutgoingMail
from central.mail.outbox import deliver_pending, queue_mail
from tests.support import CollectingHandler, free_port


def _message(to: str = "ana@example.org", subject: str = "Your receipt") -> EmailMessage:
    message = EmailMessage()
    message["To"] = to
    message["Subject"] = subject
    message.set_content("Deposit: $20.00")
    return message


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
        assert received.message["Subject"] == "Your receipt"
        assert "$20.00" in received.message.get_content()
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
            message_id = row.message.split("Message-ID: ")[1].split("\r\n")[0]
        assert deliver_pending(db, up, clock) == 0  # backing off: not due yet
        clock.advance(timedelta(minutes=3))
        assert deliver_pending(db, up, clock) == 1
        assert handler.messages[0].message["Message-ID"] == message_id
    finally:
        db.dispose()
