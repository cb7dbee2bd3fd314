"""Card-present payments on the kiosk's reader, on the sandbox's simulated reader: a reader
registered per kiosk, a deposit collected on it through every state the reader has, cancel,
the same charge records and effect as any charge, a card kept for renewals, and keyed entry
refused unless the facility allows it."""

from __future__ import annotations

import json
import threading
import time
from datetime import timedelta
from typing import Any

import pytest
import requests
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from central.identity.models import Kiosk
from central.kernel.clock import ManualClock
from central.kernel.facilities import Facility, Plan
from central.mail.models import OutgoingMail
from central.money.models import Charge, ChargePurpose, ChargeState, LedgerJournal
from central.plans.models import SubscriptionPeriod
from central.plans.quote import TERMS_VERSION
from tests.central.family_support import PROBLEM, VISA, Family, new_key

READER = "sim_lobby_1"


def kiosk_id_of(api: TestClient) -> str:
    """The calling kiosk's id (the only kiosk the fixtures enrol, "Lobby 1")."""
    app: FastAPI = api.app  # type: ignore[assignment]
    with app.state.services.db.transaction() as session:
        ids = list(session.execute(select(Kiosk.id).where(Kiosk.revoked_at.is_(None),
                                                          Kiosk.name == "Lobby 1")).scalars())
    assert len(ids) == 1
    kiosk_id: str = ids[0]
    return kiosk_id


@pytest.fixture
def reader(kiosk_api: TestClient, supervisor_headers: dict[str, str]) -> dict[str, Any]:
    response = kiosk_api.put(f"/v1/terminal/readers/{kiosk_id_of(kiosk_api)}",
                             json={"reader_ref": READER}, headers=supervisor_headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def start(family: Family, amount_cents: int, key: str | None = None, **extra: Any) -> Any:
    return family.post("/terminal/deposits", {"amount_cents": amount_cents, **extra},
                       key or new_key("rdr"))


def state_of(family: Family, payment_id: str, **params: Any) -> dict[str, Any]:
    response = family.api.get(f"/v1/terminal/payments/{payment_id}", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def balance(family: Family) -> int:
    value: int = family.get().json()["balance_cents"]
    return value


def test_a_supervisor_registers_the_kiosk_reader(
    kiosk_api: TestClient, supervisor_headers: dict[str, str], reader: dict[str, Any]
) -> None:
    assert reader["reader_ref"] == READER and reader["gateway"] == "sandbox"
    mine = kiosk_api.get("/v1/terminal/reader")
    assert mine.status_code == 200 and mine.json()["id"] == reader["id"]
    kiosk = kiosk_id_of(kiosk_api)
    unknown = kiosk_api.put(f"/v1/terminal/readers/{kiosk}", json={"reader_ref": "tmr_X"},
                            headers=supervisor_headers)
    assert unknown.status_code == 422 and unknown.json()["code"] == "reader_unknown"
    assert unknown.headers["content-type"] == PROBLEM
    bad = kiosk_api.put(f"/v1/terminal/readers/{kiosk}", json={"reader_ref": "a b"},
                        headers=supervisor_headers)
    assert bad.status_code == 422
    nobody = kiosk_api.put(f"/v1/terminal/readers/{kiosk}", json={"reader_ref": READER})
    assert nobody.status_code == 401
    elsewhere = kiosk_api.put("/v1/terminal/readers/nope", json={"reader_ref": READER},
                              headers=supervisor_headers)
    assert elsewhere.status_code == 404 and elsewhere.json()["code"] == "kiosk_unknown"


def test_no_reader_is_a_problem_not_a_charge(family: Family) -> None:
    response = start(family, 2000)
    assert response.status_code == 409 and response.json()["code"] == "reader_not_registered"
    assert family.api.get("/v1/terminal/reader").status_code == 409


def test_an_approved_card_credits_the_deposit_through_the_charge_record(
    family: Family, reader: dict[str, Any], clock: ManualClock, app: FastAPI
) -> None:
    before = balance(family)
    started = start(family, 2000, total_cents=2000)
    assert started.status_code == 201, started.text
    payment = started.json()
    assert payment["state"] == "waiting_for_card" and payment["deposit"] is None
    clock.advance(timedelta(seconds=2.5))
    assert state_of(family, payment["id"])["state"] == "reading"
    clock.advance(timedelta(seconds=1))
    done = state_of(family, payment["id"])
    assert done["state"] == "approved" and (done["brand"], done["last4"]) == ("visa", "4242")
    assert done["deposit"]["amount_cents"] == 2000
    assert done["deposit"]["card"] == {"brand": "visa", "last4": "4242"}
    assert balance(family) == before + 2000
    assert not done["card_saved"]
    assert family.get("/payment-methods").json() == []
    with app.state.services.db.transaction() as session:
        charge = session.execute(select(Charge)).scalar_one()
        assert charge.state is ChargeState.SETTLED and charge.gateway == "sandbox"
        assert charge.gateway_token.startswith("reader:")
    # Asked again: the same answer, credited once.
    assert state_of(family, payment["id"]) == done
    assert balance(family) == before + 2000


def test_the_same_key_is_the_same_payment(family: Family, reader: dict[str, Any],
                                          clock: ManualClock) -> None:
    key = new_key("rdr")
    first = start(family, 2000, key).json()
    again = start(family, 2000, key)
    assert again.status_code == 201 and again.json()["id"] == first["id"]
    other = start(family, 3000, key)
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"


@pytest.mark.parametrize(("cents", "state", "code"), [
    (2001, "declined", "card_declined"),
    (2002, "declined", "insufficient_funds"),
    (2003, "card_removed", None),
])
def test_a_card_that_does_not_pay_credits_nothing(
    family: Family, reader: dict[str, Any], clock: ManualClock, app: FastAPI,
    cents: int, state: str, code: str | None,
) -> None:
    payment = start(family, cents).json()
    clock.advance(timedelta(seconds=3.5))
    done = state_of(family, payment["id"])
    assert (done["state"], done["decline_code"]) == (state, code)
    assert done["deposit"] is None and balance(family) == 0
    with app.state.services.db.transaction() as session:
        charge = session.execute(select(Charge)).scalar_one()
        assert charge.state is (ChargeState.DECLINED if code else ChargeState.ABANDONED)
        assert charge.decline_code == code
        assert session.execute(select(LedgerJournal)).first() is None


def test_no_card_times_out_and_an_offline_reader_says_so_at_once(
    family: Family, reader: dict[str, Any], clock: ManualClock,
) -> None:
    waiting = start(family, 2004).json()
    clock.advance(timedelta(seconds=59))
    assert state_of(family, waiting["id"])["state"] == "waiting_for_card"
    clock.advance(timedelta(seconds=2))
    assert state_of(family, waiting["id"])["state"] == "timed_out"
    offline = start(family, 2005)
    assert offline.status_code == 201 and offline.json()["state"] == "reader_offline"
    assert balance(family) == 0


def test_cancel_stops_the_reader_and_a_late_card_is_not_charged(
    family: Family, reader: dict[str, Any], clock: ManualClock,
) -> None:
    payment = start(family, 2000).json()
    canceled = family.api.post(f"/v1/terminal/payments/{payment['id']}/cancel")
    assert canceled.status_code == 200 and canceled.json()["state"] == "canceled"
    clock.advance(timedelta(seconds=10))
    assert state_of(family, payment["id"])["state"] == "canceled"
    assert balance(family) == 0
    # A card approved before the cancel came stays approved: the answer says so.
    paid = start(family, 2000).json()
    clock.advance(timedelta(seconds=4))
    late = family.api.post(f"/v1/terminal/payments/{paid['id']}/cancel").json()
    assert late["state"] == "approved" and balance(family) == 2000


def test_a_long_poll_answers_when_the_state_changes_or_the_wait_is_over(
    family: Family, reader: dict[str, Any], clock: ManualClock,
) -> None:
    payment = start(family, 2000).json()
    waited = state_of(family, payment["id"], wait=0.5, after="waiting_for_card")
    assert waited["state"] == "waiting_for_card"
    clock.advance(timedelta(seconds=2.5))
    assert state_of(family, payment["id"], wait=5, after="waiting_for_card")["state"] == \
        "reading"
    bad = family.api.get(f"/v1/terminal/payments/{payment['id']}", params={"wait": 99})
    assert bad.status_code == 422 and bad.headers["content-type"] == PROBLEM
    stranger = family.api.get("/v1/terminal/payments/nope")
    assert stranger.status_code == 404 and stranger.json()["code"] == "reader_payment_unknown"


def test_a_card_kept_for_renewals_becomes_the_card_on_file(
    family: Family, reader: dict[str, Any], clock: ManualClock,
) -> None:
    payment = start(family, 2000, save_card=True).json()
    assert payment["save_card"] is True
    clock.advance(timedelta(seconds=4))
    done = state_of(family, payment["id"])
    assert done["state"] == "approved" and done["card_saved"] is True
    [card] = family.get("/payment-methods").json()
    assert (card["brand"], card["last4"]) == ("visa", "4242")
    # It charges like any card on file.
    deposit = family.deposit(1000)
    assert deposit.status_code == 201, deposit.text
    assert balance(family) == 3000


def test_keyed_entry_is_refused_unless_the_facility_allows_it(
    family: Family, app: FastAPI
) -> None:
    assert family.tokenize(VISA).status_code == 201  # the demo facility allows it
    with app.state.services.db.transaction() as session:
        session.execute(update(Facility).where(Facility.id == "harbor-county-jail")
                        .values(allows_keyed_entry=False))
    refused = family.tokenize(VISA)
    assert refused.status_code == 403 and refused.headers["content-type"] == PROBLEM
    assert refused.json()["code"] == "keyed_entry_not_allowed"
    assert "4242" not in refused.text


def test_lobby_central_reader_add_registers_a_kiosk_reader(
    kiosk_api: TestClient, seeded_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from central.cli import main

    kiosk = kiosk_id_of(kiosk_api)
    assert main(["reader-add", "--db", seeded_url, "--gateway", "sandbox", "--kiosk", kiosk,
                 "--reader", "sim_front_desk"]) == 0
    assert "sim_front_desk" in capsys.readouterr().out
    assert kiosk_api.get("/v1/terminal/reader").json()["reader_ref"] == "sim_front_desk"
    assert main(["reader-add", "--db", seeded_url, "--kiosk", kiosk,
                 "--reader", "tmr_NOPE"]) == 2
    assert "no such reader" in capsys.readouterr().err
    assert main(["reader-add", "--db", seeded_url, "--kiosk", "nope",
                 "--reader", "sim_x"]) == 2


# --- a plan bought on the reader ----------------------------------------------------------

CALLS = "harbor-county-jail:call-100"  # $39.99: the simulated reader approves it


def buy_on_reader(family: Family, mode: str = "manual", key: str | None = None,
                  **changes: Any) -> Any:
    body: dict[str, Any] = {"plan_id": CALLS, "renewal_mode": mode,
                            "terms_version": TERMS_VERSION, "accept_terms": True,
                            "quoted_total_cents": 3999, **changes}
    return family.post("/terminal/subscriptions", body, key or new_key("rdr-sub"))


def receipts(app: FastAPI, kind: str) -> list[dict[str, Any]]:
    with app.state.services.db.transaction() as session:
        return [json.loads(data or "{}") for data in session.execute(
            select(OutgoingMail.data).where(OutgoingMail.kind == kind)).scalars()]


def test_a_plan_bought_on_the_reader_starts_through_the_purchase_effect(
    family: Family, reader: dict[str, Any], clock: ManualClock, app: FastAPI
) -> None:
    started = buy_on_reader(family)
    assert started.status_code == 201, started.text
    payment = started.json()
    assert (payment["purpose"], payment["amount_cents"]) == ("subscription", 3999)
    assert payment["state"] == "waiting_for_card" and payment["subscription"] is None
    assert family.get("/subscriptions").json() == []
    clock.advance(timedelta(seconds=4))
    done = state_of(family, payment["id"])
    assert done["state"] == "approved" and done["last4"] == "4242"
    assert done["subscription"]["plan_id"] == CALLS and not done["refunded"]
    assert done["subscription"]["renewal_mode"] == "manual"
    [mine] = family.get("/subscriptions").json()
    assert mine["id"] == done["subscription"]["id"] and mine["status"] == "active"
    with app.state.services.db.transaction() as session:
        charge = session.execute(select(Charge)).scalar_one()
        assert charge.state is ChargeState.SETTLED and charge.purpose.value == "subscription"
        assert charge.gateway_token.startswith("reader:")
        period = session.execute(select(SubscriptionPeriod)).scalar_one()
        assert period.charge_id == charge.id
    [receipt] = receipts(app, "subscription_receipt")
    assert receipt["card"] == {"brand": "visa", "last4": "4242"}
    assert balance(family) == 0  # a plan is not AdvanceConnect money
    # Asked again, and the same key again: the same payment, one subscription.
    assert state_of(family, payment["id"]) == done
    assert buy_on_reader(family, key=None).json()["code"] == "already_subscribed"


def test_automatic_renewal_on_the_reader_keeps_the_card_only_with_consent(
    family: Family, reader: dict[str, Any], clock: ManualClock,
) -> None:
    refused = buy_on_reader(family, "auto")
    assert refused.status_code == 422 and refused.json()["code"] == "save_card_required"
    assert refused.headers["content-type"] == PROBLEM
    payment = buy_on_reader(family, "auto", save_card=True).json()
    clock.advance(timedelta(seconds=4))
    done = state_of(family, payment["id"])
    assert done["state"] == "approved" and done["card_saved"]
    assert done["subscription"]["renewal_mode"] == "auto"
    [card] = family.get("/payment-methods").json()
    assert card["last4"] == "4242"
    [mine] = family.get("/subscriptions").json()
    assert mine["card"]["last4"] == "4242"


def test_a_reader_purchase_checks_the_quote_and_terms_before_any_charge(
    family: Family, reader: dict[str, Any], app: FastAPI
) -> None:
    moved = buy_on_reader(family, quoted_total_cents=2999)
    assert moved.status_code == 409 and moved.json()["code"] == "quote_changed"
    assert moved.json()["quote"]["price_cents"] == 3999
    terms = buy_on_reader(family, accept_terms=False)
    assert terms.status_code == 422 and terms.json()["code"] == "terms_not_accepted"
    old = buy_on_reader(family, terms_version="v0")
    assert old.status_code == 409 and old.json()["code"] == "terms_changed"
    with app.state.services.db.transaction() as session:
        assert session.execute(select(Charge)).first() is None


def test_a_reader_purchase_needs_a_reader(family: Family) -> None:
    response = buy_on_reader(family)
    assert response.status_code == 409 and response.json()["code"] == "reader_not_registered"


def test_a_declined_or_canceled_reader_purchase_starts_nothing(
    family: Family, reader: dict[str, Any], clock: ManualClock, app: FastAPI
) -> None:
    canceled = buy_on_reader(family).json()
    answer = family.api.post(f"/v1/terminal/payments/{canceled['id']}/cancel").json()
    assert answer["state"] == "canceled" and answer["subscription"] is None
    with app.state.services.db.transaction() as session:
        session.execute(update(Plan).where(Plan.id == CALLS).values(price_cents=2001))
    declined = buy_on_reader(family, quoted_total_cents=2001).json()
    clock.advance(timedelta(seconds=4))
    done = state_of(family, declined["id"])
    assert (done["state"], done["decline_code"]) == ("declined", "card_declined")
    assert done["subscription"] is None and family.get("/subscriptions").json() == []
    # The family tries again with a card that pays: a new key, a new payment.
    with app.state.services.db.transaction() as session:
        session.execute(update(Plan).where(Plan.id == CALLS).values(price_cents=3999))
    again = buy_on_reader(family).json()
    clock.advance(timedelta(seconds=4))
    assert state_of(family, again["id"])["subscription"]["plan_id"] == CALLS


# --- renew now on the reader (rule 6) ------------------------------------------------------


def renew_on_reader(family: Family, subscription_id: str, key: str | None = None,
                    **changes: Any) -> Any:
    body: dict[str, Any] = {"subscription_id": subscription_id, "quoted_total_cents": 3999,
                            **changes}
    return family.post("/terminal/renewals", body, key or new_key("rdr-renew"))


def bought_on_reader(family: Family, clock: ManualClock) -> dict[str, Any]:
    """A manual plan bought on the reader without keeping the card: no card on file."""
    payment = buy_on_reader(family).json()
    clock.advance(timedelta(seconds=4))
    subscription: dict[str, Any] = state_of(family, payment["id"])["subscription"]
    assert family.get("/payment-methods").json() == []
    return subscription


def periods(app: FastAPI) -> int:
    with app.state.services.db.transaction() as session:
        return len(list(session.execute(select(SubscriptionPeriod.id)).scalars()))


def test_renew_now_on_the_reader_pays_one_next_period_without_a_card_on_file(
    family: Family, reader: dict[str, Any], clock: ManualClock, app: FastAPI
) -> None:
    sub = bought_on_reader(family, clock)
    # Without a card on file, renew-now by card has nothing to charge.
    assert family.post(f"/subscriptions/{sub['id']}/renew-now",
                       key="rn-no-card").json()["code"] == "no_card_on_file"
    key = new_key("rdr-renew")
    started = renew_on_reader(family, sub["id"], key)
    assert started.status_code == 201, started.text
    payment = started.json()
    assert (payment["purpose"], payment["amount_cents"]) == ("renewal", 3999)
    assert payment["state"] == "waiting_for_card" and payment["subscription"] is None
    # The same request again is the same payment, never a second one.
    assert renew_on_reader(family, sub["id"], key).json()["id"] == payment["id"]
    # Another request while it is pending: refused, by the reader and by the card on file.
    other = renew_on_reader(family, sub["id"])
    assert (other.status_code, other.json()["code"]) == (409, "renewal_in_progress")
    assert other.headers["content-type"] == PROBLEM
    family.add_card()
    by_card = family.post(f"/subscriptions/{sub['id']}/renew-now", key="rn-card-too")
    assert (by_card.status_code, by_card.json()["code"]) == (409, "renewal_in_progress")
    clock.advance(timedelta(seconds=4))
    done = state_of(family, payment["id"])
    assert done["state"] == "approved" and done["last4"] == "4242" and not done["refunded"]
    assert done["subscription"]["id"] == sub["id"]
    assert done["subscription"]["renewed_through"] is not None
    assert done["subscription"]["period_end"] == sub["period_end"]  # starts at the end
    assert periods(app) == 2
    with app.state.services.db.transaction() as session:
        charge = session.execute(select(Charge).where(
            Charge.purpose == ChargePurpose.RENEWAL)).scalar_one()
        assert charge.state is ChargeState.SETTLED and charge.gateway_token.startswith("reader:")
    # The next period's receipt names the card the reader read.
    assert [r["card"] for r in receipts(app, "subscription_receipt")] == [
        {"brand": "visa", "last4": "4242"}] * 2
    # Again, by the same key, on the reader with another key, or by the card on file:
    # the period is paid already.
    assert renew_on_reader(family, sub["id"], key).json()["id"] == payment["id"]
    twice = renew_on_reader(family, sub["id"])
    assert (twice.status_code, twice.json()["code"]) == (409, "already_renewed")
    card = family.post(f"/subscriptions/{sub['id']}/renew-now", key="rn-card-after")
    assert (card.status_code, card.json()["code"]) == (409, "already_renewed")
    assert periods(app) == 2


def test_renew_now_on_the_reader_checks_before_any_charge(
    family: Family, reader: dict[str, Any], clock: ManualClock, app: FastAPI
) -> None:
    sub = bought_on_reader(family, clock)
    moved = renew_on_reader(family, sub["id"], quoted_total_cents=2999)
    assert (moved.status_code, moved.json()["code"]) == (409, "quote_changed")
    unknown = renew_on_reader(family, "nope")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "subscription_unknown")
    assert family.post(f"/subscriptions/{sub['id']}/cancel", {}).status_code == 200
    pending = renew_on_reader(family, sub["id"])
    assert (pending.status_code, pending.json()["code"]) == (409, "cancellation_pending")
    with app.state.services.db.transaction() as session:
        assert session.execute(select(Charge).where(
            Charge.purpose == ChargePurpose.RENEWAL)).first() is None


def test_a_canceled_or_declined_reader_renewal_leaves_the_period_open(
    family: Family, reader: dict[str, Any], clock: ManualClock, app: FastAPI
) -> None:
    sub = bought_on_reader(family, clock)
    canceled = renew_on_reader(family, sub["id"]).json()
    answer = family.api.post(f"/v1/terminal/payments/{canceled['id']}/cancel").json()
    assert answer["state"] == "canceled" and answer["subscription"] is None
    again = renew_on_reader(family, sub["id"]).json()  # a new attempt, a new payment
    assert again["id"] != canceled["id"]
    clock.advance(timedelta(seconds=4))
    assert state_of(family, again["id"])["subscription"]["renewed_through"] is not None
    assert periods(app) == 2


def test_a_reader_renewal_met_by_the_period_end_waits_then_enters_one_period(
    family: Family, reader: dict[str, Any], clock: ManualClock, app: FastAPI
) -> None:
    """The renewal run at period end finds the reader's attempt pending and waits for it
    (the next period's state machine), even with a card on file and a switch to automatic
    renewal pending: the card on file is not charged as well, and one period is entered."""
    from central.plans.renewals import run_renewals
    from tests.central.test_subscriptions import at, travel

    sub = bought_on_reader(family, clock)
    card = family.add_card()
    switched = family.post(f"/subscriptions/{sub['id']}/renewal",
                           {"renewal_mode": "auto", "payment_method_id": card["id"]})
    assert switched.status_code == 200, switched.text
    travel(family, clock, at(sub["period_end"]) - timedelta(seconds=2))
    payment = renew_on_reader(family, sub["id"]).json()
    services = app.state.services
    clock.set(at(sub["period_end"]) + timedelta(seconds=1))
    first = run_renewals(services.db, services.gateway, clock, worker_id="race")
    assert first.renewed == 0 and first.expired == 0
    clock.advance(timedelta(seconds=4))
    done = state_of(family, payment["id"])
    assert done["state"] == "approved" and not done["refunded"]
    assert done["subscription"]["status"] == "active"
    assert at(done["subscription"]["period_start"]) == at(sub["period_end"])
    run_renewals(services.db, services.gateway, clock, worker_id="race")
    assert periods(app) == 2
    with app.state.services.db.transaction() as session:
        renewals = list(session.execute(select(Charge).where(
            Charge.purpose == ChargePurpose.RENEWAL)).scalars())
    assert [c.state for c in renewals] == [ChargeState.SETTLED]


@pytest.mark.parametrize("run_after", [0.0, 0.03, 0.1], ids=["at-once", "30ms", "100ms"])
def test_a_reader_renewal_racing_the_renewal_run_pays_one_period(
    family: Family, reader: dict[str, Any], clock: ManualClock, app: FastAPI,
    run_after: float,
) -> None:
    """At once, from two threads: the family's renew-now on the reader a second before the
    period ends (the server's clock) and the renewal run just after it (its own clock),
    which would charge the card on file (a switch to automatic renewal is pending).
    Whichever takes the subscription's lock first, one next period is paid and one renewal
    charge kept: the run waits for the reader's attempt, or the reader is refused while the
    run's attempt is pending or once it made the plan automatic."""
    from central.plans.renewals import run_renewals
    from tests.central.test_subscriptions import at, travel
    from tests.support import LiveServer

    sub = bought_on_reader(family, clock)
    card = family.add_card()
    assert family.post(f"/subscriptions/{sub['id']}/renewal", {
        "renewal_mode": "auto", "payment_method_id": card["id"]}).status_code == 200
    end = at(sub["period_end"])
    travel(family, clock, end - timedelta(seconds=1))
    run_clock = ManualClock(end + timedelta(seconds=1))
    services = app.state.services
    server = LiveServer(app)
    server.start()
    headers = {"Authorization": family.api.headers["Authorization"],
               "X-Family-Session": family.token, "Idempotency-Key": new_key("rdr-race")}
    answers: list[requests.Response] = []
    both = threading.Barrier(2)

    def renew_on_the_reader() -> None:
        both.wait()
        answers.append(requests.post(
            f"{server.url}/v1/accounts/{family.account_id}/terminal/renewals",
            json={"subscription_id": sub["id"], "quoted_total_cents": 3999},
            headers=headers, timeout=20))

    def the_renewal_run() -> None:
        both.wait()
        time.sleep(run_after)  # the request's HTTP round trip: each may come first
        run_renewals(services.db, services.gateway, run_clock, worker_id="race")

    try:
        threads = [threading.Thread(target=renew_on_the_reader),
                   threading.Thread(target=the_renewal_run)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        [answer] = answers
        clock.set(end + timedelta(seconds=4))  # the simulated reader approves by then
        if answer.status_code == 201:
            done = state_of(family, answer.json()["id"])
            assert done["state"] == "approved" and not done["refunded"]
        else:
            assert (answer.status_code, answer.json()["code"]) in {
                (409, "renewal_in_progress"), (409, "not_manual_renewal"),
                (409, "period_ended")}, answer.text
        run_clock.set(end + timedelta(seconds=10))
        run_renewals(services.db, services.gateway, run_clock, worker_id="race")
    finally:
        server.stop()
    assert periods(app) == 2
    with services.db.transaction() as session:
        kept = [c.state for c in session.execute(select(Charge).where(
            Charge.purpose == ChargePurpose.RENEWAL)).scalars()
            if c.state is not ChargeState.ABANDONED]
    assert kept == [ChargeState.SETTLED]
    [mine] = family.get("/subscriptions").json()
    assert mine["status"] == "active" and at(mine["period_start"]) == end
