"""Facilities (cached for offline sign-ups) and the search for a loved one."""

from __future__ import annotations

from dataclasses import asdict

from kiosk.capabilities import Outcome
from kiosk.capabilities.access import KioskAccess
from kiosk.domain import FacilitySummary, ResidentMatch
from kiosk.requests import LoadFacilities, SearchResidents
from kiosk.store import LocalStore
from services.central_client import CentralClient, CentralUnreachable


class Catalog:
    def __init__(self, client: CentralClient, store: LocalStore, access: KioskAccess) -> None:
        self._client = client
        self._store = store
        self._access = access

    def facilities(self, _request: LoadFacilities) -> Outcome[list[FacilitySummary]]:
        self._access.ensure()
        try:
            facilities = self._client.facilities()
        except CentralUnreachable:
            cached = self._store.load_catalog("facilities")
            if cached is None:
                raise
            return Outcome([FacilitySummary(**item) for item in cached], online=False)
        self._store.save_catalog("facilities", [asdict(f) for f in facilities])
        return Outcome(facilities)

    def residents(self, request: SearchResidents) -> Outcome[list[ResidentMatch]]:
        self._access.ensure()
        return Outcome(self._client.search_residents(request.facility_id, request.query))
