"""The mail outbox: a letter is queued with the change it reports (same transaction) as its
kind and data, and worded and delivered after commit, with retries, so no e-mail is lost and
neither a failing mail server nor a letter that cannot be worded ever rolls back money."""

from __future__ import annotations

import email.policy
import logging
from collections.abc import Sequence
from datetime import timedelta
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import make_msgid
from typing import Protocol

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from central.db.engine import Database
from central.kernel.clock import Clock
from central.kernel.facilities import Facility
from central.mail.mailer import MailDeliveryError, Mailer
from central.mail.models import OutgoingMail
from central.mail.notifications import FacilityRef, Letter, Recipient

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


class Addressee(Protocol):
    """What a letter needs of a family's account (identity's ``Account`` is one): mail sits
    below identity, so identity's own handlers can queue letters too."""

    @property
    def first_name(self) -> str: ...

    @property
    def email(self) -> str: ...

    @property
    def language(self) -> str: ...


def recipient_of(account: Addressee) -> Recipient:
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


def queue_mails(session: Session, letters: Sequence[tuple[Letter, str]], clock: Clock) -> int:
    """:func:`queue_mail` for a batch (a renewal batch's receipts): the dedupe keys already
    queued in one query, the new letters in one INSERT; returns how many were queued."""
    keys = [key for _letter, key in letters]
    queued = set(session.execute(select(OutgoingMail.dedupe_key).where(
        OutgoingMail.dedupe_key.in_(keys))).scalars()) if keys else set()
    now = clock.now()
    rows: list[dict[str, object]] = []
    for message, dedupe_key in letters:
        if dedupe_key in queued:
            continue
        queued.add(dedupe_key)
        rows.append({
            "dedupe_key": dedupe_key, "recipient": message.recipient.email[:254],
            "kind": message.kind, "data": message.to_json(),
            "message_id": make_msgid(domain="lobby-kiosk.invalid"), "created_at": now,
            "next_attempt_at": now})
    if rows:  # one INSERT (the ORM's would be one per row: their ids are the database's)
        session.execute(insert(OutgoingMail), rows)
    return len(rows)


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
