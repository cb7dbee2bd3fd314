"""E-mail waiting to go out: written in the same transaction as the event it reports, as the
letter's kind and data; it is worded only when it is delivered."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from central.db.base import Base, UTCDateTime, utc_time


class OutgoingMail(Base):
    __tablename__ = "outgoing_mail"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # Makes queueing idempotent: e.g. "receipt:subscription:{id}:{period_start}".
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    recipient: Mapped[str] = mapped_column(String(254))  # the address, for operators
    # The letter: its kind (a template) and its data as JSON (central.mail.notifications).
    kind: Mapped[str | None] = mapped_column(String(40), nullable=True)
    data: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Fixed when queued, so a retry is the same message, not a new one.
    message_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # Only rows queued before letters were stored as data hold rendered text.
    subject: Mapped[str | None] = mapped_column(String(300), nullable=True)
    message: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[utc_time]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[utc_time]
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)
    last_error: Mapped[str | None] = mapped_column(String(300), nullable=True)
