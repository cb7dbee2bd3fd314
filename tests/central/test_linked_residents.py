"""Another loved one on an existing account: POST /v1/accounts/{id}/residents links a
resident at a facility for the signed-in family, idempotently, up to a maximum."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from central.identity.accounts import MAX_LINKED_RESIDENTS
from tests.central.family_support import PROBLEM, Family, new_key, open_family


def _link(family: Family, resident_id: str, facility_id: str = "harbor-county-jail",
          key: str | None = None) -> Any:
    return family.post("/residents", {"facility_id": facility_id, "resident_id": resident_id},
                       key or new_key("link"))


def test_a_second_loved_one_is_linked_and_shown_on_the_account(family: Family) -> None:
    response = _link(family, "desert-springs-prison:007", "desert-springs-prison")
    assert response.status_code == 201, response.text
    linked = response.json()["linked_residents"]
    assert linked == [
        {"facility_id": "harbor-county-jail", "resident_id": "harbor-county-jail:001",
         "display_name": "Hernández, José"},
        {"facility_id": "desert-springs-prison", "resident_id": "desert-springs-prison:007",
         "display_name": "López, Ana"},
    ]
    detail = family.get().json()
    assert [r["resident_id"] for r in detail["linked_residents"]] == [
        "harbor-county-jail:001", "desert-springs-prison:007"]


def test_a_retry_with_the_same_key_replays_and_links_once(family: Family) -> None:
    first = _link(family, "harbor-county-jail:002", key="link-same")
    again = _link(family, "harbor-county-jail:002", key="link-same")
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(family.get().json()["linked_residents"]) == 2
    other = _link(family, "harbor-county-jail:003", key="link-same")
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"


def test_unknown_resident_or_facility_is_404_with_the_field(family: Family) -> None:
    for facility, resident, code, field in (
        ("harbor-county-jail", "harbor-county-jail:999", "resident_unknown", "resident_id"),
        # A real resident, but of another facility than the one named.
        ("harbor-county-jail", "desert-springs-prison:002", "resident_unknown", "resident_id"),
        ("nowhere", "harbor-county-jail:002", "facility_unknown", "facility_id"),
    ):
        response = _link(family, resident, facility)
        assert response.status_code == 404, response.text
        assert response.headers["content-type"] == PROBLEM
        body = response.json()
        assert (body["code"], body["field"]) == (code, field)
    assert len(family.get().json()["linked_residents"]) == 1


def test_already_linked_is_409(family: Family) -> None:
    response = _link(family, "harbor-county-jail:001")
    assert response.status_code == 409
    assert response.json()["code"] == "resident_already_linked"


def test_an_account_links_at_most_the_maximum(family: Family) -> None:
    for number in range(2, MAX_LINKED_RESIDENTS + 1):
        assert _link(family, f"harbor-county-jail:{number:03d}").status_code == 201
    over = _link(family, f"harbor-county-jail:{MAX_LINKED_RESIDENTS + 1:03d}")
    assert over.status_code == 409
    assert over.json()["code"] == "too_many_residents"
    assert len(family.get().json()["linked_residents"]) == MAX_LINKED_RESIDENTS


def test_bad_input_is_422(family: Family) -> None:
    for body in ({"resident_id": "harbor-county-jail:002"},
                 {"facility_id": "harbor-county-jail", "resident_id": ""},
                 {"facility_id": "harbor-county-jail", "resident_id": "harbor-county-jail:002",
                  "extra": 1}):
        response = family.post("/residents", body, new_key("bad"))
        assert response.status_code == 422, body
        assert response.headers["content-type"] == PROBLEM
    missing_key = family.post("/residents", {"facility_id": "harbor-county-jail",
                                             "resident_id": "harbor-county-jail:002"})
    assert missing_key.status_code == 422


def test_only_the_signed_in_family_may_link_to_its_account(
    family: Family, kiosk_api: TestClient
) -> None:
    other = open_family(kiosk_api, phone="(713) 555-0199")
    response = kiosk_api.post(
        family.url("/residents"), headers={**other.headers, "Idempotency-Key": "x-1"},
        json={"facility_id": "harbor-county-jail", "resident_id": "harbor-county-jail:002"})
    assert response.status_code == 403
    assert response.json()["code"] == "not_your_account"
    signed_out = kiosk_api.post(
        family.url("/residents"), headers={"Idempotency-Key": "x-2"},
        json={"facility_id": "harbor-county-jail", "resident_id": "harbor-county-jail:002"})
    assert signed_out.status_code == 401
    assert len(family.get().json()["linked_residents"]) == 1
