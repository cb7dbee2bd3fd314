"""Staff sessions: badge + PIN with the same lockout, roles checked, staff-add on the CLI."""

from __future__ import annotations

import io
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update

from central.cli import main as cli_main
from central.identity.auth import add_staff_member
from central.identity.models import StaffRole
from central.kernel.facilities import Facility

PRICING: dict[str, Any] = {
    "funding_fee_cents": 0, "video_session_price_cents": 380,
    "offers_subscriptions": True, "offers_single_call": True,
    "rates": [{"kind": "audio", "destination": "in_state", "cents_per_minute": 8}],
    "plans": [],
}


def staff_sign_in(api: TestClient, badge: str = "1001", pin: str = "2468") -> Any:
    return api.post("/v1/staff/sessions", json={"badge_id": badge, "pin": pin})


def test_demo_supervisor_signs_in(kiosk_api: TestClient) -> None:
    response = staff_sign_in(kiosk_api)
    assert response.status_code == 201, response.text
    assert response.json()["staff"]["role"] == "supervisor"
    me = kiosk_api.get("/v1/staff/sessions/current",
                       headers={"X-Staff-Session": response.json()["token"]})
    assert me.status_code == 200 and me.json()["name"] == "Demo Supervisor"


def test_the_staff_session_says_whether_this_lobby_allows_keyed_entry(
    kiosk_api: TestClient, app: FastAPI
) -> None:
    """The kiosk offers typing a card number only to staff, and only where the facility
    allows it (docs/payments.md "Keyed entry"): the staff sign-in tells it which."""
    assert staff_sign_in(kiosk_api).json()["keyed_entry"] is True  # the demo seed allows it
    with app.state.services.db.transaction() as session:
        session.execute(update(Facility).where(Facility.id == "harbor-county-jail")
                        .values(allows_keyed_entry=False))
    assert staff_sign_in(kiosk_api).json()["keyed_entry"] is False


def test_clerk_may_not_change_prices_but_a_supervisor_may(
    kiosk_api: TestClient, app: FastAPI, supervisor_headers: dict[str, str]
) -> None:
    services = app.state.services
    add_staff_member(services.db, services.clock, "2002", "Clara Clerk", StaffRole.CLERK, "1357",
                     facility_id="harbor-county-jail")
    clerk = staff_sign_in(kiosk_api, "2002", "1357")
    assert clerk.status_code == 201 and clerk.json()["staff"]["role"] == "clerk"
    url = "/v1/admin/facilities/harbor-county-jail/pricing"
    refused = kiosk_api.put(url, json=PRICING,
                            headers={"X-Staff-Session": clerk.json()["token"]})
    assert refused.status_code == 403 and refused.json()["code"] == "role_required"
    allowed = kiosk_api.put(url, json=PRICING, headers=supervisor_headers)
    assert allowed.status_code == 200, allowed.text
    assert kiosk_api.put(url, json=PRICING).status_code == 401


def test_staff_lockout_and_unknown_badge_look_alike(kiosk_api: TestClient) -> None:
    wrong = staff_sign_in(kiosk_api, pin="0000")
    unknown = staff_sign_in(kiosk_api, badge="9999", pin="0000")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    for _ in range(3):
        staff_sign_in(kiosk_api, pin="0000")
    locked = staff_sign_in(kiosk_api, pin="0000")
    assert locked.status_code == 423 and locked.json()["code"] == "account_locked"
    assert staff_sign_in(kiosk_api).status_code == 423


def test_staff_sign_out(kiosk_api: TestClient, supervisor_headers: dict[str, str]) -> None:
    assert kiosk_api.delete("/v1/staff/sessions/current",
                            headers=supervisor_headers).status_code == 204
    after = kiosk_api.get("/v1/staff/sessions/current", headers=supervisor_headers)
    assert after.status_code == 401


def test_staff_add_reads_the_pin_from_stdin(
    seeded_url: str, monkeypatch: pytest.MonkeyPatch, kiosk_api: TestClient
) -> None:
    harbor = ["--facility", "harbor-county-jail"]
    monkeypatch.setattr("sys.stdin", io.StringIO("8642\n"))
    assert cli_main(["staff-add", "--db", seeded_url, "--badge", "3003", "--name", "Sam",
                     "--role", "clerk", *harbor]) == 0
    signed_in = staff_sign_in(kiosk_api, "3003", "8642")
    assert signed_in.status_code == 201
    assert signed_in.json()["staff"]["facility_id"] == "harbor-county-jail"
    monkeypatch.setattr("sys.stdin", io.StringIO("8642\n"))
    assert cli_main(["staff-add", "--db", seeded_url, "--badge", "3003", "--name", "Sam",
                     "--role", "clerk", *harbor]) == 2
    monkeypatch.setattr("sys.stdin", io.StringIO("12\n"))
    assert cli_main(["staff-add", "--db", seeded_url, "--badge", "3004", "--name", "Sam",
                     "--role", "clerk", *harbor]) == 2
    monkeypatch.setattr("sys.stdin", io.StringIO("8642\n"))
    assert cli_main(["staff-add", "--db", seeded_url, "--badge", "3005", "--name", "Sam",
                     "--role", "clerk", "--facility", "nowhere"]) == 2
    with pytest.raises(SystemExit):  # a member without a facility is refused by the parser
        cli_main(["staff-add", "--db", seeded_url, "--badge", "3006", "--name", "Sam",
                  "--role", "clerk"])
