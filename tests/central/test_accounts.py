"""Account creation: validation as problem+json, 409 on a known phone, idempotent retries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from central.identity.models import Account, Kiosk
from central.identity.schemas import AccountIn
from central.identity.security import verify_pin
from central.kernel.idempotency import IdempotencyRecord, fingerprint

PROBLEM = "application/problem+json"


def registration(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "first_name": "Rosa",
        "last_name": "Martínez",
        "phone": "(713) 555-0142",
        "email": "rosa.martinez@example.org",
        "address": {"line1": "1200 Main St", "line2": "Apt 4", "city": "Houston",
                    "state": "tx", "postal_code": "77002"},
        "pin": "4826",
        "language": "es",
        "facility_id": "harbor-county-jail",
        "resident_id": "harbor-county-jail:001",
    }
    body.update(changes)
    return body


def post(api: TestClient, body: dict[str, Any], key: str = "reg-1") -> Any:
    return api.post("/v1/accounts", json=body, headers={"Idempotency-Key": key})


def test_account_is_created_normalised_and_linked(kiosk_api: TestClient, app: FastAPI) -> None:
    response = post(kiosk_api, registration())
    assert response.status_code == 201, response.text
    account = response.json()
    assert account["phone"] == "+17135550142"
    assert account["language"] == "es"
    assert account["linked_residents"] == [
        {"facility_id": "harbor-county-jail", "resident_id": "harbor-county-jail:001",
         "display_name": "Hernández, José"}]
    assert "pin" not in account and "pin_hash" not in account
    with app.state.services.db.transaction() as session:
        row = session.get(Account, account["id"])
        assert row is not None and row.state == "TX" and row.city == "Houston"
        assert row.pin_hash != "4826" and verify_pin(row.pin_hash, "4826")


def test_known_phone_is_409_with_field(kiosk_api: TestClient) -> None:
    assert post(kiosk_api, registration()).status_code == 201
    again = post(kiosk_api, registration(first_name="Other", phone="+1 713 555 0142"), "reg-2")
    assert again.status_code == 409
    assert again.headers["content-type"] == PROBLEM
    assert again.json()["code"] == "phone_registered"
    assert again.json()["field"] == "phone"


def test_replay_returns_first_answer_and_creates_once(kiosk_api: TestClient, app: FastAPI) -> None:
    first = post(kiosk_api, registration())
    second = post(kiosk_api, registration())
    assert second.status_code == 201
    assert second.json() == first.json()
    assert second.headers.get("Idempotent-Replayed") == "true"
    with app.state.services.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Account)) == 1


def test_same_key_other_body_is_422(kiosk_api: TestClient) -> None:
    assert post(kiosk_api, registration()).status_code == 201
    other = post(kiosk_api, registration(email="someone@example.org"))
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"


def test_failed_request_frees_the_key(kiosk_api: TestClient, app: FastAPI) -> None:
    bad = post(kiosk_api, registration(resident_id="harbor-county-jail:999"))
    assert bad.status_code == 422 and bad.json()["code"] == "resident_unknown"
    with app.state.services.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(IdempotencyRecord)) == 0
    assert post(kiosk_api, registration()).status_code == 201


def _claim_without_answer(app: FastAPI, key: str, age_seconds: int) -> None:
    """Leave a claimed key with no stored answer, as a worker that is still busy (or died)."""
    services = app.state.services
    body = registration()
    body["phone"] = "+17135550142"
    body["address"]["state"] = "TX"
    with services.db.transaction() as session:
        kiosk = session.execute(select(Kiosk)).scalar_one()
        session.add(IdempotencyRecord(
            scope=f"kiosk:{kiosk.id}", key=key,
            request_hash=fingerprint("POST /v1/accounts", AccountIn(**body).model_dump(
                exclude={"pin"})),
            created_at=services.clock.now() - timedelta(seconds=age_seconds),
        ))


def test_key_still_in_flight_is_409(kiosk_api: TestClient, app: FastAPI) -> None:
    _claim_without_answer(app, "busy", age_seconds=1)
    response = post(kiosk_api, registration(), key="busy")
    assert response.status_code == 409
    assert response.json()["code"] == "request_in_flight"
    assert response.headers["Retry-After"] == "2"


def test_abandoned_claim_is_taken_over(kiosk_api: TestClient, app: FastAPI) -> None:
    _claim_without_answer(app, "crashed", age_seconds=120)
    assert post(kiosk_api, registration(), key="crashed").status_code == 201


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"phone": "555"}, "phone", "phone_invalid"),
        ({"phone": "+1 202 000 0000"}, "phone", "phone_invalid"),
        ({"email": "rosa@"}, "email", "email_invalid"),
        ({"pin": "12a4"}, "pin", "pin_invalid"),
        ({"pin": "123"}, "pin", "pin_invalid"),
        ({"first_name": "   "}, "first_name", "invalid_input"),
        ({"language": "fr"}, "language", "invalid_input"),
        ({"facility_id": "nowhere"}, "facility_id", "facility_unknown"),
        ({"resident_id": "mesa-valley-detention:001"}, "resident_id", "resident_unknown"),
    ],
)
def test_bad_input_names_the_field(
    kiosk_api: TestClient, change: dict[str, Any], field: str, code: str
) -> None:
    response = post(kiosk_api, registration(**change))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["field"] == field
    assert response.json()["code"] == code


@pytest.mark.parametrize(
    ("address_change", "field", "code"),
    [({"state": "XX"}, "address.state", "state_invalid"),
     ({"postal_code": "7700"}, "address.postal_code", "postal_code_invalid")],
)
def test_bad_address_names_the_field(
    kiosk_api: TestClient, address_change: dict[str, str], field: str, code: str
) -> None:
    body = registration()
    body["address"].update(address_change)
    response = post(kiosk_api, body)
    assert response.status_code == 422
    assert (response.json()["field"], response.json()["code"]) == (field, code)


def test_malformed_json_is_a_400_problem(kiosk_api: TestClient) -> None:
    response = kiosk_api.post(
        "/v1/accounts", content=b"{not json",
        headers={"Idempotency-Key": "k", "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["code"] == "malformed_json"


def test_missing_idempotency_key_is_rejected(kiosk_api: TestClient) -> None:
    response = kiosk_api.post("/v1/accounts", json=registration())
    assert response.status_code == 422
    assert response.json()["field"] == "Idempotency-Key"


def test_account_creation_needs_a_kiosk(api: TestClient) -> None:
    response = post(api, registration())
    assert response.status_code == 401
