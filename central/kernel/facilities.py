"""What a facility is and offers, shared by every capability: facilities, their residents,
per-minute rates and plans for sale, and the kinds of call and plan they are priced by
(rules 2-3, 12). Here, at the bottom, because identity, money, mail, plans and calls all
name a facility; the tables are unchanged from when they lived in plans and calls."""

from __future__ import annotations

import enum

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from central.db.base import Base, cents, enum_type, str_id
from central.kernel.text import fold


class CallKind(enum.StrEnum):
    AUDIO = "audio"
    VIDEO = "video"


class Destination(enum.StrEnum):
    IN_STATE = "in_state"
    INTERSTATE = "interstate"
    INTERNATIONAL = "international"


class SizeTier(enum.StrEnum):
    """The facility size tiers of the US rate caps."""

    PRISON = "prison"
    JAIL_1000_PLUS = "jail_1000_plus"
    JAIL_350_999 = "jail_350_999"
    JAIL_100_349 = "jail_100_349"
    JAIL_50_99 = "jail_50_99"
    JAIL_UNDER_50 = "jail_under_50"


class PlanKind(enum.StrEnum):
    CALL = "call"
    VIDEO_BUNDLE = "video_bundle"
    VIDEO_UNLIMITED = "video_unlimited"


class Facility(Base):
    __tablename__ = "facilities"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(2))
    timezone: Mapped[str] = mapped_column(String(64))
    size_tier: Mapped[SizeTier] = mapped_column(enum_type(SizeTier))
    jurisdiction: Mapped[str] = mapped_column(String(16), default="US")
    offers_subscriptions: Mapped[bool] = mapped_column(Boolean, default=False)
    offers_single_call: Mapped[bool] = mapped_column(Boolean, default=False)
    funding_fee_cents: Mapped[cents] = mapped_column(default=0)
    video_session_price_cents: Mapped[cents] = mapped_column(default=0)
    # Whether this facility's kiosks may take a typed card number (keyed entry, staff
    # assisted); off by default: cards are taken on the kiosk's reader (docs/payments.md).
    allows_keyed_entry: Mapped[bool] = mapped_column(Boolean, default=False)
    # Bumped (in SQL, +1) by every price change: a process's cache of this facility's
    # reference data (central.kernel.facility_reference) is good while it is unchanged.
    reference_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The most one family's cash visit at a kiosk may add (docs/cash.md, "The limits"): the
    # kiosk enables its note acceptor with it; at most the deposit maximum, $300 by default.
    cash_maximum_cents: Mapped[cents] = mapped_column(default=30_000)

    rates: Mapped[list[Rate]] = relationship(back_populates="facility", order_by="Rate.id")
    plans: Mapped[list[Plan]] = relationship(back_populates="facility", order_by="Plan.id")


class Rate(Base):
    """Per-minute price for calls of one kind and destination at one facility."""

    __tablename__ = "rates"
    __table_args__ = (UniqueConstraint("facility_id", "kind", "destination"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    facility_id: Mapped[str] = mapped_column(ForeignKey("facilities.id"), index=True)
    kind: Mapped[CallKind] = mapped_column(enum_type(CallKind))
    destination: Mapped[Destination] = mapped_column(enum_type(Destination))
    cents_per_minute: Mapped[cents]

    facility: Mapped[Facility] = relationship(back_populates="rates")


class Plan(Base):
    __tablename__ = "plans"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    facility_id: Mapped[str] = mapped_column(ForeignKey("facilities.id"), index=True)
    kind: Mapped[PlanKind] = mapped_column(enum_type(PlanKind))
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
    # " first last " folded (see central.kernel.text.fold), kept in step by the listener below, so
    # a search for "lopez" or "nunez" finds López and Núñez on any database.
    search_name: Mapped[str] = mapped_column(String(210), default="")


@event.listens_for(Resident, "before_insert")
@event.listens_for(Resident, "before_update")
def _fold_resident_name(_mapper: object, _connection: object, resident: Resident) -> None:
    resident.search_name = resident_search_name(resident.first_name, resident.last_name)


def resident_search_name(first_name: str, last_name: str) -> str:
    """Padded with spaces so "starts a word" is one LIKE: '% lop%'."""
    return f" {fold(first_name)} {fold(last_name)} "
