"""Item 3 of issue 17 ("Real money"), the policy defects: a plan priced under 1 c, a
supervisor with no facility, a price changed between the quote and Buy, and a sign-up that
tells whether a phone is registered. Each test failed on the code before its fix."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from central.identity.models import Kiosk, StaffMember
from central.kernel.facilities import Plan
from central.money.gateway.models import GatewayCharge
from central.plans.models import Subscription
from tests.central.family_support import PROBLEM, Family, new_key, register, registration
from tests.central.test_fleet import _beat
from tests.central.test_kiosk_audit_events import event
from tests.central.test_price_audit import HARBOR, _pricing
from tests.central.test_subscriptions import CALLS, buy, count, quote, subscribe
from tests.support import enroll_kiosk

# --- a plan priced under 1 c -----------------------------------------------------------------


def test_a_plan_price_under_1_cent_is_refused_naming_the_field(
    kiosk_api: TestClient, supervisor_headers: dict[str, str]
) -> None:
    before = kiosk_api.get("/v1/facilities/harbor-county-jail").json()
    body = _pricing(kiosk_api, "harbor-county-jail", 380)
    index = next(i for i, p in enumerate(body["plans"]) if p["id"] == CALLS)
    body["plans"][index]["price_cents"] = 0
    refused = kiosk_api.put(f"{HARBOR}/pricing", headers=supervisor_headers, json=body)
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"] == PROBLEM
    assert refused.json()["field"] == f"plans.{index}.price_cents"
    assert kiosk_api.get("/v1/facilities/harbor-county-jail").json() == before
    assert kiosk_api.get(f"{HARBOR}/price-changes", headers=supervisor_headers).json() == []


def _price_stored(app: FastAPI, cents: int) -> None:
    """A price written before prices under 1 c were refused (here: straight into the table)."""
    with app.state.services.db.transaction() as session:
        session.execute(update(Plan).where(Plan.id == CALLS).values(price_cents=cents))


def test_a_0_cent_price_already_stored_is_a_clear_problem_not_a_500(
    family: Family, app: FastAPI
) -> None:
    _price_stored(app, 0)
    card = family.add_card()
    for response in (quote(family), buy(family, card_id=card["id"])):
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == PROBLEM
        assert (response.json()["code"], response.json()["field"]) == (
            "plan_price_invalid", "plan_id")
    assert count(app, GatewayCharge) == 0 and count(app, Subscription) == 0


def test_renew_now_at_a_0_cent_price_already_stored_is_a_clear_problem_not_a_500(
    family: Family, app: FastAPI
) -> None:
    sub: dict[str, Any] = subscribe(family, mode="manual")
    with app.state.services.db.transaction() as session:
        session.execute(update(Subscription).values(price_cents=0))
    refused = family.post(f"/subscriptions/{sub['id']}/renew-now", key="rn-free")
    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == "plan_price_invalid"
    assert count(app, GatewayCharge) == 1  # the first period only


# --- a supervisor with no facility -------------------------------------------------------------


def test_a_supervisor_with_no_facility_sees_only_the_signing_in_kiosks_facility(
    app: FastAPI, kiosk_api: TestClient, kiosk_token: str, supervisor_headers: dict[str, str]
) -> None:
    """A member created before staff had facilities, signed in at a Harbor County kiosk,
    sees Harbor County's kiosks and trail, not Mesa Valley's."""
    with app.state.services.db.transaction() as session:
        session.execute(update(StaffMember).values(facility_id=None))
    mesa_token = enroll_kiosk(app, "mesa-valley-detention")
    _beat(kiosk_api, mesa_token)
    _beat(kiosk_api, kiosk_token)
    for token, staff_id in ((mesa_token, "staff-mesa"), (kiosk_token, "staff-harbor")):
        recorded = kiosk_api.post(
            "/v1/kiosks/audit-events", json=event(staff_id=staff_id),
            headers={"Idempotency-Key": new_key("audit"), "Authorization": f"Bearer {token}"})
        assert recorded.status_code == 201, recorded.text

    fleet = kiosk_api.get("/v1/fleet/kiosks", headers=supervisor_headers)
    assert fleet.status_code == 200, fleet.text
    assert {entry["facility_id"] for entry in fleet.json()} == {"harbor-county-jail"}
    trail = kiosk_api.get("/v1/admin/audit-events", headers=supervisor_headers)
    assert trail.status_code == 200, trail.text
    assert [e["staff_id"] for e in trail.json()["events"]] == ["staff-harbor"]
    with app.state.services.db.transaction() as session:
        mesa_id = session.execute(select(Kiosk.id).where(
            Kiosk.facility_id == "mesa-valley-detention")).scalar_one()
    refused = kiosk_api.post(f"/v1/fleet/kiosks/{mesa_id}/service",
                             json={"in_service": False, "reason": "not mine"},
                             headers=supervisor_headers)
    assert refused.status_code == 404, refused.text
    assert _beat(kiosk_api, mesa_token)["in_service"] is True



# --- a price changed between the quote and Buy ------------------------------------------------


def test_a_price_changed_since_the_quote_is_409_quote_changed_with_the_new_quote(
    family: Family, app: FastAPI
) -> None:
    card = family.add_card()
    quoted = quote(family).json()
    _price_stored(app, quoted["price_cents"] + 100)  # a supervisor's change, meanwhile
    refused = buy(family, card_id=card["id"], quoted_total_cents=quoted["price_cents"])
    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"] == PROBLEM
    problem = refused.json()
    assert (problem["code"], problem["field"]) == ("quote_changed", "quoted_total_cents")
    assert problem["quote"]["price_cents"] == quoted["price_cents"] + 100
    assert problem["quote"]["plan_id"] == CALLS
    assert problem["quote"]["terms_version"] == quoted["terms_version"]
    assert count(app, GatewayCharge) == 0 and count(app, Subscription) == 0

    bought = buy(family, card_id=card["id"], quoted_total_cents=problem["quote"]["price_cents"])
    assert bought.status_code == 201, bought.text
    assert bought.json()["price_cents"] == quoted["price_cents"] + 100
    with app.state.services.db.transaction() as session:
        [charged] = session.scalars(select(GatewayCharge.amount_cents))
    assert charged == quoted["price_cents"] + 100


def test_a_purchase_without_the_quoted_price_is_a_clear_422(family: Family, app: FastAPI
                                                            ) -> None:
    card = family.add_card()
    body = {"plan_id": CALLS, "renewal_mode": "auto", "payment_method_id": card["id"],
            "terms_version": quote(family).json()["terms_version"], "accept_terms": True}
    refused = family.post("/subscriptions", body, new_key("sub"))
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert (problem["code"], problem["field"]) == ("quoted_total_required", "quoted_total_cents")
    assert "quote" in problem["detail"]
    assert count(app, GatewayCharge) == 0


# --- sign-up tells nothing about a phone it would refuse anyway ---------------------------------


def _sign_up(api: TestClient, **changes: Any) -> Any:
    return api.post("/v1/accounts", json=registration(**changes),
                    headers={"Idempotency-Key": new_key("reg")})


def test_a_sign_up_refused_anyway_answers_the_same_for_a_known_and_an_unknown_phone(
    kiosk_api: TestClient
) -> None:
    known, unknown = "(713) 555-0142", "(713) 555-0143"
    register(kiosk_api, phone=known)
    for wrong in ({"resident_id": "harbor-county-jail:nobody"},
                  {"resident_id": "mesa-valley-detention:001"},
                  {"facility_id": "no-such-facility"}):
        answers = [_sign_up(kiosk_api, phone=phone, **wrong) for phone in (known, unknown)]
        assert [a.status_code for a in answers] == [422, 422], [a.text for a in answers]
        assert answers[0].json() == answers[1].json(), wrong
    # A sign-up that would succeed still says the phone has an account: the kiosk sends the
    # family to sign in, and reports a queued sign-up's conflict (docs/offline.md).
    taken = _sign_up(kiosk_api, phone=known)
    assert (taken.status_code, taken.json()["code"]) == (409, "phone_registered")
