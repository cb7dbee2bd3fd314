"""Kiosk enrollment: one-time codes become bearer tokens; only hashes are stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from central.identity.kiosks import issue_enrollment_code
from central.identity.models import ClientRole, EnrollmentCode, Kiosk
from central.kernel.clock import ManualClock


def _enroll(api: TestClient, code: str, name: str = "Lobby A") -> dict[str, str]:
    response = api.post("/v1/kiosks/enroll", json={"code": code, "name": name})
    assert response.status_code == 201, response.text
    body: dict[str, str] = response.json()
    return body


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_code_enrolls_once_and_token_works_after_confirmation(
    app: FastAPI, api: TestClient
) -> None:
    services = app.state.services
    code = issue_enrollment_code(services.db, services.clock, "mesa-valley-detention")
    body = _enroll(api, code.lower())
    assert body["facility_id"] == "mesa-valley-detention"
    # Until the kiosk says it stored the token, the token opens nothing.
    early = api.get("/v1/facilities", headers=_bearer(body["token"]))
    assert (early.status_code, early.json()["code"]) == (401, "enrollment_unconfirmed")
    confirmed = api.post("/v1/kiosks/enroll/confirm", headers=_bearer(body["token"]))
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["kiosk_id"] == body["kiosk_id"]
    assert api.get("/v1/facilities", headers=_bearer(body["token"])).status_code == 200
    again = api.post("/v1/kiosks/enroll", json={"code": code, "name": "Lobby B"})
    assert again.status_code == 401
    assert again.json()["code"] == "enrollment_code_invalid"


def test_a_kiosk_that_lost_its_token_before_confirming_enrolls_again(
    app: FastAPI, api: TestClient
) -> None:
    """A kiosk that crashed between enrolling and storing its token (or has no keyring to
    keep it) has not burned the code: enrolling again works and retires the lost token."""
    services = app.state.services
    code = issue_enrollment_code(services.db, services.clock, "harbor-county-jail")
    lost = _enroll(api, code)
    kept = _enroll(api, code)
    assert kept["kiosk_id"] != lost["kiosk_id"]
    refused = api.post("/v1/kiosks/enroll/confirm", headers=_bearer(lost["token"]))
    assert (refused.status_code, refused.json()["code"]) == (401, "token_revoked")
    assert api.post("/v1/kiosks/enroll/confirm", headers=_bearer(kept["token"])).status_code == 200
    # Confirming again is answered the same; the code is spent.
    replay = api.post("/v1/kiosks/enroll/confirm", headers=_bearer(kept["token"]))
    assert replay.status_code == 200 and replay.json()["kiosk_id"] == kept["kiosk_id"]
    assert api.post("/v1/kiosks/enroll", json={"code": code, "name": "X"}).status_code == 401
    with services.db.transaction() as session:
        kiosks = {k.id: k for k in session.execute(select(Kiosk)).scalars()}
        assert kiosks[lost["kiosk_id"]].revoked_at is not None
        assert kiosks[kept["kiosk_id"]].confirmed_at is not None


def test_confirmation_needs_a_valid_token(api: TestClient) -> None:
    assert api.post("/v1/kiosks/enroll/confirm").json()["code"] == "unauthorized"
    wrong = api.post("/v1/kiosks/enroll/confirm", headers=_bearer("not-a-token"))
    assert (wrong.status_code, wrong.json()["code"]) == (401, "unauthorized")


def test_expired_code_is_refused(app: FastAPI, api: TestClient, clock: ManualClock) -> None:
    services = app.state.services
    code = issue_enrollment_code(services.db, services.clock, "harbor-county-jail")
    clock.advance(timedelta(hours=24, seconds=1))
    response = api.post("/v1/kiosks/enroll", json={"code": code, "name": "Lobby"})
    assert response.status_code == 401


def test_secrets_are_stored_only_as_hashes(app: FastAPI, api: TestClient) -> None:
    services = app.state.services
    code = issue_enrollment_code(services.db, services.clock, "harbor-county-jail")
    token = _enroll(api, code, "L")["token"]
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
