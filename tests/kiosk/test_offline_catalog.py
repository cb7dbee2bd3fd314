"""A family who starts while the network is down still finds their loved one: facilities
and each facility's resident directory are cached while online and searched offline with
the server's own rules."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.capabilities.access import KioskAccess
from kiosk.capabilities.catalog import Catalog, directory_entry
from kiosk.requests import LoadFacilities, SearchResidents
from kiosk.store import LocalStore
from services.central_client import CentralClient, CentralUnreachable
from services.vault import VolatileVault
from tests.support import LiveServer, enroll_kiosk, free_port


class SteppedClock:
    def __init__(self) -> None:
        self.moment = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.moment


@pytest.fixture
def clock() -> SteppedClock:
    return SteppedClock()


@pytest.fixture
def store(tmp_path: Path, clock: SteppedClock) -> Iterator[LocalStore]:
    local = LocalStore(tmp_path / "kiosk.sqlite3", clock)
    yield local
    local.close()


def _catalog(url: str, token: str, store: LocalStore) -> tuple[Catalog, CentralClient]:
    client = CentralClient(url, token, timeout=2, post_attempts=1)
    return Catalog(client, store, KioskAccess(client, store, VolatileVault(), "", "t")), client


def test_offline_search_answers_from_the_cached_directory(
    live_server: LiveServer, store: LocalStore, clock: SteppedClock
) -> None:
    catalog, client = _catalog(live_server.url, enroll_kiosk(live_server.app), store)
    facilities = catalog.facilities(LoadFacilities()).value
    assert all(store.catalog_fetched_at(directory_entry(f.id)) for f in facilities)
    online = catalog.residents(SearchResidents("harbor-county-jail", "lopez"))
    assert online.online and online.value

    client.base_url = f"http://127.0.0.1:{free_port()}"  # the network goes away
    offline = catalog.residents(SearchResidents("harbor-county-jail", "lopez"))
    assert not offline.online
    assert offline.value == online.value
    by_number = catalog.residents(SearchResidents("harbor-county-jail",
                                                  online.value[0].resident_number))
    assert by_number.value == [online.value[0]]
    cached = catalog.facilities(LoadFacilities())
    assert not cached.online and cached.value == facilities


def test_a_fresh_directory_is_not_fetched_again_and_a_stale_one_is(
    live_server: LiveServer, store: LocalStore, clock: SteppedClock
) -> None:
    catalog, _client = _catalog(live_server.url, enroll_kiosk(live_server.app), store)
    catalog.facilities(LoadFacilities())
    entry = directory_entry("harbor-county-jail")
    first = store.catalog_fetched_at(entry)
    clock.moment += timedelta(minutes=30)
    catalog.facilities(LoadFacilities())
    assert store.catalog_fetched_at(entry) == first
    clock.moment += timedelta(minutes=31)
    catalog.facilities(LoadFacilities())
    assert store.catalog_fetched_at(entry) == clock.moment


def test_without_a_cached_directory_offline_search_says_offline(store: LocalStore) -> None:
    catalog, _client = _catalog(f"http://127.0.0.1:{free_port()}", "token", store)
    with pytest.raises(CentralUnreachable):
        catalog.residents(SearchResidents("harbor-county-jail", "lopez"))
