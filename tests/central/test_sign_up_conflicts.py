"""Honest conflicts (docs/offline.md, "Conflicts"): a kiosk reports an offline sign-up the
server refused because the phone has an account; the family gets a letter at the address
they gave, in their language, over real SMTP on loopback, and staff list and resolve it."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from central.identity.auth import add_staff_member
from central.identity.models import StaffRole
from central.mail.mailer import SmtpMailer
from central.mail.outbox import deliver_pending
from tests.central.family_support import PROBLEM, new_key, open_family
from tests.support import CollectingHandler

PHONE_E164 = "+17135550142"  # open_family's default phone


def conflict(**changes: Any) -> dict[str, Any]:
    return {"reason": "phone_registered", "first_name": "Ana", "phone": "(713) 555-0142",
            "email": "ana.lopez@example.org", "language": "es",
            "signed_up_at": "2026-11-20T15:30:00Z", **changes}


def report(api: TestClient, body: dict[str, Any], key: str | None = None) -> Any:
    return api.post("/v1/kiosks/sign-up-conflicts", json=body,
                    headers={"Idempotency-Key": key or new_key("conflict")})


def test_a_reported_conflict_writes_to_the_family_in_their_language_and_says_nothing_else(
    kiosk_api: TestClient, app: FastAPI, smtp_server: tuple[CollectingHandler, int]
) -> None:
    open_family(kiosk_api)  # Rosa holds the phone
    handler, port = smtp_server
    key = new_key("conflict")
    first = report(kiosk_api, conflict(), key)
    assert first.status_code == 201, first.text
    assert first.json()["phone"] == PHONE_E164 and first.json()["resolved_at"] is None
    again = report(kiosk_api, conflict(), key)
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"

    services = app.state.services
    mailer = SmtpMailer("127.0.0.1", port, "Lobby <lobby@example.org>", timeout=5,
                        clock=services.clock)
    delivered = deliver_pending(services.db, mailer, services.clock)
    letters = [m for m in handler.messages if "ana.lopez@example.org" in m.message["To"]]
    assert delivered >= 1, [m.message["To"] for m in handler.messages]
    assert len(letters) == 1  # the replay did not write twice
    letter = letters[0].message
    assert letter["Subject"].startswith("Su registro en Harbor County Jail")
    text = letter.get_body(preferencelist=("plain",)).get_content()
    assert "0142" in text and "inicie sesión" in text
    # Nothing about the account that holds the number: not its owner's name or e-mail.
    assert "Rosa" not in text and "rosa.martinez" not in text


def test_there_is_no_conflict_to_report_for_a_phone_without_an_account(
    kiosk_api: TestClient,
) -> None:
    response = report(kiosk_api, conflict(phone="(713) 555-0199"))
    assert response.status_code == 409 and response.headers["content-type"] == PROBLEM
    assert (response.json()["code"], response.json()["field"]) == ("phone_not_registered",
                                                                   "phone")


def test_bad_reports_are_refused_with_the_field(kiosk_api: TestClient) -> None:
    for field, value in [("reason", "other"), ("email", "not-an-address"),
                         ("first_name", "Ana\nBcc: x@example.org"), ("signed_up_at", 5)]:
        response = report(kiosk_api, conflict(**{field: value}))
        assert response.status_code == 422, (field, response.text)
        assert response.json()["field"] == field


def test_staff_of_the_facility_list_and_resolve_conflicts(
    kiosk_api: TestClient, app: FastAPI, supervisor_headers: dict[str, str]
) -> None:
    open_family(kiosk_api)
    reported = report(kiosk_api, conflict()).json()
    listed = kiosk_api.get("/v1/admin/sign-up-conflicts", headers=supervisor_headers).json()
    assert [c["id"] for c in listed] == [reported["id"]]
    assert listed[0]["first_name"] == "Ana" and listed[0]["email"] == "ana.lopez@example.org"

    url = f"/v1/admin/sign-up-conflicts/{reported['id']}/resolve"
    done = kiosk_api.post(url, json={"resolution": "Ana signed in with her own PIN"},
                          headers=supervisor_headers)
    assert done.status_code == 200, done.text
    assert done.json()["resolution"] == "Ana signed in with her own PIN"
    assert kiosk_api.get("/v1/admin/sign-up-conflicts", headers=supervisor_headers).json() == []
    everything = kiosk_api.get("/v1/admin/sign-up-conflicts?include_resolved=true",
                               headers=supervisor_headers).json()
    assert [c["resolved_by"] is not None for c in everything] == [True]

    # A clerk of another facility sees none of it and cannot resolve it.
    services = app.state.services
    add_staff_member(services.db, services.clock, "3003", "Otto Officer", StaffRole.CLERK, "1357",
                     facility_id="mesa-valley-detention")
    token = kiosk_api.post("/v1/staff/sessions",
                           json={"badge_id": "3003", "pin": "1357"}).json()["token"]
    other = {"X-Staff-Session": token}
    assert kiosk_api.get("/v1/admin/sign-up-conflicts?include_resolved=true",
                         headers=other).json() == []
    refused = kiosk_api.post(url, json={"resolution": "x"}, headers=other)
    assert refused.status_code == 404


def test_a_family_session_cannot_list_conflicts(kiosk_api: TestClient) -> None:
    family = open_family(kiosk_api)
    response = kiosk_api.get("/v1/admin/sign-up-conflicts",
                             headers=family.headers)
    assert response.status_code == 401 and response.json()["code"] == "session_required"
