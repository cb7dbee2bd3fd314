"""``lobby-central revoke``: a revoked kiosk or call-platform token is refused with 401
problem+json from then on, whatever it asks (issue 7)."""

from __future__ import annotations

import subprocess
import sys

from fastapi import FastAPI
from fastapi.testclient import TestClient

from central.identity.kiosks import issue_enrollment_code
from tests.central.family_support import PROBLEM


def _cli(db: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "central.cli", *args, "--db", db],
                          input=stdin, capture_output=True, text=True, timeout=120,
                          check=False)


def _enroll(api: TestClient, app: FastAPI) -> tuple[str, str]:
    services = app.state.services
    code = issue_enrollment_code(services.db, services.clock, "harbor-county-jail")
    body = api.post("/v1/kiosks/enroll", json={"code": code, "name": "Lobby 2"}).json()
    api.post("/v1/kiosks/enroll/confirm", headers={"Authorization": f"Bearer {body['token']}"})
    return body["kiosk_id"], body["token"]


def test_a_revoked_kiosk_token_is_401_and_others_keep_working(
    api: TestClient, app: FastAPI, seeded_url: str
) -> None:
    kiosk_id, token = _enroll(api, app)
    _other_id, other = _enroll(api, app)
    bearer = {"Authorization": f"Bearer {token}"}
    assert api.get("/v1/facilities", headers=bearer).status_code == 200
    done = _cli(seeded_url, "revoke", "--client", kiosk_id)
    assert done.returncode == 0, done.stderr
    assert f"revoked kiosk {kiosk_id}" in done.stdout
    for response in (api.get("/v1/facilities", headers=bearer),
                     api.post("/v1/sessions", headers=bearer,
                              json={"phone": "(713) 555-0142", "pin": "4826"})):
        assert response.status_code == 401, response.text
        assert response.headers["content-type"] == PROBLEM
        assert response.json()["code"] == "token_revoked"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert api.get("/v1/facilities",
                   headers={"Authorization": f"Bearer {other}"}).status_code == 200
    # Revoking again is harmless; an unknown client is an error.
    assert _cli(seeded_url, "revoke", "--client", kiosk_id).returncode == 0
    unknown = _cli(seeded_url, "revoke", "--client", "nobody")
    assert unknown.returncode == 2 and "no kiosk or call platform" in unknown.stderr


def test_a_call_platform_token_is_revoked_by_the_token_read_from_stdin(
    api: TestClient, seeded_url: str
) -> None:
    issued = _cli(seeded_url, "platform-token", "--facility", "harbor-county-jail")
    assert issued.returncode == 0, issued.stderr
    token = issued.stdout.strip()
    bearer = {"Authorization": f"Bearer {token}"}
    body = {"facility_id": "harbor-county-jail", "resident_id": "harbor-county-jail:001",
            "phone": "+17135550142", "destination": "in_state", "kind": "audio"}
    before = api.post("/v1/calls/authorize", json=body, headers=bearer)
    assert before.status_code != 401, before.text
    done = _cli(seeded_url, "revoke", "--token-stdin", stdin=token + "\n")
    assert done.returncode == 0, done.stderr
    assert "revoked call_platform" in done.stdout and token not in done.stdout
    after = api.post("/v1/calls/authorize", json=body, headers=bearer)
    assert after.status_code == 401
    assert after.json()["code"] == "token_revoked"
