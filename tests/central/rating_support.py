"""Helpers for call-rating tests: subscriptions written straight to the database (the
subscription API is built elsewhere), AdvanceConnect money, and the call platform's calls."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from central.identity.models import Account
from central.money import ledger
from central.plans.models import RenewalMode, Service, Subscription, SubscriptionStatus

HARBOR = "harbor-county-jail"
MESA = "mesa-valley-detention"
PINE = "pine-ridge-county-jail"
ROSA_PHONE = "+17135550142"
PLANS = {
    (Service.CALLS, True): "call-100",
    (Service.VIDEO, True): "video-8",
    (Service.VIDEO, False): "video-unlimited",
}

# The call platform's bearer header, set per test by the `call_platform` fixture in
# tests/central/conftest.py; calls are sent with it unless a test passes its own.
PLATFORM: dict[str, str] = {}

_keys = itertools.count(1)
_deposits = itertools.count(1)


def subscribe(
    app: FastAPI, account_id: str, *, service: Service = Service.CALLS,
    allotment: int | None = 100, used: int = 0,
    status: SubscriptionStatus = SubscriptionStatus.ACTIVE, facility_id: str = HARBOR,
    start: datetime | None = None, end: datetime | None = None,
) -> str:
    """An active subscription for the account's phone whose period covers the app's clock."""
    services = app.state.services
    now = services.clock.now()
    start = start or now - timedelta(days=5)
    end = end or start + timedelta(days=30)
    plan = PLANS[(service, allotment is not None)]
    with services.db.transaction() as session:
        phone = session.get_one(Account, account_id).phone
        subscription = Subscription(
            account_id=account_id, facility_id=facility_id, plan_id=f"{facility_id}:{plan}",
            service=service, phone=phone, status=status, price_cents=3999,
            allotment=allotment, renewal_mode=RenewalMode.AUTO, period_anchor=start,
            period_index=0, current_period_start=start, current_period_end=end,
            used_in_period=used, terms_version="2026-01", terms_accepted_at=start,
            created_at=start,
        )
        session.add(subscription)
        session.flush()
        return subscription.id


def used_in_period(app: FastAPI, subscription_id: str) -> int:
    with app.state.services.db.transaction() as session:
        return int(session.execute(
            select(Subscription.used_in_period).where(Subscription.id == subscription_id)
        ).scalar_one())


def fund(app: FastAPI, account_id: str, cents: int) -> None:
    """Credit the AdvanceConnect balance directly (deposits have their own tests)."""
    services = app.state.services
    with services.db.transaction() as session:
        ledger.post_deposit(session, account_id, cents, 0, reference=f"test:{next(_deposits)}",
                            now=services.clock.now())


def balance(app: FastAPI, account_id: str) -> int:
    with app.state.services.db.transaction() as session:
        return ledger.balance_cents(session, account_id)


def authorize(
    api: TestClient, phone: str = ROSA_PHONE, *, kind: str = "audio",
    destination: str = "in_state", facility_id: str = HARBOR,
    resident_id: str | None = None, key: str | None = None,
    headers: dict[str, str] | None = None,
) -> Any:
    body = {"facility_id": facility_id, "resident_id": resident_id or f"{facility_id}:001",
            "phone": phone, "kind": kind, "destination": destination}
    return api.post("/v1/calls/authorize", json=body,
                    headers={"Idempotency-Key": key or f"auth-{next(_keys)}",
                             **(headers or PLATFORM)})


def authorized(api: TestClient, decision: str, **kwargs: Any) -> dict[str, Any]:
    response = authorize(api, **kwargs)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    assert body["decision"] == decision, body
    return body


def rate(api: TestClient, call_id: str, seconds: int, headers: dict[str, str] | None = None
         ) -> Any:
    return api.post(f"/v1/calls/{call_id}/rate", json={"duration_seconds": seconds},
                    headers=headers or PLATFORM)
