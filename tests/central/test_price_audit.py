"""Defect 9 of issue 7: a supervisor changes only their own facility's prices, and every
change is recorded (who, when, where from, before and after) for supervisors to read."""

from __future__ import annotations

import copy
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from central.identity.auth import add_staff_member
from central.identity.models import Kiosk, StaffRole
from central.identity.security import token_digest
from central.kernel.clock import ManualClock
from tests.central.family_support import PROBLEM

HARBOR = "/v1/admin/facilities/harbor-county-jail"
MESA = "/v1/admin/facilities/mesa-valley-detention"


def _pricing(api: TestClient, facility: str, session_price: int) -> dict[str, Any]:
    """The facility's current price list as a PUT body, with another video session price."""
    detail = api.get(f"/v1/facilities/{facility}").json()
    return {
        "funding_fee_cents": detail["funding_fee_cents"],
        "video_session_price_cents": session_price,
        "offers_subscriptions": detail["offers_subscriptions"],
        "offers_single_call": detail["offers_single_call"],
        "rates": copy.deepcopy(detail["rates"]),
        "plans": copy.deepcopy(detail["plans"]),
    }


def _staff(api: TestClient, app: FastAPI, badge: str, role: StaffRole, facility: str
           ) -> dict[str, str]:
    services = app.state.services
    add_staff_member(services.db, services.clock, badge, f"Staff {badge}", role, "1357",
                     facility_id=facility)
    signed_in = api.post("/v1/staff/sessions", json={"badge_id": badge, "pin": "1357"})
    assert signed_in.status_code == 201, signed_in.text
    return {"X-Staff-Session": signed_in.json()["token"]}


def test_a_supervisor_may_not_change_another_facilitys_prices(
    kiosk_api: TestClient, supervisor_headers: dict[str, str]
) -> None:
    before = kiosk_api.get("/v1/facilities/mesa-valley-detention").json()
    refused = kiosk_api.put(f"{MESA}/pricing", headers=supervisor_headers,
                            json=_pricing(kiosk_api, "mesa-valley-detention", 400))
    assert refused.status_code == 403, refused.text
    assert refused.headers["content-type"] == PROBLEM
    assert refused.json()["code"] == "facility_not_yours"
    assert kiosk_api.get("/v1/facilities/mesa-valley-detention").json() == before
    history = kiosk_api.get(f"{MESA}/price-changes", headers=supervisor_headers)
    assert history.status_code == 403 and history.json()["code"] == "facility_not_yours"


def test_every_price_change_is_recorded_with_who_when_and_before_and_after(
    kiosk_api: TestClient, app: FastAPI, clock: ManualClock,
    supervisor_headers: dict[str, str], kiosk_token: str,
) -> None:
    assert kiosk_api.get(f"{HARBOR}/price-changes",
                         headers=supervisor_headers).json() == []
    first = kiosk_api.put(f"{HARBOR}/pricing", headers=supervisor_headers,
                          json=_pricing(kiosk_api, "harbor-county-jail", 400))
    assert first.status_code == 200, first.text
    # A change the rule set refuses is not a change, and is not recorded.
    too_dear = _pricing(kiosk_api, "harbor-county-jail", 400)
    too_dear["rates"][0]["cents_per_minute"] = 999
    assert kiosk_api.put(f"{HARBOR}/pricing", headers=supervisor_headers,
                         json=too_dear).status_code == 422
    second = kiosk_api.put(f"{HARBOR}/pricing", headers=supervisor_headers,
                           json=_pricing(kiosk_api, "harbor-county-jail", 420))
    assert second.status_code == 200, second.text

    history = kiosk_api.get(f"{HARBOR}/price-changes", headers=supervisor_headers)
    assert history.status_code == 200, history.text
    newest, oldest = history.json()
    price = "video_session_price_cents"
    assert (oldest["before"][price], oldest["after"][price]) == (380, 400)
    assert (newest["before"][price], newest["after"][price]) == (400, 420)
    assert newest["staff_name"] == "Demo Supervisor"
    assert newest["facility_id"] == "harbor-county-jail"
    assert newest["changed_at"].startswith(clock.now().strftime("%Y-%m-%dT%H:%M"))
    me = kiosk_api.get("/v1/staff/sessions/current", headers=supervisor_headers).json()
    assert newest["staff_id"] == me["id"]
    with app.state.services.db.transaction() as session:
        kiosk = session.execute(select(Kiosk).where(
            Kiosk.token_hash == token_digest(kiosk_token))).scalar_one()
        assert newest["kiosk_id"] == kiosk.id  # the kiosk the change was made from
    assert len(oldest["before"]["rates"]) == 6 and oldest["before"]["plans"]
    one = kiosk_api.get(f"{HARBOR}/price-changes", params={"limit": 1},
                        headers=supervisor_headers).json()
    assert [c["id"] for c in one] == [newest["id"]]


def test_a_clerk_reads_no_price_history_and_a_mesa_supervisor_reads_only_mesas(
    kiosk_api: TestClient, app: FastAPI, supervisor_headers: dict[str, str]
) -> None:
    assert kiosk_api.put(f"{HARBOR}/pricing", headers=supervisor_headers,
                         json=_pricing(kiosk_api, "harbor-county-jail", 400)).status_code == 200
    clerk = _staff(kiosk_api, app, "2002", StaffRole.CLERK, "harbor-county-jail")
    refused = kiosk_api.get(f"{HARBOR}/price-changes", headers=clerk)
    assert refused.status_code == 403 and refused.json()["code"] == "role_required"
    mesa = _staff(kiosk_api, app, "2003", StaffRole.SUPERVISOR, "mesa-valley-detention")
    assert kiosk_api.get(f"{HARBOR}/price-changes", headers=mesa).status_code == 403
    assert kiosk_api.get(f"{MESA}/price-changes", headers=mesa).json() == []
    changed = kiosk_api.put(f"{MESA}/pricing", headers=mesa,
                            json=_pricing(kiosk_api, "mesa-valley-detention", 400))
    assert changed.status_code == 200, changed.text
    assert len(kiosk_api.get(f"{MESA}/price-changes", headers=mesa).json()) == 1
