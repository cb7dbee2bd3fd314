"""The mail outbox: a letter is queued with the change it reports (same transaction) as its
kind and data, and worded and delivered after commit, with retries, so no e-mail is lost and
neither a failing mail server nor a letter that cannot be worded ever rolls back money."""

from __future__ import annotations

import email.policy
import logging
from datetime import timedelta
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import make_msgid

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from central.clock import Clock
from central.db.engine import Database
from central.identity.models import Account
from central.mail.mailer import MailDeliveryError, Mailer
from central.mail.models import OutgoingMail
from central.mail.notifications import FacilityRef, Letter, Recipient
from central.plans.models import Facility

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


def recipient_of(account: Account) -> Recipient:
    """Who a family's letters go to, in the language they chose."""
    return Recipient(name=account.first_name, email=account.email, language=account.language)


def facility_ref(facility: Facility) -> FacilityRef:
    return FacilityRef(name=facility.name, timezone=facility.timezone)


def queue_mail(session: Session, message: Letter, dedupe_key: str, clock: Clock) -> bool:
    """Queue the letter ``message`` unless one with ``dedupe_key`` already is; returns True if
    queued. Only its kind and data are stored: it is worded at delivery."""
    if session.execute(
        select(OutgoingMail.id).where(OutgoingMail.dedupe_key == dedupe_key)
    ).first():
        return False
    now = clock.now()
    session.add(
        OutgoingMail(
            dedupe_key=dedupe_key,
            recipient=message.recipient.email[:254],
            kind=message.kind,
            data=message.to_json(),
            message_id=make_msgid(domain="lobby-kiosk.invalid"),
            created_at=now,
            next_attempt_at=now,
        )
    )
    return True


def message_of(row: OutgoingMail) -> EmailMessage:
    """The finished message of a queued row: worded now from its kind and data, or, for a
    row queued before letters were stored as data, parsed from its text."""
    if row.kind is not None and row.data is not None:
        return Letter.from_json(row.kind, row.data).render(row.message_id, row.created_at)
    message = BytesParser(policy=email.policy.default).parsebytes((row.message or "").encode())
    assert isinstance(message, EmailMessage)
    return message


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
            row = session.get_one(OutgoingMail, mail_id)
            try:
                message: EmailMessage | None = message_of(row)
                problem = ""
            except Exception as exc:  # noqa: BLE001 - one bad letter must not stop the rest
                message, problem = None, f"cannot word the letter: {exc!r}"
        try:
            if message is None:
                raise MailDeliveryError(problem)
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
