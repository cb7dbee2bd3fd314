"""The server's tables, as SQLAlchemy 2 typed models. Money is integer cents."""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    event,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from central.text import fold


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def new_id() -> str:
    return uuid.uuid4().hex


str_id = Annotated[str, mapped_column(String(64), primary_key=True, default=new_id)]
cents = Annotated[int, mapped_column(BigInteger)]
utc_time = Annotated[datetime, mapped_column(UTCDateTime())]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime()}


class SizeTier(enum.StrEnum):
    """The facility size tiers of the US rate caps."""

    PRISON = "prison"
    JAIL_1000_PLUS = "jail_1000_plus"
    JAIL_350_999 = "jail_350_999"
    JAIL_100_349 = "jail_100_349"
    JAIL_50_99 = "jail_50_99"
    JAIL_UNDER_50 = "jail_under_50"


class CallKind(enum.StrEnum):
    AUDIO = "audio"
    VIDEO = "video"


class Destination(enum.StrEnum):
    IN_STATE = "in_state"
    INTERSTATE = "interstate"
    INTERNATIONAL = "international"


class PlanKind(enum.StrEnum):
    CALL = "call"
    VIDEO_BUNDLE = "video_bundle"
    VIDEO_UNLIMITED = "video_unlimited"


def _enum(cls: type[enum.Enum]) -> Enum:
    return Enum(cls, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])


class Facility(Base):
    __tablename__ = "facilities"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(2))
    timezone: Mapped[str] = mapped_column(String(64))
    size_tier: Mapped[SizeTier] = mapped_column(_enum(SizeTier))
    jurisdiction: Mapped[str] = mapped_column(String(16), default="US")
    offers_subscriptions: Mapped[bool] = mapped_column(Boolean, default=False)
    offers_single_call: Mapped[bool] = mapped_column(Boolean, default=False)
    funding_fee_cents: Mapped[cents] = mapped_column(default=0)
    video_session_price_cents: Mapped[cents] = mapped_column(default=0)

    rates: Mapped[list[Rate]] = relationship(back_populates="facility", order_by="Rate.id")
    plans: Mapped[list[Plan]] = relationship(back_populates="facility", order_by="Plan.id")


class Rate(Base):
    """Per-minute price for calls of one kind and destination at one facility."""

    __tablename__ = "rates"
    __table_args__ = (UniqueConstraint("facility_id", "kind", "destination"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    facility_id: Mapped[str] = mapped_column(ForeignKey("facilities.id"), index=True)
    kind: Mapped[CallKind] = mapped_column(_enum(CallKind))
    destination: Mapped[Destination] = mapped_column(_enum(Destination))
    cents_per_minute: Mapped[cents]

    facility: Mapped[Facility] = relationship(back_populates="rates")


class Plan(Base):
    __tablename__ = "plans"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    facility_id: Mapped[str] = mapped_column(ForeignKey("facilities.id"), index=True)
    kind: Mapped[PlanKind] = mapped_column(_enum(PlanKind))
    name: Mapped[str] = mapped_column(String(200))
    price_cents: Mapped[cents]
    allotment: Mapped[int | None] = mapped_column(Integer, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    facility: Mapped[Facility] = relationship(back_populates="plans")


class Resident(Base):
    __tablename__ = "residents"
    __table_args__ = (UniqueConstraint("facility_id", "resident_number"),)

    id: Mapped[str_id]
    facility_id: Mapped[str] = mapped_column(ForeignKey("facilities.id"), index=True)
    resident_number: Mapped[str] = mapped_column(String(32))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100), index=True)
    # " first last " folded (see central.text.fold), kept in step by the listener below, so
    # a search for "lopez" or "nunez" finds López and Núñez on any database.
    search_name: Mapped[str] = mapped_column(String(210), default="")


@event.listens_for(Resident, "before_insert")
@event.listens_for(Resident, "before_update")
def _fold_resident_name(_mapper: object, _connection: object, resident: Resident) -> None:
    resident.search_name = resident_search_name(resident.first_name, resident.last_name)


def resident_search_name(first_name: str, last_name: str) -> str:
    """Padded with spaces so "starts a word" is one LIKE: '% lop%'."""
    return f" {fold(first_name)} {fold(last_name)} "


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
        _enum(ClientRole), default=ClientRole.KIOSK, server_default=ClientRole.KIOSK.value
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    enrolled_at: Mapped[utc_time]
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class EnrollmentCode(Base):
    """A one-time code an operator types into a new kiosk; only its hash is kept."""

    __tablename__ = "enrollment_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    facility_id: Mapped[str] = mapped_column(ForeignKey("facilities.id"))
    created_at: Mapped[utc_time]
    expires_at: Mapped[utc_time]
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


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


class IdempotencyRecord(Base):
    """The first response to a creating or money-moving POST, replayed on retries."""

    __tablename__ = "idempotency_records"

    scope: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[utc_time]
    completed: Mapped[bool] = mapped_column(Boolean, default=False)
    status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    response_body: Mapped[str | None] = mapped_column(Text, nullable=True)
