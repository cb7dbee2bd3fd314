"""The sandbox gateway's own tables: card tokens, charges and refunds. Never a card number.

A real processor keeps these on its side; the sandbox keeps them in our database so the demo
needs no network, but nothing outside ``central.money.gateway`` reads them.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from central.db.base import Base, cents, str_id, utc_time


class GatewayCard(Base):
    __tablename__ = "gateway_cards"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    brand: Mapped[str] = mapped_column(String(16))
    last4: Mapped[str] = mapped_column(String(4))
    exp_month: Mapped[int] = mapped_column(Integer)
    exp_year: Mapped[int] = mapped_column(Integer)
    # What the named test card does when charged: approve, decline, ... (never the number).
    scenario: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[utc_time]


class GatewayCharge(Base):
    __tablename__ = "gateway_charges"

    id: Mapped[str_id]
    idempotency_key: Mapped[str] = mapped_column(String(300), unique=True)
    token: Mapped[str] = mapped_column(ForeignKey("gateway_cards.token"), index=True)
    amount_cents: Mapped[cents]
    status: Mapped[str] = mapped_column(String(16))
    decline_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    refunded_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[utc_time]


class GatewayRefund(Base):
    __tablename__ = "gateway_refunds"

    id: Mapped[str_id]
    idempotency_key: Mapped[str] = mapped_column(String(300), unique=True)
    charge_id: Mapped[str] = mapped_column(ForeignKey("gateway_charges.id"), index=True)
    amount_cents: Mapped[cents]
    created_at: Mapped[utc_time]
