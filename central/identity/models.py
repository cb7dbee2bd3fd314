"""Tables of who may act: kiosks and call platforms with their bearer tokens, family
accounts and the residents they link, staff members, sessions and sign-in throttles."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from central.db.base import Base, UTCDateTime, enum_type, str_id, utc_time


def lockout_count() -> Mapped[int]:
    """Lockouts in a row; each makes the next one longer (reset by a right PIN, or a day
    without one)."""
    return mapped_column(Integer, default=0, server_default="0")


class ClientRole(enum.StrEnum):
    """Who holds a bearer token: a lobby kiosk, or a facility's call platform (which alone
    may authorize and rate calls, since rating spends a family's money)."""

    KIOSK = "kiosk"
    CALL_PLATFORM = "call_platform"


class Kiosk(Base):
    """A client of the API with a bearer token: a lobby kiosk or a call platform."""

    __tablename__ = "kiosks"

    id: Mapped[str_id]
    facility_id: Mapped[str] = mapped_column(ForeignKey("facilities.id"))
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[ClientRole] = mapped_column(
        enum_type(ClientRole), default=ClientRole.KIOSK, server_default=ClientRole.KIOSK.value
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    enrolled_at: Mapped[utc_time]
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Set by ``lobby-central revoke``: from then on the token is refused (401).
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Set when the kiosk confirms it stored its token (POST /v1/kiosks/enroll/confirm); until
    # then the token opens nothing else and the enrollment code can still be used again.
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class EnrollmentCode(Base):
    """A one-time code an operator types into a new kiosk; only its hash is kept."""

    __tablename__ = "enrollment_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    facility_id: Mapped[str] = mapped_column(ForeignKey("facilities.id"))
    created_at: Mapped[utc_time]
    expires_at: Mapped[utc_time]
    # Set when the kiosk enrolled with it confirms it stored its token: only then is the code
    # spent, so a kiosk that crashed or lost the token before confirming can enroll again.
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The kiosk enrolled with this code that has not confirmed yet (a later enrollment with
    # the same code revokes it, as its token was never kept).
    pending_kiosk_id: Mapped[str | None] = mapped_column(String(64), nullable=True)


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[str_id]
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(20), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    address_line1: Mapped[str] = mapped_column(String(200))
    address_line2: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(2))
    postal_code: Mapped[str] = mapped_column(String(10))
    language: Mapped[str] = mapped_column(String(5), default="en")
    pin_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[utc_time]
    created_by_kiosk_id: Mapped[str | None] = mapped_column(
        ForeignKey("kiosks.id"), nullable=True
    )
    failed_pin_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    lockouts: Mapped[int] = lockout_count()

    linked_residents: Mapped[list[LinkedResident]] = relationship(
        back_populates="account", order_by="LinkedResident.id"
    )


class LinkedResident(Base):
    """The loved one a family wants to hear from: a resident at a facility."""

    __tablename__ = "linked_residents"
    __table_args__ = (UniqueConstraint("account_id", "resident_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    facility_id: Mapped[str] = mapped_column(ForeignKey("facilities.id"))
    resident_id: Mapped[str] = mapped_column(ForeignKey("residents.id"))

    account: Mapped[Account] = relationship(back_populates="linked_residents")


class StaffRole(enum.StrEnum):
    """Lobby staff roles; a supervisor may do everything a clerk may."""

    CLERK = "clerk"
    SUPERVISOR = "supervisor"


class StaffMember(Base):
    __tablename__ = "staff_members"

    id: Mapped[str_id]
    badge_id: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[StaffRole] = mapped_column(enum_type(StaffRole))
    # The facility the member works for: a supervisor changes only its prices. Null only
    # for members created before staff had facilities; they may change no prices.
    facility_id: Mapped[str | None] = mapped_column(ForeignKey("facilities.id"), nullable=True)
    pin_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[utc_time]
    failed_pin_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    lockouts: Mapped[int] = lockout_count()


class SignInThrottle(Base):
    """Failed attempts for a phone or badge that has no account, counted like a real one's,
    so the answers never tell a stranger which phone numbers are registered; and the wrong
    PINs typed at one kiosk, whatever the phone (``window_started_at`` starts its count)."""

    __tablename__ = "sign_in_throttles"

    subject_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    failed_pin_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    lockouts: Mapped[int] = lockout_count()
    window_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class RateLimitWindow(Base):
    """How many requests of one kind one client made in one fixed window of time."""

    __tablename__ = "rate_limit_windows"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime(), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


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


class SignUpConflict(Base):
    """A sign-up a kiosk queued while offline that the server refused later because the
    phone already has an account. The kiosk reports it; the family is e-mailed at the
    address they gave and staff of the facility see it until they resolve it."""

    __tablename__ = "sign_up_conflicts"

    id: Mapped[str_id]
    kiosk_id: Mapped[str] = mapped_column(ForeignKey("kiosks.id"))
    facility_id: Mapped[str] = mapped_column(ForeignKey("facilities.id"), index=True)
    reason: Mapped[str] = mapped_column(String(40))
    first_name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(20))
    email: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(8))
    signed_up_at: Mapped[utc_time]
    reported_at: Mapped[utc_time]
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    resolved_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    resolution: Mapped[str | None] = mapped_column(String(200), nullable=True)
