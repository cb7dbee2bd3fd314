"""Family sign-in with phone + PIN: lockout, no account enumeration, sessions that expire,
and every account route checking that the session owns the account."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from central.identity.models import FamilySession
from central.kernel.clock import ManualClock
from tests.central.family_support import PROBLEM, Family, open_family, register, sign_in
from tests.support import enroll_kiosk


def test_sign_in_opens_a_session_that_reads_the_account(
    kiosk_api: TestClient, clock: ManualClock
) -> None:
    account_id = register(kiosk_api)
    response = sign_in(kiosk_api, "+1 713 555 0142")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["account_id"] == account_id
    assert body["expires_at"].startswith("2026-01-15T17:15:00")
    account = kiosk_api.get(f"/v1/accounts/{account_id}",
                            headers={"X-Family-Session": body["token"]})
    assert account.status_code == 200, account.text
    detail = account.json()
    assert detail["balance_cents"] == 0 and detail["payment_methods"] == []
    assert detail["linked_residents"][0]["display_name"] == "Hernández, José"
    assert "pin_hash" not in detail


def test_token_is_stored_only_as_its_hash(family: Family, app: FastAPI) -> None:
    with app.state.services.db.transaction() as session:
        hashes = list(session.execute(select(FamilySession.token_hash)).scalars())
    assert hashes and family.token not in hashes and all(len(h) == 64 for h in hashes)


def test_wrong_pin_counts_down_then_locks_for_15_minutes(
    kiosk_api: TestClient, clock: ManualClock
) -> None:
    register(kiosk_api)
    for left in (4, 3, 2, 1):
        wrong = sign_in(kiosk_api, pin="0000")
        assert wrong.status_code == 401
        assert wrong.headers["content-type"] == PROBLEM
        assert wrong.json()["code"] == "pin_incorrect"
        assert wrong.json()["attempts_remaining"] == left
    fifth = sign_in(kiosk_api, pin="0000")
    assert fifth.status_code == 423
    problem = fifth.json()
    assert problem["code"] == "account_locked"
    assert problem["locked_until"].startswith("2026-01-15T17:15:00")
    assert "17:15" in problem["detail"]
    assert int(fifth.headers["Retry-After"]) == 15 * 60
    # Even the right PIN is refused while locked...
    clock.advance(timedelta(minutes=14, seconds=59))
    assert sign_in(kiosk_api).status_code == 423
    # ...and works once the lock has run out.
    clock.advance(timedelta(seconds=1))
    assert sign_in(kiosk_api).status_code == 201


def test_a_right_pin_resets_the_count(kiosk_api: TestClient) -> None:
    register(kiosk_api)
    for _ in range(4):
        assert sign_in(kiosk_api, pin="0000").status_code == 401
    assert sign_in(kiosk_api).status_code == 201
    again = sign_in(kiosk_api, pin="0000")
    assert again.status_code == 401 and again.json()["attempts_remaining"] == 4


def test_unknown_phone_answers_exactly_like_a_wrong_pin(kiosk_api: TestClient) -> None:
    register(kiosk_api)
    known = sign_in(kiosk_api, pin="0000")
    unknown = sign_in(kiosk_api, phone="(713) 555-0199", pin="0000")
    assert unknown.status_code == known.status_code == 401
    assert unknown.json() == known.json()
    for _ in range(3):
        sign_in(kiosk_api, phone="(713) 555-0199", pin="0000")
    locked = sign_in(kiosk_api, phone="(713) 555-0199", pin="0000")
    assert locked.status_code == 423 and locked.json()["code"] == "account_locked"


def test_session_expires_after_15_idle_minutes_and_slides_with_use(
    family: Family, clock: ManualClock
) -> None:
    for _ in range(3):
        clock.advance(timedelta(minutes=14))
        assert family.get().status_code == 200
    clock.advance(timedelta(minutes=15))
    expired = family.get()
    assert expired.status_code == 401 and expired.json()["code"] == "session_expired"


def test_session_ends_an_hour_after_sign_in_even_when_busy(
    family: Family, clock: ManualClock
) -> None:
    for _ in range(5):
        clock.advance(timedelta(minutes=11))
        assert family.get().status_code == 200
    clock.advance(timedelta(minutes=5))
    assert family.get().status_code == 401


def test_sign_out_ends_the_session(family: Family) -> None:
    out = family.api.delete("/v1/sessions/current", headers=family.headers)
    assert out.status_code == 204
    after = family.get()
    assert after.status_code == 401 and after.json()["code"] == "session_expired"


def test_missing_or_bogus_session_is_401(family: Family, kiosk_api: TestClient) -> None:
    missing = kiosk_api.get(family.url())
    assert missing.status_code == 401 and missing.json()["code"] == "session_required"
    bogus = kiosk_api.get(family.url(), headers={"X-Family-Session": "nope"})
    assert bogus.status_code == 401 and bogus.json()["code"] == "session_invalid"


def test_session_works_only_at_the_kiosk_that_opened_it(family: Family, app: FastAPI) -> None:
    other_token = enroll_kiosk(app)
    with TestClient(app) as other_kiosk:
        response = other_kiosk.get(family.url(), headers={
            **family.headers, "Authorization": f"Bearer {other_token}"})
    assert response.status_code == 401 and response.json()["code"] == "session_invalid"


def test_a_session_never_reaches_another_family(family: Family, kiosk_api: TestClient) -> None:
    other = open_family(kiosk_api, phone="(713) 555-0177", email="b@example.org")
    for path in ("", "/payment-methods", "/advance-connect/transactions"):
        response = kiosk_api.get(f"/v1/accounts/{other.account_id}{path}",
                                 headers=family.headers)
        assert response.status_code == 403, path
        assert response.json()["code"] == "not_your_account"
    deposit = kiosk_api.post(f"/v1/accounts/{other.account_id}/advance-connect/deposits",
                             json={"amount_cents": 1000},
                             headers={**family.headers, "Idempotency-Key": "x"})
    assert deposit.status_code == 403


def test_family_routes_need_a_kiosk(family: Family, api: TestClient) -> None:
    del api.headers["Authorization"]
    assert api.get(family.url(), headers=family.headers).status_code == 401
    assert sign_in(api).status_code == 401
