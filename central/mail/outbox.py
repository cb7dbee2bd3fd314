"""The mail outbox: a message is queued with the change it reports (same transaction), and
delivered after commit, with retries, so no e-mail is lost and a failing mail server never
rolls back money."""

from __future__ import annotations

import email.policy
import logging
from datetime import timedelta
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, make_msgid

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from central.clock import Clock
from central.db.engine import Database
from central.identity.models import Account
from central.mail.mailer import MailDeliveryError, Mailer
from central.mail.models import OutgoingMail
from central.mail.notifications import FacilityRef, Recipient
from central.plans.models import Facility

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


def recipient_of(account: Account) -> Recipient:
    """Who a family's letters go to, in the language they chose."""
    return Recipient(name=account.first_name, email=account.email, language=account.language)


def facility_ref(facility: Facility) -> FacilityRef:
    return FacilityRef(name=facility.name, timezone=facility.timezone)


def queue_mail(session: Session, message: EmailMessage, dedupe_key: str, clock: Clock) -> bool:
    """Queue ``message`` unless one with ``dedupe_key`` already is; returns True if queued."""
    if session.execute(
        select(OutgoingMail.id).where(OutgoingMail.dedupe_key == dedupe_key)
    ).first():
        return False
    now = clock.now()
    # Date and Message-ID are fixed now, so a retry is the same message, not a new one.
    if message["Date"] is None:
        message["Date"] = format_datetime(now)
    if message["Message-ID"] is None:
        message["Message-ID"] = make_msgid(domain="lobby-kiosk.invalid")
    session.add(
        OutgoingMail(
            dedupe_key=dedupe_key,
            recipient=str(message["To"]),
            subject=str(message["Subject"]),
            message=message.as_string(policy=email.policy.SMTP),
            created_at=now,
            next_attempt_at=now,
        )
    )
    return True


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2**attempts, 240))


def deliver_pending(db: Database, mailer: Mailer, clock: Clock, limit: int = 50) -> int:
    """Send what is due, oldest first; returns how many went out. Safe to run in several
    processes: each message is claimed by a conditional update before it is sent."""
    now = clock.now()
    with db.transaction() as session:
        due = list(
            session.execute(
                select(OutgoingMail.id)
                .where(
                    OutgoingMail.sent_at.is_(None),
                    OutgoingMail.attempts < MAX_ATTEMPTS,
                    OutgoingMail.next_attempt_at <= now,
                )
                .order_by(OutgoingMail.id)
                .limit(limit)
            ).scalars()
        )
    sent = 0
    for mail_id in due:
        with db.transaction() as session:
            # Claim: push the next attempt out first, so another worker skips this one.
            claimed = session.execute(
                update(OutgoingMail)
                .where(OutgoingMail.id == mail_id, OutgoingMail.sent_at.is_(None),
                       OutgoingMail.next_attempt_at <= now)
                .values(next_attempt_at=now + timedelta(minutes=5))
            )
            if claimed.rowcount != 1:  # type: ignore[attr-defined]
                continue
            raw = session.get_one(OutgoingMail, mail_id).message
        message = BytesParser(policy=email.policy.default).parsebytes(raw.encode())
        assert isinstance(message, EmailMessage)
        try:
            mailer.send(message)
        except MailDeliveryError as exc:
            log.warning("mail %s not delivered: %s", mail_id, exc)
            with db.transaction() as session:
                row = session.get_one(OutgoingMail, mail_id)
                row.attempts += 1
                row.last_error = str(exc)[:300]
                row.next_attempt_at = clock.now() + _backoff(row.attempts)
            continue
        with db.transaction() as session:
            row = session.get_one(OutgoingMail, mail_id)
            row.attempts += 1
            row.sent_at = clock.now()
        sent += 1
    return sent
