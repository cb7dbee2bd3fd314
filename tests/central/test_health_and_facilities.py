"""Health, facilities with plans and rates, and resident search."""

from __future__ import annotations

from fastapi.testclient import TestClient

PROBLEM = "application/problem+json"


def test_healthz_reports_database_and_clock_time(api: TestClient) -> None:
    response = api.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["time"].startswith("2026-01-15T17:00:00")


def test_facilities_need_a_kiosk_token(api: TestClient) -> None:
    response = api.get("/v1/facilities")
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["code"] == "unauthorized"
    bad = api.get("/v1/facilities", headers={"Authorization": "Bearer not-a-token"})
    assert bad.status_code == 401


def test_facility_list_covers_the_demo_cases(kiosk_api: TestClient) -> None:
    facilities = {f["id"]: f for f in kiosk_api.get("/v1/facilities").json()}
    assert len(facilities) >= 3
    assert len({f["state"] for f in facilities.values()}) >= 2
    assert any(not f["offers_subscriptions"] for f in facilities.values())
    assert any(not f["offers_single_call"] for f in facilities.values())


def test_participating_facility_lists_plans_and_rates(kiosk_api: TestClient) -> None:
    detail = kiosk_api.get("/v1/facilities/harbor-county-jail").json()
    kinds = {p["kind"] for p in detail["plans"]}
    assert kinds == {"call", "video_bundle", "video_unlimited"}
    call = next(p for p in detail["plans"] if p["kind"] == "call")
    assert call["allotment"] == 100 and isinstance(call["price_cents"], int)
    assert {(r["kind"], r["destination"]) for r in detail["rates"]} >= {
        ("audio", "in_state"), ("audio", "interstate"), ("video", "in_state")}


def test_rule1_non_participating_facility_offers_no_plans(kiosk_api: TestClient) -> None:
    detail = kiosk_api.get("/v1/facilities/pine-ridge-county-jail").json()
    assert detail["offers_subscriptions"] is False
    assert detail["plans"] == []


def test_unknown_facility_is_a_problem(kiosk_api: TestClient) -> None:
    response = kiosk_api.get("/v1/facilities/nowhere")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["code"] == "facility_unknown"


def test_resident_search_by_name_words_and_number(kiosk_api: TestClient) -> None:
    url = "/v1/facilities/harbor-county-jail/residents"
    by_last = kiosk_api.get(url, params={"q": "hern"}).json()
    assert [r["display_name"] for r in by_last] == ["Hernández, José"]
    both = kiosk_api.get(url, params={"q": "ana ló"}).json()
    assert [r["display_name"] for r in both] == ["López, Ana"]
    number = by_last[0]["resident_number"]
    by_number = kiosk_api.get(url, params={"q": number}).json()
    assert [r["id"] for r in by_number] == [by_last[0]["id"]]
    assert set(by_number[0]) == {"id", "display_name", "resident_number"}


def test_resident_search_stays_within_the_facility(kiosk_api: TestClient) -> None:
    found = kiosk_api.get("/v1/facilities/mesa-valley-detention/residents",
                          params={"q": "smith"}).json()
    assert found and all(r["id"].startswith("mesa-valley-detention:") for r in found)


def test_resident_search_treats_wildcards_literally(kiosk_api: TestClient) -> None:
    url = "/v1/facilities/harbor-county-jail/residents"
    assert kiosk_api.get(url, params={"q": "%%"}).json() == []
    assert kiosk_api.get(url, params={"q": "__"}).json() == []


def test_resident_search_needs_two_characters(kiosk_api: TestClient) -> None:
    response = kiosk_api.get("/v1/facilities/harbor-county-jail/residents", params={"q": "a"})
    assert response.status_code == 422
    assert response.json()["field"] == "q"


def test_resident_search_ignores_accents_and_case(kiosk_api: TestClient) -> None:
    """The kiosk keyboard has no accents on its letter keys by default: 'lopez' must work."""
    url = "/v1/facilities/harbor-county-jail/residents"
    for typed in ("lopez", "LÓPEZ", "ana lopez", "Lopez, Ana"):
        assert [r["display_name"] for r in kiosk_api.get(url, params={"q": typed}).json()] == [
            "López, Ana"], typed
    assert [r["display_name"] for r in kiosk_api.get(url, params={"q": "jose"}).json()] == [
        "Hernández, José"]
    assert kiosk_api.get(url, params={"q": ",,"}).json() == []
