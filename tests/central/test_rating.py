"""Call authorization and rating for the call platform (rules 2, 3, 5, 9-12, 14): covered calls
count and report what is left, everything else is AdvanceConnect per started minute (never
below zero, never twice), a Single Call by card where offered, or refused with a reason."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from central.calls.models import Call, CallOutcome, CallStatus
from central.calls.rating import started_minutes
from central.kernel.clock import ManualClock
from central.mail.mailer import SmtpMailer
from central.mail.outbox import deliver_pending
from central.money.gateway.models import GatewayCharge
from central.money.models import LedgerJournal
from central.plans.models import Service, Subscription, SubscriptionStatus
from tests.central.family_support import DECLINE, PROBLEM, VISA, Family, open_family
from tests.central.rating_support import (
    MESA,
    PLATFORM,
    ROSA_PHONE,
    authorize,
    authorized,
    balance,
    fund,
    rate,
    subscribe,
    used_in_period,
)
from tests.support import CollectingHandler, call_platform_headers

STRANGER = "+17135550199"  # dialed, but no account has this phone

pytestmark = pytest.mark.usefixtures("call_platform")


def count(app: FastAPI, model: Any) -> int:
    with app.state.services.db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def stored_call(app: FastAPI, call_id: str) -> Call:
    with app.state.services.db.transaction() as session:
        return session.get_one(Call, call_id)


@pytest.fixture
def mesa_kiosk(app: FastAPI) -> dict[str, str]:
    """The call platform of Mesa Valley (no Single Call there)."""
    return call_platform_headers(app, MESA)


# --- covered calls (rules 2, 3, 12) -----------------------------------------------------


def test_rule2_covered_in_state_call_counts_and_reports_calls_remaining(
    family: Family, app: FastAPI
) -> None:
    subscription = subscribe(app, family.account_id, allotment=100, used=0)
    fund(app, family.account_id, 500)
    body = authorized(family.api, "covered", phone="(713) 555-0142")
    assert (body["calls_remaining"], body["unlimited"]) == (99, False)
    assert body["subscription_id"] == subscription and body["phone"] == ROSA_PHONE
    assert used_in_period(app, subscription) == 1
    assert authorized(family.api, "covered")["calls_remaining"] == 98

    rated = rate(family.api, body["call_id"], 25 * 60)  # any length (rule 2)
    assert rated.status_code == 200, rated.text
    assert rated.json()["outcome"] == "covered"
    assert (rated.json()["billed_minutes"], rated.json()["charged_cents"]) == (25, 0)
    assert balance(app, family.account_id) == 500
    call = stored_call(app, body["call_id"])
    assert (call.status, call.outcome, call.account_id) == (
        CallStatus.RATED, CallOutcome.COVERED, family.account_id)


@pytest.mark.parametrize("destination", ["interstate", "international"])
def test_rule11_interstate_and_international_are_charged_not_covered(
    family: Family, app: FastAPI, destination: str
) -> None:
    subscription = subscribe(app, family.account_id)
    fund(app, family.account_id, 1000)
    body = authorized(family.api, "charged", destination=destination)
    assert (body["cents_per_minute"], body["max_minutes"]) == (9, 111)  # floor(1000 / 9)
    # Why it is not covered, and the covered calls still left (rule 11).
    reason = "international" if destination == "international" else "not_in_state"
    assert (body["reason"], body["calls_remaining"]) == (reason, 100)
    assert body["balance_cents"] == 1000
    assert used_in_period(app, subscription) == 0
    rated = rate(family.api, body["call_id"], 61).json()
    assert (rated["billed_minutes"], rated["charged_cents"]) == (2, 18)
    assert rated["balance_cents"] == balance(app, family.account_id) == 982


def test_rule14_over_the_allotment_falls_back_to_advance_connect(
    family: Family, app: FastAPI
) -> None:
    subscription = subscribe(app, family.account_id, allotment=100, used=99)
    fund(app, family.account_id, 100)
    assert authorized(family.api, "covered")["calls_remaining"] == 0
    over = authorized(family.api, "charged")
    assert (over["cents_per_minute"], over["max_minutes"]) == (9, 11)
    assert used_in_period(app, subscription) == 100
    assert rate(family.api, over["call_id"], 120).json()["charged_cents"] == 18


def test_rule3_unlimited_video_covers_any_count_and_destination(
    family: Family, app: FastAPI
) -> None:
    subscription = subscribe(app, family.account_id, service=Service.VIDEO, allotment=None,
                             used=5000)
    for destination in ("in_state", "interstate", "international"):
        body = authorized(family.api, "covered", kind="video", destination=destination)
        assert (body["unlimited"], body["calls_remaining"]) == (True, None)
    assert used_in_period(app, subscription) == 5003
    # The video subscription does not cover phone calls.
    assert authorized(family.api, "single_call_available")["cents_per_minute"] == 9


def test_rule3_video_bundle_counts_sessions_then_charges_the_video_rate(
    family: Family, app: FastAPI
) -> None:
    subscribe(app, family.account_id, service=Service.VIDEO, allotment=8, used=7)
    fund(app, family.account_id, 100)
    assert authorized(family.api, "covered", kind="video")["calls_remaining"] == 0
    over = authorized(family.api, "charged", kind="video")
    assert (over["cents_per_minute"], over["max_minutes"]) == (19, 5)


# --- expired, cancelled, ended periods (rule 5) -----------------------------------------


@pytest.mark.parametrize("status", [SubscriptionStatus.EXPIRED, SubscriptionStatus.CANCELED])
def test_rule5_a_call_after_expiry_is_charged_not_covered(
    family: Family, app: FastAPI, status: SubscriptionStatus
) -> None:
    subscription = subscribe(app, family.account_id, status=status)
    fund(app, family.account_id, 90)
    body = authorized(family.api, "charged")
    assert rate(family.api, body["call_id"], 300).json()["charged_cents"] == 45
    assert used_in_period(app, subscription) == 0


def test_rule5_an_active_subscription_covers_only_within_its_period(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    now = clock.now()
    subscription = subscribe(app, family.account_id, start=now - timedelta(days=30),
                             end=now + timedelta(minutes=1))
    fund(app, family.account_id, 90)
    authorized(family.api, "covered")
    clock.advance(timedelta(minutes=1))  # period over, renewal not (yet) done
    authorized(family.api, "charged")
    assert used_in_period(app, subscription) == 1


# --- AdvanceConnect and its limits (rule 9) ---------------------------------------------


@pytest.mark.parametrize(("seconds", "minutes"),
                         [(0, 0), (1, 1), (59, 1), (60, 1), (61, 2), (120, 2), (3599, 60)])
def test_rule9_every_started_minute_counts(seconds: int, minutes: int) -> None:
    assert started_minutes(seconds) == minutes


def test_rule9_61_seconds_are_billed_as_two_minutes(family: Family, app: FastAPI) -> None:
    fund(app, family.account_id, 500)
    body = authorized(family.api, "charged")
    rated = rate(family.api, body["call_id"], 61).json()
    assert (rated["duration_seconds"], rated["billed_minutes"], rated["charged_cents"]) == (
        61, 2, 18)


def test_rule9_charged_minutes_are_capped_so_the_balance_never_goes_negative(
    family: Family, app: FastAPI
) -> None:
    fund(app, family.account_id, 20)
    body = authorized(family.api, "charged")
    assert body["max_minutes"] == 2
    rated = rate(family.api, body["call_id"], 10 * 60).json()
    assert (rated["billed_minutes"], rated["charged_cents"], rated["balance_cents"]) == (2, 18, 2)


def test_rule9_two_calls_on_one_balance_never_overdraw_it(family: Family, app: FastAPI) -> None:
    """The first call holds what it may cost (2 minutes, 18 c): a second call at the same
    time finds 2 c and is not charged to AdvanceConnect (it is offered a Single Call), so no
    call is ever billed nothing for minutes it used."""
    fund(app, family.account_id, 20)
    first = authorized(family.api, "charged")
    assert first["max_minutes"] == 2
    second = authorized(family.api, "single_call_available")
    assert second["balance_cents"] == 2
    assert rate(family.api, first["call_id"], 120).json()["charged_cents"] == 18
    assert balance(app, family.account_id) == 2


def test_rule14_a_refund_request_during_a_call_never_takes_its_hold(
    family: Family, app: FastAPI
) -> None:
    fund(app, family.account_id, 500)
    call = authorized(family.api, "charged")
    assert (call["max_minutes"], call["cents_per_minute"]) == (55, 9)  # 495 c held
    refund = family.post("/advance-connect/refund-requests", key="refund-mid-call")
    assert refund.status_code == 201 and refund.json()["amount_cents"] == 5
    rated = rate(family.api, call["call_id"], 10 * 60).json()
    assert (rated["billed_minutes"], rated["charged_cents"]) == (10, 90)
    assert balance(app, family.account_id) == 495 - 90


def test_an_unrated_call_gives_its_hold_back_after_the_longest_call(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    from central.calls.rating import HOLD_LASTS, release_expired_holds

    fund(app, family.account_id, 100)
    call = authorized(family.api, "charged")
    assert balance(app, family.account_id) == 1  # 99 c held for 11 minutes
    services = app.state.services
    assert release_expired_holds(services.db, clock) == 0
    clock.advance(HOLD_LASTS)
    assert release_expired_holds(services.db, clock) == 1
    assert balance(app, family.account_id) == 100
    late = rate(family.api, call["call_id"], 60).json()  # rated after all: still billed
    assert late["charged_cents"] == 9 and balance(app, family.account_id) == 91


def test_rule9_a_call_needs_one_affordable_minute(
    kiosk_api: TestClient, app: FastAPI, mesa_kiosk: dict[str, str]
) -> None:
    mesa = open_family(kiosk_api, phone="(713) 555-0177", facility_id=MESA,
                       resident_id=f"{MESA}:002")
    fund(app, mesa.account_id, 10)  # Mesa audio rate: 11 cents a minute
    refused = authorized(kiosk_api, "refused", phone="+17135550177", facility_id=MESA,
                         headers=mesa_kiosk)
    assert (refused["reason"], refused["balance_cents"]) == ("insufficient_balance", 10)
    fund(app, mesa.account_id, 1)
    charged = authorized(kiosk_api, "charged", phone="+17135550177", facility_id=MESA,
                         headers=mesa_kiosk)
    assert (charged["cents_per_minute"], charged["max_minutes"]) == (11, 1)


def test_no_account_at_a_facility_without_single_call_is_refused(
    family: Family, app: FastAPI, mesa_kiosk: dict[str, str]
) -> None:
    fund(app, family.account_id, 1000)
    # Rosa's account is linked to Harbor, not Mesa: no account there.
    for phone in (ROSA_PHONE, STRANGER):
        body = authorized(family.api, "refused", phone=phone, facility_id=MESA,
                          headers=mesa_kiosk)
        assert body["reason"] == "no_account"
        call = stored_call(app, body["call_id"])
        assert (call.status, call.refusal_reason) == (CallStatus.REFUSED, "no_account")
    assert balance(app, family.account_id) == 1000


def test_rating_twice_charges_once(family: Family, app: FastAPI) -> None:
    fund(app, family.account_id, 500)
    body = authorized(family.api, "charged")
    first = rate(family.api, body["call_id"], 200)
    again = rate(family.api, body["call_id"], 200)
    other = rate(family.api, body["call_id"], 900)  # a confused retry: still the first answer
    assert first.status_code == again.status_code == other.status_code == 200
    assert again.json() == other.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert first.json()["charged_cents"] == 36
    assert balance(app, family.account_id) == 464
    with app.state.services.db.transaction() as session:
        journals = session.execute(select(LedgerJournal.reference)
                                   .where(LedgerJournal.kind == "call_charge")).scalars().all()
    assert journals == [f"call:{body['call_id']}"]


def test_a_retried_authorization_is_one_call(family: Family, app: FastAPI) -> None:
    subscription = subscribe(app, family.account_id)
    first = authorize(family.api, key="platform-attempt-1")
    again = authorize(family.api, key="platform-attempt-1")
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert used_in_period(app, subscription) == 1
    assert count(app, Call) == 1


# --- Single Call by card (rule 10) ------------------------------------------------------


def test_rule10_single_call_is_offered_and_paid_by_card(family: Family, app: FastAPI) -> None:
    offered = authorized(family.api, "single_call_available", phone=STRANGER,
                         destination="international")
    assert offered["cents_per_minute"] == 9 and offered["single_call_max_minutes"] >= 1
    assert rate(family.api, offered["call_id"], 60).status_code == 409  # not paid yet
    token = family.tokenize(VISA).json()["token"]
    url = f"/v1/calls/{offered['call_id']}/single-call"
    paid = family.api.post(url, json={"token": token, "minutes": 5},
                           headers={"Idempotency-Key": "sc-1", **PLATFORM})
    assert paid.status_code == 201, paid.text
    assert paid.json() == {"call_id": offered["call_id"], "decision": "authorized", "minutes": 5,
                           "cents_per_minute": 9, "amount_cents": 45,
                           "card": {"brand": "visa", "last4": "4242"}}
    replay = family.api.post(url, json={"token": token, "minutes": 5},
                             headers={"Idempotency-Key": "sc-1", **PLATFORM})
    assert replay.json() == paid.json()
    twice = family.api.post(url, json={"token": token, "minutes": 5},
                            headers={"Idempotency-Key": "sc-2", **PLATFORM})
    assert twice.status_code == 409 and twice.json()["code"] == "single_call_already_paid"
    with app.state.services.db.transaction() as session:
        charge = session.execute(select(GatewayCharge)).scalar_one()
    assert (charge.amount_cents, charge.idempotency_key) == (
        45, f"single-call:{offered['call_id']}")
    rated = rate(family.api, offered["call_id"], 7 * 60).json()  # talked past the 5 paid
    assert (rated["outcome"], rated["billed_minutes"], rated["charged_cents"]) == (
        "single_call", 5, 45)


def test_rule10_single_call_is_offered_when_the_balance_is_too_low(
    family: Family, app: FastAPI
) -> None:
    fund(app, family.account_id, 8)  # Harbor: 9 cents a minute
    body = authorized(family.api, "single_call_available", destination="interstate")
    assert body["balance_cents"] == 8


def test_rule10_declined_single_call_stays_unpaid(family: Family, app: FastAPI) -> None:
    offered = authorized(family.api, "single_call_available", phone=STRANGER)
    token = family.tokenize(DECLINE).json()["token"]
    url = f"/v1/calls/{offered['call_id']}/single-call"
    declined = family.api.post(url, json={"token": token, "minutes": 3},
                               headers={"Idempotency-Key": "sc-d", **PLATFORM})
    assert declined.status_code == 402 and declined.json()["code"] == "card_declined"
    assert declined.headers["content-type"] == PROBLEM
    assert stored_call(app, offered["call_id"]).status is CallStatus.REFUSED
    other_card = family.tokenize(VISA).json()["token"]
    retry = family.api.post(url, json={"token": other_card, "minutes": 3},
                            headers={"Idempotency-Key": "sc-e", **PLATFORM})
    assert retry.status_code == 409 and retry.json()["code"] == "single_call_already_attempted"


def test_rule10_mesa_valley_offers_no_single_call(
    kiosk_api: TestClient, app: FastAPI, mesa_kiosk: dict[str, str]
) -> None:
    mesa = open_family(kiosk_api, phone="(713) 555-0166", facility_id=MESA,
                       resident_id=f"{MESA}:003")
    body = authorized(kiosk_api, "refused", phone="+17135550166", facility_id=MESA,
                      headers=mesa_kiosk)
    assert body["reason"] == "insufficient_balance"
    assert stored_call(app, body["call_id"]).account_id == mesa.account_id
    single = kiosk_api.post(f"/v1/calls/{body['call_id']}/single-call",
                            json={"token": "tok", "minutes": 1},
                            headers={"Idempotency-Key": "sc-m", **mesa_kiosk})
    assert single.status_code == 409 and single.json()["code"] == "single_call_not_offered"


# --- who may ask, and about what --------------------------------------------------------


def test_calls_need_an_enrolled_client(api: TestClient) -> None:
    response = authorize(api, headers={"Authorization": "Bearer nobody"})
    assert response.status_code == 401 and response.headers["content-type"] == PROBLEM


def test_the_platform_acts_only_for_its_own_facility(
    family: Family, app: FastAPI, mesa_kiosk: dict[str, str]
) -> None:
    other = authorize(family.api, facility_id=MESA)  # the test platform is Harbor's
    assert other.status_code == 403 and other.json()["code"] == "facility_not_enrolled"
    fund(app, family.account_id, 100)
    body = authorized(family.api, "charged")
    foreign = rate(family.api, body["call_id"], 60, headers=mesa_kiosk)
    assert foreign.status_code == 404 and foreign.json()["code"] == "call_unknown"


def test_bad_requests_are_named(family: Family, app: FastAPI) -> None:
    unknown = authorize(family.api, facility_id="no-such-jail")
    assert (unknown.status_code, unknown.json()["code"], unknown.json()["field"]) == (
        422, "facility_unknown", "facility_id")
    phone = authorize(family.api, phone="12")
    assert (phone.status_code, phone.json()["code"]) == (422, "phone_invalid")
    wrong_resident = authorized(family.api, "refused", resident_id=f"{MESA}:001")
    assert wrong_resident["reason"] == "resident_unknown"
    assert rate(family.api, "no-such-call", 60).status_code == 404
    refused = rate(family.api, wrong_resident["call_id"], 60)
    assert refused.status_code == 409 and refused.json()["code"] == "call_not_authorized"
    negative = rate(family.api, wrong_resident["call_id"], -1)
    assert negative.status_code == 422 and negative.json()["field"] == "duration_seconds"
    assert count(app, Call) == 1


# --- the usage reminder (rule 12) -------------------------------------------------------


def test_rule12_one_reminder_email_per_period(
    family: Family, app: FastAPI, clock: ManualClock,
    smtp_server: tuple[CollectingHandler, int],
) -> None:
    handler, port = smtp_server
    services = app.state.services
    mailer = SmtpMailer("127.0.0.1", port, timeout=5, clock=clock)
    subscription = subscribe(app, family.account_id, allotment=20, used=16)  # threshold 2
    assert authorized(family.api, "covered")["calls_remaining"] == 3
    assert deliver_pending(services.db, mailer, clock) == 0
    assert authorized(family.api, "covered")["calls_remaining"] == 2
    assert authorized(family.api, "covered")["calls_remaining"] == 1
    assert authorized(family.api, "covered")["calls_remaining"] == 0
    assert deliver_pending(services.db, mailer, clock) == 1
    assert [m.message["Subject"] for m in handler.messages] == ["2 of 20 calls left this period"]
    assert handler.messages[0].rcpt_tos == ["rosa.martinez@example.org"]
    with services.db.transaction() as session:
        row = session.get_one(Subscription, subscription)
        assert row.usage_reminder_sent_for == row.current_period_start

    # The next period (as a renewal would set it): one more reminder, once.
    with services.db.transaction() as session:
        row = session.get_one(Subscription, subscription)
        start = row.current_period_end
        session.execute(update(Subscription).where(Subscription.id == subscription).values(
            current_period_start=start, current_period_end=start + timedelta(days=30),
            used_in_period=17, period_index=1))
    clock.set(start + timedelta(hours=1))
    assert authorized(family.api, "covered")["calls_remaining"] == 2
    assert authorized(family.api, "covered")["calls_remaining"] == 1
    assert deliver_pending(services.db, mailer, clock) == 1
    assert deliver_pending(services.db, mailer, clock) == 0
    assert len(handler.messages) == 2


def test_only_the_call_platform_may_authorize_or_rate_calls(
    family: Family, kiosk_api: TestClient, app: FastAPI
) -> None:
    """A lobby kiosk is a public machine: its token must not spend a family's money."""
    fund(app, family.account_id, 500)
    kiosk = {"Authorization": kiosk_api.headers["Authorization"]}
    refused = authorize(kiosk_api, headers=kiosk)
    assert refused.status_code == 403 and refused.json()["code"] == "not_the_call_platform"
    call = authorized(kiosk_api, "charged")  # the platform's own token
    assert rate(kiosk_api, call["call_id"], 60, headers=kiosk).status_code == 403
    assert rate(kiosk_api, call["call_id"], 60).status_code == 200
    # ...and the platform's token cannot act as a kiosk.
    assert kiosk_api.get("/v1/facilities", headers=PLATFORM).status_code == 403
