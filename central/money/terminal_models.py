"""Tables of card-present payments: the reader registered to each kiosk, and each payment
handed to it (a charge of ours, plus what the reader is doing with it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from central.db.base import Base, UTCDateTime, str_id, utc_time


class CardReader(Base):
    """The card reader of one kiosk (one per kiosk), as the processor names it: Stripe's
    reader id (``tmr_...``) or a sandbox simulated reader (``sim_...``)."""

    __tablename__ = "card_readers"

    id: Mapped[str_id]
    kiosk_id: Mapped[str] = mapped_column(ForeignKey("kiosks.id"), unique=True)
    gateway: Mapped[str] = mapped_column(String(16))
    reader_ref: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(100))
    registered_at: Mapped[utc_time]
    # Who registered it: a staff member's id, or "cli".
    registered_by: Mapped[str] = mapped_column(String(64))


class ReaderPayment(Base):
    """A payment handed to a kiosk's reader: its charge (committed before the processor is
    asked, as every charge) and the reader's last known state."""

    __tablename__ = "reader_payments"

    id: Mapped[str_id]
    kiosk_id: Mapped[str] = mapped_column(ForeignKey("kiosks.id"), index=True)
    reader_id: Mapped[str] = mapped_column(ForeignKey("card_readers.id"))
    charge_id: Mapped[str] = mapped_column(ForeignKey("charges.id"), unique=True)
    # The processor's id of the payment (a PaymentIntent id), once it answered.
    payment_ref: Mapped[str | None] = mapped_column(String(64), nullable=True)
    state: Mapped[str] = mapped_column(String(24))
    decline_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # The family agreed on screen to keep the card for renewals (setup_future_usage).
    save_card: Mapped[bool] = mapped_column(Boolean, default=False)
    card_saved: Mapped[bool] = mapped_column(Boolean, default=False)
    brand: Mapped[str | None] = mapped_column(String(16), nullable=True)
    last4: Mapped[str | None] = mapped_column(String(4), nullable=True)
    started_at: Mapped[utc_time]
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
