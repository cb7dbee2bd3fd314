"""Facilities and each facility's resident directory, cached so that a family who starts
while the network is down can still find their loved one (docs/offline.md)."""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import timedelta

from kiosk.capabilities import Outcome
from kiosk.capabilities.access import KioskAccess
from kiosk.domain import FacilitySummary, ResidentMatch
from kiosk.requests import LoadFacilities, SearchResidents
from kiosk.residents import search_directory
from kiosk.store import LocalStore
from services.central_client import CentralClient, CentralError, CentralUnreachable

log = logging.getLogger(__name__)

# Residents come and go daily; an hour-old directory is fresh enough to find a loved one.
DIRECTORY_MAX_AGE = timedelta(hours=1)


def directory_entry(facility_id: str) -> str:
    return f"residents:{facility_id}"


class Catalog:
    def __init__(self, client: CentralClient, store: LocalStore, access: KioskAccess) -> None:
        self._client = client
        self._store = store
        self._access = access

    def facilities(self, _request: LoadFacilities) -> Outcome[list[FacilitySummary]]:
        try:
            # Inside the try: enrolling (or confirming it) needs the network too.
            self._access.ensure()
            facilities = self._client.facilities()
        except CentralUnreachable:
            cached = self._store.load_catalog("facilities")
            if cached is None:
                raise
            return Outcome([FacilitySummary(**item) for item in cached], online=False)
        self._store.save_catalog("facilities", [asdict(f) for f in facilities])
        self._refresh_directories(facilities)
        return Outcome(facilities)

    def residents(self, request: SearchResidents) -> Outcome[list[ResidentMatch]]:
        try:
            self._access.ensure()
            return Outcome(self._client.search_residents(request.facility_id, request.query))
        except CentralUnreachable:
            cached = self._store.load_catalog(directory_entry(request.facility_id))
            if cached is None:
                raise
            directory = [ResidentMatch(**entry) for entry in cached]
            return Outcome(search_directory(directory, request.query), online=False)

    def _refresh_directories(self, facilities: list[FacilitySummary]) -> None:
        """Fetch the directories older than ``DIRECTORY_MAX_AGE``; a failure keeps the old."""
        now = self._store.clock.now()
        for facility in facilities:
            name = directory_entry(facility.id)
            fetched = self._store.catalog_fetched_at(name)
            if fetched is not None and now - fetched < DIRECTORY_MAX_AGE:
                continue
            try:
                directory = self._client.resident_directory(facility.id)
            except CentralError as exc:
                log.info("resident directory of %s not refreshed: %s", facility.id, exc.code)
                continue
            self._store.save_catalog(name, [asdict(r) for r in directory])
