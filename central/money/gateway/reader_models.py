"""The sandbox's simulated card readers' own table: one row per payment handed to a reader.

Like the sandbox's cards and charges (:mod:`central.money.gateway.models`), it stands for
what a real processor keeps on its side; nothing outside ``central.money.gateway`` reads it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from central.db.base import Base, UTCDateTime, cents, str_id, utc_time


class SandboxReaderPayment(Base):
    __tablename__ = "gateway_reader_payments"

    id: Mapped[str_id]
    idempotency_key: Mapped[str] = mapped_column(String(300), unique=True)
    reader_ref: Mapped[str] = mapped_column(String(64), index=True)
    amount_cents: Mapped[cents]
    # What the simulated card does (approve, a decline code, card_removed, timed_out,
    # reader_offline), chosen from the amount's cents when the payment starts.
    scenario: Mapped[str] = mapped_column(String(32))
    save_card: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[utc_time]
    canceled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
