"""Tables of calls: every call the call platform asked us to authorize and then to rate
(rules 2, 3, 5, 9-12). The kinds and destinations rates are set for are in
:mod:`central.kernel.facilities`."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from central.db.base import Base, UTCDateTime, cents, enum_type, str_id, utc_time
from central.kernel.facilities import CallKind, Destination


class CallOutcome(enum.StrEnum):
    COVERED = "covered"  # counted against a subscription's allotment
    CHARGED = "charged"  # paid from AdvanceConnect per started minute
    SINGLE_CALL = "single_call"  # paid by card, no account balance (rule 10)
    REFUSED = "refused"


class CallStatus(enum.StrEnum):
    AUTHORIZED = "authorized"
    RATED = "rated"  # finished and priced
    REFUSED = "refused"


class Call(Base):
    """A call the call platform asked us to authorize, and then to rate."""

    __tablename__ = "calls"

    id: Mapped[str_id]
    facility_id: Mapped[str] = mapped_column(ForeignKey("facilities.id"))
    resident_id: Mapped[str | None] = mapped_column(ForeignKey("residents.id"), nullable=True)
    account_id: Mapped[str | None] = mapped_column(
        ForeignKey("accounts.id"), nullable=True, index=True
    )
    subscription_id: Mapped[str | None] = mapped_column(
        ForeignKey("subscriptions.id"), nullable=True, index=True
    )
    kind: Mapped[CallKind] = mapped_column(enum_type(CallKind))
    destination: Mapped[Destination] = mapped_column(enum_type(Destination))
    dialed_phone: Mapped[str] = mapped_column(String(20))
    status: Mapped[CallStatus] = mapped_column(enum_type(CallStatus))
    outcome: Mapped[CallOutcome] = mapped_column(enum_type(CallOutcome))
    refusal_reason: Mapped[str | None] = mapped_column(String(64), nullable=True)
    cents_per_minute: Mapped[cents] = mapped_column(default=0)
    # Rule 9: the most minutes the balance covered when the call was authorized.
    max_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    authorized_at: Mapped[utc_time]
    rated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    duration_seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)
    billed_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    charged_cents: Mapped[cents] = mapped_column(default=0)
    # A charged call's hold: max_minutes x rate set aside from AdvanceConnect when it was
    # authorized, settled when it is rated or released when it expires.
    hold_cents: Mapped[cents] = mapped_column(default=0)
    hold_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    hold_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class SingleCallRefund(Base):
    """The prepaid minutes of a Single Call it did not use, given back to its card (rule 10).
    Written when the call is rated, in the rating's transaction (one per call); the refund
    is then asked of the gateway under ``refund_key`` and ``refunded_at`` set, so rating again
    finishes a refund the gateway could not take, and never makes a second one."""

    __tablename__ = "single_call_refunds"

    id: Mapped[str_id]
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id"), unique=True)
    charge_id: Mapped[str] = mapped_column(ForeignKey("charges.id"), index=True)
    amount_cents: Mapped[cents]
    refund_key: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[utc_time]
    refunded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    gateway_refund_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
