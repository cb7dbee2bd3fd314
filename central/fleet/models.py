"""One row per kiosk: its last heartbeat and whether it is in service."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from central.db.base import Base, UTCDateTime, enum_type, str_id, utc_time


class PrinterState(enum.StrEnum):
    NONE = "none"  # no receipt printer configured
    READY = "ready"
    MISSING = "printer_missing"
    NO_PAPER = "printer_no_paper"
    OFFLINE = "printer_offline"


class AcceptorState(enum.StrEnum):
    """The note acceptor as the kiosk last saw it: the alerts staff must act on
    (docs/cash.md, "Staff alerts") and whether it takes notes."""

    NONE = "none"  # no note acceptor configured
    READY = "ready"
    OFFLINE = "offline"  # not answering on its port
    JAMMED = "jammed"
    FULL = "full"  # the cashbox is full
    TAKEN_BACK = "taken_back"  # a note was pulled back out


class KeyringState(enum.StrEnum):
    SECURE = "secure"  # an OS keyring: card payments on
    UNAVAILABLE = "unavailable"  # none, locked or silent: card payments off


class KioskStatus(Base):
    __tablename__ = "kiosk_status"

    kiosk_id: Mapped[str] = mapped_column(ForeignKey("kiosks.id"), primary_key=True)
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    version: Mapped[str | None] = mapped_column(String(40), nullable=True)
    uptime_seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)
    outbox_depth: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_sync_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    printer: Mapped[PrinterState | None] = mapped_column(
        enum_type(PrinterState), nullable=True)
    keyring: Mapped[KeyringState | None] = mapped_column(
        enum_type(KeyringState), nullable=True)
    acceptor: Mapped[AcceptorState | None] = mapped_column(
        enum_type(AcceptorState), nullable=True)
    in_service: Mapped[bool] = mapped_column(Boolean, default=True)
    service_reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    service_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    service_changed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)


class KioskAuditEvent(Base):
    """A staff action a kiosk recorded in staff mode (docs/staff-mode.md): who did what,
    when, at which kiosk; sent through the kiosk's outbox, so it may arrive late."""

    __tablename__ = "kiosk_audit_events"

    id: Mapped[str_id]
    kiosk_id: Mapped[str] = mapped_column(ForeignKey("kiosks.id"), index=True)
    staff_id: Mapped[str] = mapped_column(String(64), index=True)
    event: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text)
    occurred_at: Mapped[utc_time]
    received_at: Mapped[utc_time]
