"""A queued link the server refused (docs/offline.md, "A loved one added offline"): the kiosk
reports it and the family is written to at their account's own address, once; a report for
an account that no longer holds the phone writes to nobody."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from central.mail.models import OutgoingMail
from tests.central.family_support import PROBLEM, Family, new_key, open_family


def report_body(family: Family, **changes: Any) -> dict[str, Any]:
    return {"reason": "pin_incorrect", "account_id": family.account_id,
            "phone": "(713) 555-0142", "facility_id": "desert-springs-prison",
            "resident_name": "Williams, Darnell", "requested_at": "2026-11-20T15:30:00Z",
            **changes}


def report(api: TestClient, body: dict[str, Any], key: str | None = None) -> Any:
    return api.post("/v1/kiosks/link-conflicts", json=body,
                    headers={"Idempotency-Key": key or new_key("link-conflict")})


def letters(app: FastAPI) -> list[str]:
    with app.state.services.db.transaction() as session:
        return list(session.execute(
            select(OutgoingMail.recipient).where(OutgoingMail.kind == "link_conflict_notice")
        ).scalars())


def test_a_report_queues_one_letter_to_the_accounts_own_address(
    kiosk_api: TestClient, app: FastAPI
) -> None:
    family = open_family(kiosk_api)
    key = new_key("link-conflict")
    first = report(kiosk_api, report_body(family), key)
    assert first.status_code == 201, first.text
    assert (first.json()["account_id"], first.json()["reason"]) == (family.account_id,
                                                                    "pin_incorrect")
    again = report(kiosk_api, report_body(family), key)
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert letters(app) == ["rosa.martinez@example.org"]


def test_no_letter_when_the_account_does_not_hold_the_phone(kiosk_api: TestClient,
                                                            app: FastAPI) -> None:
    family = open_family(kiosk_api)
    for body in (report_body(family, phone="(713) 555-0199"),
                 report_body(family, account_id="no-such-account")):
        response = report(kiosk_api, body)
        assert response.status_code == 409 and response.headers["content-type"] == PROBLEM
        assert (response.json()["code"], response.json()["field"]) == (
            "phone_not_registered", "phone")
    assert letters(app) == []


def test_bad_reports_are_refused_with_the_field(kiosk_api: TestClient) -> None:
    family = open_family(kiosk_api)
    for field, value in [("reason", "other"), ("resident_name", "Ana\nBcc: x@example.org"),
                         ("requested_at", 5), ("phone", "not a phone")]:
        response = report(kiosk_api, report_body(family, **{field: value}))
        assert response.status_code == 422, (field, response.text)
        assert response.json()["field"] == field
    pin = report(kiosk_api, {**report_body(family), "pin": "4826"})
    assert pin.status_code == 422  # a PIN has no place in a report
