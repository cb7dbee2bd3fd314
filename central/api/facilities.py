"""Facilities with their plans and rates, and resident search (minimal fields)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import TypeAdapter
from sqlalchemy import and_, false, func, or_, select

from central.api.deps import KioskAuth, RequestLanguage, Services, json_answer
from central.identity.accounts import resident_display_name
from central.kernel.facilities import Facility, Resident
from central.kernel.problems import problems
from central.kernel.text import fold
from central.mail.notifications import SOURCE_LANGUAGE
from central.plans.pricing import facility_detail, facility_not_found
from central.plans.schemas import (
    FacilityDetail,
    FacilityOut,
    ResidentDirectoryOut,
    ResidentOut,
)

router = APIRouter(prefix="/v1/facilities", tags=["facilities"])

SEARCH_LIMIT = 20
_FACILITIES = TypeAdapter(list[FacilityOut])
_RESIDENTS = TypeAdapter(list[ResidentOut])


@router.get("", response_model=list[FacilityOut], responses=problems(401))
def list_facilities(services: Services, _kiosk: KioskAuth) -> Response:
    with services.db.read() as session:
        facilities = session.execute(select(Facility).order_by(Facility.name)).scalars()
        return json_answer(_FACILITIES, [FacilityOut.of(f) for f in facilities])


@router.get("/{facility_id}", response_model=FacilityDetail, responses=problems(401, 404))
def get_facility(facility_id: str, services: Services, _kiosk: KioskAuth,
                 language: RequestLanguage) -> FacilityDetail:
    """The facility's rates and plans; plan names in the Accept-Language's language."""
    with services.db.read() as session:
        return facility_detail(session, facility_id, language or SOURCE_LANGUAGE)


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
) -> Response:
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
        return json_answer(_RESIDENTS, [
            ResidentOut(id=r.id, display_name=resident_display_name(r),
                        resident_number=r.resident_number)
            for r in residents
        ])


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
