"""Kiosk enrollment: one-time codes become bearer tokens; only hashes are stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from central.clock import ManualClock
from central.identity.kiosks import issue_enrollment_code
from central.identity.models import ClientRole, EnrollmentCode, Kiosk


def test_code_enrolls_once_and_token_works(app: FastAPI, api: TestClient) -> None:
    services = app.state.services
    code = issue_enrollment_code(services.db, services.clock, "mesa-valley-detention")
    first = api.post("/v1/kiosks/enroll", json={"code": code.lower(), "name": "Lobby A"})
    assert first.status_code == 201
    body = first.json()
    assert body["facility_id"] == "mesa-valley-detention"
    again = api.post("/v1/kiosks/enroll", json={"code": code, "name": "Lobby B"})
    assert again.status_code == 401
    assert again.json()["code"] == "enrollment_code_invalid"
    ok = api.get("/v1/facilities", headers={"Authorization": f"Bearer {body['token']}"})
    assert ok.status_code == 200


def test_expired_code_is_refused(app: FastAPI, api: TestClient, clock: ManualClock) -> None:
    services = app.state.services
    code = issue_enrollment_code(services.db, services.clock, "harbor-county-jail")
    clock.advance(timedelta(hours=24, seconds=1))
    response = api.post("/v1/kiosks/enroll", json={"code": code, "name": "Lobby"})
    assert response.status_code == 401


def test_secrets_are_stored_only_as_hashes(app: FastAPI, api: TestClient) -> None:
    services = app.state.services
    code = issue_enrollment_code(services.db, services.clock, "harbor-county-jail")
    token = api.post("/v1/kiosks/enroll", json={"code": code, "name": "L"}).json()["token"]
    with services.db.transaction() as session:
        stored = [k.token_hash for k in session.execute(select(Kiosk)).scalars()]
        codes = [c.code_hash for c in session.execute(select(EnrollmentCode)).scalars()]
    assert token not in stored and code not in codes
    assert all(len(h) == 64 for h in stored + codes)


def test_last_seen_is_recorded(app: FastAPI, kiosk_api: TestClient, clock: ManualClock) -> None:
    clock.advance(timedelta(minutes=5))
    kiosk_api.get("/v1/facilities")
    with app.state.services.db.transaction() as session:
        kiosk = session.execute(select(Kiosk)).scalar_one()
        assert kiosk.last_seen_at == clock.now()


def test_platform_token_command_makes_a_call_platform_client(
    app: FastAPI, api: TestClient, seeded_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from central.cli import main

    assert main(["platform-token", "--db", seeded_url, "--facility", "harbor-county-jail"]) == 0
    token = capsys.readouterr().out.strip()
    with app.state.services.db.transaction() as session:
        client = session.execute(select(Kiosk).where(Kiosk.role == ClientRole.CALL_PLATFORM)
                                 ).scalar_one()
        assert client.token_hash != token and client.facility_id == "harbor-county-jail"
    headers = {"Authorization": f"Bearer {token}"}
    assert api.get("/v1/facilities", headers=headers).json()["code"] == "not_a_kiosk"
    assert main(["platform-token", "--db", seeded_url, "--facility", "nowhere"]) == 2
