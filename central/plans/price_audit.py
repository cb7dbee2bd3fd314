"""Who changed a facility's prices, when, from which kiosk, and what they were before and
after: one row per accepted change, written in the same transaction as the change."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from central.db.base import Base, utc_time
from central.kernel.facilities import CallKind, Destination, Facility, PlanKind


class PriceChange(Base):
    __tablename__ = "price_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    facility_id: Mapped[str] = mapped_column(ForeignKey("facilities.id"), index=True)
    staff_id: Mapped[str] = mapped_column(ForeignKey("staff_members.id"))
    # Copied, so the record still reads right if the staff member is renamed.
    staff_name: Mapped[str] = mapped_column(String(100))
    kiosk_id: Mapped[str] = mapped_column(ForeignKey("kiosks.id"))
    changed_at: Mapped[utc_time]
    before: Mapped[str] = mapped_column(Text)  # PricingSnapshot as JSON
    after: Mapped[str] = mapped_column(Text)


class RateSnapshot(BaseModel):
    kind: CallKind
    destination: Destination
    cents_per_minute: int


class PlanSnapshot(BaseModel):
    id: str
    kind: PlanKind
    name: str
    price_cents: int
    allotment: int | None
    active: bool


class PricingSnapshot(BaseModel):
    """Everything a price change can touch, inactive plans included."""

    funding_fee_cents: int
    video_session_price_cents: int
    offers_subscriptions: bool
    offers_single_call: bool
    rates: list[RateSnapshot]
    plans: list[PlanSnapshot]
    # Changes recorded before the facility had its own cash maximum were all at $300.
    cash_maximum_cents: int = 30_000


class PriceChangeOut(BaseModel):
    id: int
    facility_id: str
    staff_id: str
    staff_name: str
    kiosk_id: str
    changed_at: datetime
    before: PricingSnapshot
    after: PricingSnapshot


def snapshot(facility: Facility) -> PricingSnapshot:
    return PricingSnapshot(
        funding_fee_cents=facility.funding_fee_cents,
        video_session_price_cents=facility.video_session_price_cents,
        offers_subscriptions=facility.offers_subscriptions,
        offers_single_call=facility.offers_single_call,
        cash_maximum_cents=facility.cash_maximum_cents,
        rates=sorted(
            (RateSnapshot(kind=r.kind, destination=r.destination,
                          cents_per_minute=r.cents_per_minute) for r in facility.rates),
            key=lambda r: (r.kind.value, r.destination.value),
        ),
        plans=sorted(
            (PlanSnapshot(id=p.id, kind=p.kind, name=p.name, price_cents=p.price_cents,
                          allotment=p.allotment, active=p.active) for p in facility.plans),
            key=lambda p: p.id,
        ),
    )


def record_price_change(
    session: Session, facility_id: str, staff_id: str, staff_name: str, kiosk_id: str,
    before: PricingSnapshot, after: PricingSnapshot, now: datetime,
) -> None:
    session.add(PriceChange(
        facility_id=facility_id, staff_id=staff_id, staff_name=staff_name, kiosk_id=kiosk_id,
        changed_at=now, before=before.model_dump_json(), after=after.model_dump_json(),
    ))


def price_changes(session: Session, facility_id: str, limit: int) -> list[PriceChangeOut]:
    """The newest ``limit`` changes of a facility's prices, newest first."""
    rows = session.execute(
        select(PriceChange).where(PriceChange.facility_id == facility_id)
        .order_by(PriceChange.changed_at.desc(), PriceChange.id.desc()).limit(limit)
    ).scalars()
    return [
        PriceChangeOut(
            id=row.id, facility_id=row.facility_id, staff_id=row.staff_id,
            staff_name=row.staff_name, kiosk_id=row.kiosk_id, changed_at=row.changed_at,
            before=PricingSnapshot.model_validate_json(row.before),
            after=PricingSnapshot.model_validate_json(row.after),
        )
        for row in rows
    ]
