"""Staff actions a kiosk recorded in staff mode reach the server's audit trail once, with
the kiosk and the staff member (docs/staff-mode.md, "Audit trail")."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from central.fleet.models import KioskAuditEvent
from tests.central.family_support import PROBLEM, new_key


def event(**changes: Any) -> dict[str, Any]:
    return {"event": "staff_assisted_sign_up", "staff_id": "staff-7",
            "detail": '{"outbox_id": 3, "photo_id_checked": true, "staff_id": "staff-7"}',
            "occurred_at": "2026-11-27T15:30:00Z", **changes}


def test_an_audit_event_is_recorded_once_with_its_kiosk(app: FastAPI, kiosk_api: TestClient
                                                         ) -> None:
    key = new_key("audit")
    first = kiosk_api.post("/v1/kiosks/audit-events", json=event(),
                           headers={"Idempotency-Key": key})
    assert first.status_code == 201, first.text
    again = kiosk_api.post("/v1/kiosks/audit-events", json=event(),
                           headers={"Idempotency-Key": key})
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    with app.state.services.db.transaction() as session:
        rows = session.execute(select(KioskAuditEvent)).scalars().all()
        assert [(r.event, r.staff_id, r.kiosk_id) for r in rows] == [
            ("staff_assisted_sign_up", "staff-7", first.json()["kiosk_id"])]


def test_a_bad_audit_event_is_refused_with_the_field(kiosk_api: TestClient) -> None:
    answer = kiosk_api.post("/v1/kiosks/audit-events", json=event(event="Drop Table"),
                            headers={"Idempotency-Key": new_key("audit")})
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith(PROBLEM)
    assert answer.json()["field"] == "event"
    no_key = kiosk_api.post("/v1/kiosks/audit-events", json=event())
    assert no_key.status_code == 422



@pytest.mark.parametrize(("field", "value"), [
    ("detail", "\u00c6n%g\u0000$\U0006658f"),  # the body schemathesis sent (seed 1585479751)
    ("staff_id", "f\x00"),
])
def test_a_nul_in_an_audit_event_is_a_422_not_a_database_error(
    kiosk_api: TestClient, field: str, value: str
) -> None:
    """PostgreSQL refuses a NUL in text: this was a 500 there and a stored NUL on SQLite."""
    answer = kiosk_api.post("/v1/kiosks/audit-events", json=event(**{field: value}),
                            headers={"Idempotency-Key": new_key("audit")})
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field


def _record(kiosk_api: TestClient, **changes: Any) -> dict[str, Any]:
    answer = kiosk_api.post("/v1/kiosks/audit-events", json=event(**changes),
                            headers={"Idempotency-Key": new_key("audit")})
    assert answer.status_code == 201, answer.text
    recorded: dict[str, Any] = answer.json()
    return recorded


def test_a_supervisor_reads_the_trail_newest_first_filtered_and_paged(
    kiosk_api: TestClient, supervisor_headers: dict[str, str]
) -> None:
    times = [f"2026-11-27T15:{minute:02d}:00Z" for minute in range(5)]
    for at in times:
        _record(kiosk_api, occurred_at=at)
    other = _record(kiosk_api, staff_id="staff-8", occurred_at="2026-11-27T15:02:30Z")
    url = "/v1/admin/audit-events"

    everything = kiosk_api.get(url, headers=supervisor_headers).json()
    assert [e["occurred_at"] for e in everything["events"][:2]] == [
        "2026-11-27T15:04:00Z", "2026-11-27T15:03:00Z"]
    assert everything["next"] is None

    mine = {"staff_id": "staff-7", "limit": 2}
    pages, before = [], None
    while True:
        params = {**mine, **({"before": before} if before else {})}
        page = kiosk_api.get(url, params=params, headers=supervisor_headers)
        assert page.status_code == 200, page.text
        pages.append([e["occurred_at"][11:16] for e in page.json()["events"]])
        before = page.json()["next"]
        if before is None:
            break
    assert pages == [["15:04", "15:03"], ["15:02", "15:01"], ["15:00"]]

    window = kiosk_api.get(url, params={"since": "2026-11-27T15:02:00Z",
                                        "until": "2026-11-27T15:03:00Z"},
                           headers=supervisor_headers).json()
    assert [(e["staff_id"], e["occurred_at"]) for e in window["events"]] == [
        ("staff-8", "2026-11-27T15:02:30Z"), ("staff-7", "2026-11-27T15:02:00Z")]
    by_kiosk = kiosk_api.get(url, params={"kiosk_id": other["kiosk_id"]},
                             headers=supervisor_headers).json()
    assert len(by_kiosk["events"]) == 6
    elsewhere = kiosk_api.get(url, params={"kiosk_id": "0" * 32}, headers=supervisor_headers)
    assert elsewhere.json() == {"events": [], "next": None}


def test_the_trail_is_for_supervisors_and_refuses_bad_queries_as_problems(
    app: FastAPI, kiosk_api: TestClient, supervisor_headers: dict[str, str]
) -> None:
    from central.identity.auth import add_staff_member
    from central.identity.models import StaffRole

    services = app.state.services
    add_staff_member(services.db, services.clock, "5150", "Lee Officer", StaffRole.CLERK,
                     "1357", facility_id="harbor-county-jail")
    officer = kiosk_api.post("/v1/staff/sessions", json={"badge_id": "5150", "pin": "1357"})
    headers = {"X-Staff-Session": officer.json()["token"]}
    refused = kiosk_api.get("/v1/admin/audit-events", headers=headers)
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith(PROBLEM)
    assert refused.json()["code"] == "role_required"
    assert kiosk_api.get("/v1/admin/audit-events").status_code == 401

    for params, field in (({"before": "1-abc"}, "before"),
                          ({"before": "99999999999999999999-" + "a" * 32}, "before"),
                          ({"since": "2026-11-27T15:00:00"}, "since"),  # no offset
                          ({"until": "0.5"}, "until"),  # not seconds since 1970
                          ({"limit": 0}, "limit")):
        answer = kiosk_api.get("/v1/admin/audit-events", params=params,
                               headers=supervisor_headers)
        assert answer.status_code == 422, params
        assert answer.headers["content-type"].startswith(PROBLEM)
        assert answer.json()["field"] == field


def test_a_supervisor_sees_only_the_kiosks_of_their_facility(
    app: FastAPI, kiosk_api: TestClient
) -> None:
    from central.identity.auth import add_staff_member
    from central.identity.models import StaffRole

    _record(kiosk_api)  # the test kiosk is at Harbor County
    services = app.state.services
    add_staff_member(services.db, services.clock, "6160", "Mesa Supervisor",
                     StaffRole.SUPERVISOR, "2580", facility_id="mesa-valley-detention")
    mesa = kiosk_api.post("/v1/staff/sessions", json={"badge_id": "6160", "pin": "2580"})
    assert mesa.status_code == 201, mesa.text
    page = kiosk_api.get("/v1/admin/audit-events",
                         headers={"X-Staff-Session": mesa.json()["token"]})
    assert page.status_code == 200 and page.json()["events"] == []


def test_the_audit_events_command_lists_the_trail(seeded_url: str,
                                                  kiosk_api: TestClient) -> None:
    import subprocess
    import sys

    _record(kiosk_api, staff_id="staff-9", event="staff_assisted_deposit")
    _record(kiosk_api, staff_id="staff-7", occurred_at="2026-11-27T14:00:00Z")
    done = subprocess.run(
        [sys.executable, "-m", "central.cli", "audit-events", "--db", seeded_url,
         "--staff", "staff-9"], capture_output=True, text=True, timeout=60, check=True)
    lines = done.stdout.splitlines()
    assert lines[0].split()[:2] == ["occurred", "(UTC)"]
    assert len(lines) == 2 and "staff-9" in lines[1] and "staff_assisted_deposit" in lines[1]
    refused = subprocess.run(
        [sys.executable, "-m", "central.cli", "audit-events", "--db", seeded_url,
         "--since", "2026-11-27T15:00:00"], capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "offset" in refused.stderr
