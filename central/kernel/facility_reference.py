"""What a call's authorization and rating read of its facility (the row's rules and its
rates), cached per facility in each process under the facility's ``reference_version``
(docs/performance.md, "The per-facility cache").

Every price change bumps the stamp in SQL (``reference_version + 1``, in the transaction
that changes the prices: :func:`bump`), and every look-up reads the stamp in the caller's
transaction: one query by primary key instead of the facility's row and its rate. A process
that cached an older stamp loads the facility again, so a price change is seen at once by
every process, as if nothing were cached.

The cached data is read after the stamp it is stored under (row first, then rates), so
it is never older than its stamp: a change committed between the two reads makes the entry
newer than its stamp, and the next look-up loads it again.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from central.kernel.facilities import CallKind, Destination, Facility, Rate, SizeTier


@dataclass(frozen=True)
class FacilityReference:
    """A facility's reference data, detached from any session."""

    id: str
    jurisdiction: str
    size_tier: SizeTier
    offers_single_call: bool
    version: int
    rates: Mapping[tuple[CallKind, Destination], int]

    def rate(self, kind: CallKind, destination: Destination) -> int | None:
        """The facility's own per-minute price (before any cap), None without one."""
        return self.rates.get((kind, destination))


class FacilityReferenceCache:
    """One process's cache: an entry per database and facility, good while the facility's
    stamp is unchanged. (Per database: stamps of two databases say nothing of each other,
    and a test process opens many.)"""

    def __init__(self) -> None:
        self._by_database: weakref.WeakKeyDictionary[object, dict[str, FacilityReference]] = (
            weakref.WeakKeyDictionary())
        self._lock = threading.Lock()
        self.loads = 0  # how many times a facility was read in full (for tests)

    def get(self, session: Session, facility_id: str) -> FacilityReference | None:
        """The facility's reference data as of the caller's transaction; None if there is
        no such facility."""
        version = session.execute(select(Facility.reference_version)
                                  .where(Facility.id == facility_id)).scalar_one_or_none()
        if version is None:
            return None
        database = session.get_bind()
        entries = self._by_database.get(database)
        cached = entries.get(facility_id) if entries is not None else None
        if cached is not None and cached.version == version:
            return cached
        loaded = _load(session, facility_id)
        if loaded is None:
            return None
        with self._lock:
            self.loads += 1
            entries = self._by_database.setdefault(database, {})
            known = entries.get(facility_id)
            if known is None or known.version <= loaded.version:
                entries[facility_id] = loaded
        return loaded


def _load(session: Session, facility_id: str) -> FacilityReference | None:
    row = session.execute(select(
        Facility.id, Facility.jurisdiction, Facility.size_tier, Facility.offers_single_call,
        Facility.reference_version).where(Facility.id == facility_id)).one_or_none()
    if row is None:
        return None
    rates = {(r.kind, r.destination): r.cents_per_minute for r in session.execute(
        select(Rate.kind, Rate.destination, Rate.cents_per_minute)
        .where(Rate.facility_id == facility_id))}
    return FacilityReference(row.id, row.jurisdiction, row.size_tier, row.offers_single_call,
                             row.reference_version, rates)


def bump(facility: Facility) -> None:
    """Mark a change of what is cached (a price change), in the caller's transaction: the
    stamp goes up by one in SQL, so two changes at once both count."""
    facility.reference_version = Facility.reference_version + 1


# The process's cache (the API server's threads and the CLI share it).
FACILITY_REFERENCE = FacilityReferenceCache()
