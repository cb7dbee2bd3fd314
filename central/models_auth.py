"""Tables of who may act: family and staff sessions, staff members, sign-in throttles."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from central.models import Base, UTCDateTime, _enum, str_id, utc_time


class StaffRole(enum.StrEnum):
    """Lobby staff roles; a supervisor may do everything a clerk may."""

    CLERK = "clerk"
    SUPERVISOR = "supervisor"


class StaffMember(Base):
    __tablename__ = "staff_members"

    id: Mapped[str_id]
    badge_id: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[StaffRole] = mapped_column(_enum(StaffRole))
    pin_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[utc_time]
    failed_pin_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class SignInThrottle(Base):
    """Failed attempts for a phone or badge that has no account, counted like a real one's,
    so the answers never tell a stranger which phone numbers are registered."""

    __tablename__ = "sign_in_throttles"

    subject_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    failed_pin_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class FamilySession(Base):
    """A family signed in at one kiosk; only the token's SHA-256 is kept."""

    __tablename__ = "family_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    kiosk_id: Mapped[str] = mapped_column(ForeignKey("kiosks.id"))
    created_at: Mapped[utc_time]
    expires_at: Mapped[utc_time]
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class StaffSession(Base):
    """A staff member signed in at one kiosk (staff mode); only the token's SHA-256 is kept."""

    __tablename__ = "staff_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[str] = mapped_column(ForeignKey("staff_members.id"), index=True)
    kiosk_id: Mapped[str] = mapped_column(ForeignKey("kiosks.id"))
    created_at: Mapped[utc_time]
    expires_at: Mapped[utc_time]
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
