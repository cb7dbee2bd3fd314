"""The kiosk's offline resident search answers as the server's search does: same folding
of accents and case, same word-prefix rule, same order and limit."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from central.kernel.text import fold as server_fold
from kiosk.domain import ResidentMatch
from kiosk.residents import SEARCH_LIMIT, fold, search_directory
from services.central_client import CentralClient
from tests.support import LiveServer, enroll_kiosk

QUERIES = ["lopez", "LÓPEZ", "lóp", "ana lop", "lop ana", "garcía", "GARCIA M", "ma", "an",
           "100007", "harbor", "ez", "o'", "  rivera  ", "x", "zzz", "100", "Núñez"]


@given(st.text(max_size=40))
def test_kiosk_folds_text_as_the_server_does(text: str) -> None:
    assert fold(text) == server_fold(text)


@pytest.mark.parametrize("facility", ["harbor-county-jail", "mesa-valley-detention"])
def test_directory_search_matches_the_server_search(
    live_server: LiveServer, facility: str
) -> None:
    client = CentralClient(live_server.url, enroll_kiosk(live_server.app), timeout=5)
    directory = client.resident_directory(facility)
    assert directory, "the demo data has residents here"
    for query in QUERIES:
        if len(query.strip()) < 2:
            assert search_directory(directory, query) == []
            continue
        assert search_directory(directory, query) == client.search_residents(facility, query), (
            query)


def test_directory_search_stops_at_the_servers_limit() -> None:
    directory = [ResidentMatch(f"r{i}", f"Garza, Ana {i}", f"{i:06d}") for i in range(50)]
    assert len(search_directory(directory, "garza")) == SEARCH_LIMIT
    assert search_directory(directory, "000007") == [directory[7]]


def test_the_directory_needs_a_kiosk(api: TestClient) -> None:
    answer = api.get("/v1/facilities/harbor-county-jail/resident-directory")
    assert answer.status_code == 401
    assert answer.headers["content-type"].startswith("application/problem+json")


def test_the_directory_has_names_and_numbers_only(kiosk_api: TestClient) -> None:
    missing = kiosk_api.get("/v1/facilities/nowhere/resident-directory")
    assert missing.status_code == 404 and missing.json()["code"] == "facility_unknown"
    body = kiosk_api.get("/v1/facilities/harbor-county-jail/resident-directory").json()
    assert set(body) == {"facility_id", "generated_at", "residents"}
    assert all(set(r) == {"id", "display_name", "resident_number"} for r in body["residents"])
