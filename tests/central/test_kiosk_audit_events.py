"""Staff actions a kiosk recorded in staff mode reach the server's audit trail once, with
the kiosk and the staff member (docs/staff-mode.md, "Audit trail")."""

from __future__ import annotations

from typing import Any

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
