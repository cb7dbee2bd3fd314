"""Facilities with their plans and rates, and resident search (minimal fields)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import Session, selectinload

from central.api.deps import KioskAuth, Services
from central.identity.accounts import resident_display_name
from central.plans.models import Facility, Plan, Resident
from central.plans.schemas import (
    FacilityDetail,
    FacilityOut,
    PlanOut,
    RateOut,
    ResidentDirectoryOut,
    ResidentOut,
)
from central.problems import ProblemError, problems
from central.text import fold

router = APIRouter(prefix="/v1/facilities", tags=["facilities"])

SEARCH_LIMIT = 20


def _summary(facility: Facility) -> FacilityOut:
    return FacilityOut(
        id=facility.id,
        name=facility.name,
        state=facility.state,
        timezone=facility.timezone,
        size_tier=facility.size_tier,
        offers_subscriptions=facility.offers_subscriptions,
        offers_single_call=facility.offers_single_call,
    )


@router.get("", response_model=list[FacilityOut], responses=problems(401))
def list_facilities(services: Services, _kiosk: KioskAuth) -> list[FacilityOut]:
    with services.db.read() as session:
        facilities = session.execute(select(Facility).order_by(Facility.name)).scalars()
        return [_summary(f) for f in facilities]


@router.get("/{facility_id}", response_model=FacilityDetail, responses=problems(401, 404))
def get_facility(facility_id: str, services: Services, _kiosk: KioskAuth) -> FacilityDetail:
    with services.db.read() as session:
        return facility_detail(session, facility_id)


def facility_detail(session: Session, facility_id: str) -> FacilityDetail:
    facility = session.execute(
        select(Facility)
        .where(Facility.id == facility_id)
        .options(selectinload(Facility.rates), selectinload(Facility.plans))
    ).scalar_one_or_none()
    if facility is None:
        raise facility_not_found(facility_id)
    # Rule 1: plans exist only where the facility participates.
    plans: list[Plan] = (
        [p for p in facility.plans if p.active] if facility.offers_subscriptions else []
    )
    return FacilityDetail(
        **_summary(facility).model_dump(),
        funding_fee_cents=facility.funding_fee_cents,
        video_session_price_cents=facility.video_session_price_cents,
        rates=[
            RateOut(kind=r.kind, destination=r.destination, cents_per_minute=r.cents_per_minute)
            for r in facility.rates
        ],
        plans=[
            PlanOut(
                id=p.id, kind=p.kind, name=p.name, price_cents=p.price_cents,
                allotment=p.allotment,
            )
            for p in plans
        ],
    )


@router.get(
    "/{facility_id}/residents",
    response_model=list[ResidentOut],
    responses=problems(401, 404, 422),
)
def search_residents(
    facility_id: str,
    services: Services,
    _kiosk: KioskAuth,
    q: Annotated[str, Query(min_length=2, max_length=64, description="Name or resident ID")],
) -> list[ResidentOut]:
    number = q.strip().lower()
    words = fold(q).split()
    with services.db.read() as session:
        if session.get(Facility, facility_id) is None:
            raise facility_not_found(facility_id)
        # Every word must start a word of the name: "ana lop" finds López, Ana.
        name_match = [
            Resident.search_name.contains(f" {word}", autoescape=True) for word in words
        ]
        residents = session.execute(
            select(Resident)
            .where(Resident.facility_id == facility_id)
            .where(or_(func.lower(Resident.resident_number) == number,
                       and_(*name_match) if name_match else false()))
            .order_by(Resident.last_name, Resident.first_name)
            .limit(SEARCH_LIMIT)
        ).scalars()
        return [
            ResidentOut(id=r.id, display_name=resident_display_name(r),
                        resident_number=r.resident_number)
            for r in residents
        ]


@router.get(
    "/{facility_id}/resident-directory",
    response_model=ResidentDirectoryOut,
    responses=problems(401, 404),
)
def resident_directory(
    facility_id: str, services: Services, _kiosk: KioskAuth
) -> ResidentDirectoryOut:
    """Every resident of the facility with only what the search shows, in the search's
    order, so a kiosk can find a loved one while the network is down (docs/offline.md)."""
    with services.db.read() as session:
        if session.get(Facility, facility_id) is None:
            raise facility_not_found(facility_id)
        residents = session.execute(
            select(Resident)
            .where(Resident.facility_id == facility_id)
            .order_by(Resident.last_name, Resident.first_name)
        ).scalars()
        return ResidentDirectoryOut(
            facility_id=facility_id,
            generated_at=services.clock.now(),
            residents=[
                ResidentOut(id=r.id, display_name=resident_display_name(r),
                            resident_number=r.resident_number)
                for r in residents
            ],
        )


def facility_not_found(facility_id: str) -> ProblemError:
    return ProblemError(404, "facility_unknown", "No such facility", f"Facility {facility_id!r}")
