"""The fleet: kiosks report a heartbeat, supervisors see which ones went quiet and switch
one out of service, and the kiosk learns it at its next heartbeat."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient

from central.identity.auth import add_staff_member
from central.identity.models import StaffRole
from central.kernel.clock import ManualClock
from tests.support import enroll_kiosk

BEAT = {"version": "0.1.0", "uptime_seconds": 3600, "outbox_depth": 2,
        "last_sync_at": "2026-01-15T16:59:00Z", "printer": "printer_no_paper",
        "keyring": "secure"}


def _beat(api: TestClient, token: str, **changes: object) -> dict[str, object]:
    response = api.post("/v1/kiosks/heartbeat", json=BEAT | changes,
                        headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def test_heartbeats_fill_the_fleet_list_and_silence_is_flagged(
    app: FastAPI, kiosk_api: TestClient, kiosk_token: str, clock: ManualClock,
    supervisor_headers: dict[str, str],
) -> None:
    quiet_token = enroll_kiosk(app)  # a second kiosk, which stops beating
    assert _beat(kiosk_api, quiet_token)["in_service"] is True
    clock.advance(timedelta(minutes=10))
    answer = _beat(kiosk_api, kiosk_token, outbox_depth=0, printer="ready")
    assert answer == {"in_service": True, "out_of_service_reason": None,
                      "server_time": "2026-01-15T17:10:00Z"}
    fleet = kiosk_api.get("/v1/fleet/kiosks", headers=supervisor_headers).json()
    by_quiet = {entry["quiet"]: entry for entry in fleet if entry["reported_at"]}
    assert by_quiet[False]["outbox_depth"] == 0 and by_quiet[False]["printer"] == "ready"
    assert by_quiet[True]["printer"] == "printer_no_paper"  # as it last said
    assert fleet[0]["quiet"]  # quiet kiosks first: staff look there


def test_a_supervisor_switches_a_kiosk_out_of_service_and_the_kiosk_is_told(
    app: FastAPI, kiosk_api: TestClient, supervisor_headers: dict[str, str],
) -> None:
    token = enroll_kiosk(app)
    _beat(kiosk_api, token)
    fleet = kiosk_api.get("/v1/fleet/kiosks", headers=supervisor_headers).json()
    kiosk_id = next(e["id"] for e in fleet if e["reported_at"])
    url = f"/v1/fleet/kiosks/{kiosk_id}/service"
    for no_reason in ({"in_service": False}, {"in_service": False, "reason": " "},
                      {"in_service": False, "reason": "cracked\nBcc: x"}):
        refused = kiosk_api.post(url, json=no_reason, headers=supervisor_headers)
        assert refused.status_code == 422 and refused.json()["field"] == "reason", no_reason
    switched = kiosk_api.post(url, json={"in_service": False, "reason": "Screen cracked"},
                              headers=supervisor_headers)
    assert switched.status_code == 200, switched.text
    [entry] = switched.json()
    assert (entry["in_service"], entry["out_of_service_reason"]) == (False, "Screen cracked")
    assert entry["service_changed_by"]
    told = _beat(kiosk_api, token)
    assert (told["in_service"], told["out_of_service_reason"]) == (False, "Screen cracked")
    kiosk_api.post(url, json={"in_service": True, "reason": "Screen replaced"},
                   headers=supervisor_headers)
    assert _beat(kiosk_api, token) | {"server_time": None} == {
        "in_service": True, "out_of_service_reason": None, "server_time": None}


def test_only_supervisors_see_and_switch_the_fleet(
    app: FastAPI, kiosk_api: TestClient,
) -> None:
    services = app.state.services
    add_staff_member(services.db, services.clock, "2002", "Clara Clerk", StaffRole.CLERK, "1357",
                     facility_id="harbor-county-jail")
    clerk = kiosk_api.post("/v1/staff/sessions", json={"badge_id": "2002", "pin": "1357"})
    headers = {"X-Staff-Session": clerk.json()["token"]}
    assert kiosk_api.get("/v1/fleet/kiosks", headers=headers).status_code == 403
    assert kiosk_api.get("/v1/fleet/kiosks").status_code == 401
    unknown = kiosk_api.post("/v1/fleet/kiosks/nope/service",
                             json={"in_service": True, "reason": "fixed"}, headers=headers)
    assert unknown.status_code == 403


def test_a_heartbeat_is_checked(kiosk_api: TestClient, kiosk_token: str) -> None:
    headers = {"Authorization": f"Bearer {kiosk_token}"}
    for bad in ({"outbox_depth": -1}, {"printer": "on fire"}, {"version": "1.0\nX: y"},
                {"acceptor": "melted"}, {"acceptor": None},
                {"uptime_seconds": "3600"}, {"last_sync_at": 0}):
        response = kiosk_api.post("/v1/kiosks/heartbeat", json=BEAT | bad, headers=headers)
        assert response.status_code == 422, bad
        assert response.headers["content-type"].startswith("application/problem+json")


def test_the_note_acceptors_alert_is_kept_and_a_kiosk_without_one_says_none(
    app: FastAPI, kiosk_api: TestClient, kiosk_token: str, supervisor_headers: dict[str, str],
) -> None:
    older = enroll_kiosk(app)
    _beat(kiosk_api, older)  # a kiosk from before the note acceptor says nothing of it
    _beat(kiosk_api, kiosk_token, acceptor="jammed")
    fleet = kiosk_api.get("/v1/fleet/kiosks", headers=supervisor_headers).json()
    assert sorted(entry["acceptor"] for entry in fleet if entry["reported_at"]) == [
        "jammed", "none"]
    _beat(kiosk_api, kiosk_token, acceptor="ready")  # staff cleared it
    fleet = kiosk_api.get("/v1/fleet/kiosks", headers=supervisor_headers).json()
    assert sorted(entry["acceptor"] for entry in fleet if entry["reported_at"]) == [
        "none", "ready"]


def test_the_kiosks_command_lists_the_fleet(seeded_url: str, app: FastAPI,
                                            kiosk_api: TestClient) -> None:
    _beat(kiosk_api, enroll_kiosk(app), acceptor="full")
    done = subprocess.run(
        [sys.executable, "-m", "central.cli", "kiosks", "--db", seeded_url],
        capture_output=True, text=True, timeout=60, check=True)
    lines = done.stdout.splitlines()
    assert lines[0].split()[:2] == ["kiosk", "facility"]
    assert lines[0].split()[-2:] == ["notes", "service"]
    assert any("harbor-county-jail" in line and "printer_no_paper" in line
               and " full " in line for line in lines)


def test_a_supervisor_sees_and_switches_only_their_facilitys_kiosks(
    app: FastAPI, kiosk_api: TestClient, supervisor_headers: dict[str, str],
) -> None:
    elsewhere = enroll_kiosk(app, "mesa-valley-detention")
    _beat(kiosk_api, elsewhere)
    services = app.state.services
    with services.db.transaction() as session:
        from sqlalchemy import select

        from central.identity.models import Kiosk

        other_id = session.execute(
            select(Kiosk.id).where(Kiosk.facility_id == "mesa-valley-detention")).scalar_one()
    fleet = kiosk_api.get("/v1/fleet/kiosks", headers=supervisor_headers).json()
    assert {entry["facility_id"] for entry in fleet} == {"harbor-county-jail"}
    refused = kiosk_api.post(f"/v1/fleet/kiosks/{other_id}/service",
                             json={"in_service": False, "reason": "not mine"},
                             headers=supervisor_headers)
    assert refused.status_code == 404
    assert _beat(kiosk_api, elsewhere)["in_service"] is True
