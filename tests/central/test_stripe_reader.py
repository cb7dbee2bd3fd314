"""The card reader on Stripe Terminal: the adapter through the real ``stripe`` library
against the stand-in's Terminal endpoints (tests/stripe_terminal_standin.py), driven through
the real API: approve (and a card kept for renewals), decline, a card pulled out, a reader
offline, cancel, and the webhooks arriving first or twice."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import stripe
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from central.app import create_app
from central.kernel.clock import ManualClock
from central.mail.mailer import EmlFolderMailer
from central.mail.models import OutgoingMail
from central.mail.notifications import Letter
from central.money.models import Charge, ChargeState, LedgerJournal
from central.money.reconciler import reconcile
from central.plans.models import SubscriptionPeriod
from tests.central.family_support import Family, new_key
from tests.central.stripe_support import MakeGateway
from tests.central.test_card_reader import (
    CALLS,
    buy_on_reader,
    kiosk_id_of,
    receipts,
    renew_on_reader,
)
from tests.stripe_standin import TEST_SECRET_KEY, StripeStandIn
from tests.stripe_terminal_standin import TerminalStandIn
from tests.support import LiveServer

WEBHOOK_SECRET = "whsec_lobbytest_" + "7" * 32


@pytest.fixture
def terminal(standin: StripeStandIn) -> TerminalStandIn:
    return TerminalStandIn(standin)


@pytest.fixture
def app(seeded_url: str, clock: ManualClock, mail_dir: Path,
        make_stripe_gateway: MakeGateway) -> Iterator[FastAPI]:
    # Patient: webhooks sent before the stand-in's answer are taken by our server first, which
    # can take over a second under load (no test here waits for a time-out).
    gateway = make_stripe_gateway(webhook_secret=WEBHOOK_SECRET, timeout_seconds=30.0)
    application = create_app(seeded_url, clock, gateway=gateway,
                             mailer=EmlFolderMailer(mail_dir, clock=clock))
    yield application
    application.state.services.db.dispose()


@pytest.fixture
def reader_id(kiosk_api: TestClient, supervisor_headers: dict[str, str],
              terminal: TerminalStandIn) -> str:
    reader = terminal.add_reader("Front desk")
    response = kiosk_api.put(f"/v1/terminal/readers/{kiosk_id_of(kiosk_api)}",
                             json={"reader_ref": reader}, headers=supervisor_headers)
    assert response.status_code == 200, response.text
    assert response.json()["label"] == "Front desk"
    return reader


def present(standin: StripeStandIn, reader: str, number: str = "4242424242424242") -> None:
    """Stripe's test helper, through the real library, as a test-mode integration calls it."""
    client = stripe.StripeClient(TEST_SECRET_KEY, base_addresses={"api": standin.url})
    client.v1.test_helpers.terminal.readers.present_payment_method(
        reader, {"type": "card_present", "card_present": {"number": number}})


def start(family: Family, amount_cents: int, **extra: Any) -> dict[str, Any]:
    response = family.post("/terminal/deposits", {"amount_cents": amount_cents, **extra},
                           new_key("rdr"))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def state_of(family: Family, payment_id: str) -> dict[str, Any]:
    response = family.api.get(f"/v1/terminal/payments/{payment_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def journals(app: FastAPI) -> int:
    with app.state.services.db.transaction() as session:
        return int(session.execute(select(func.count()).select_from(LedgerJournal)).scalar_one())


def deposit_receipts(app: FastAPI) -> list[dict[str, Any]]:
    with app.state.services.db.transaction() as session:
        return [json.loads(data or "{}") for data in session.execute(
            select(OutgoingMail.data).where(OutgoingMail.kind == "deposit_receipt")).scalars()]


def test_an_unknown_stripe_reader_is_refused(kiosk_api: TestClient,
                                             supervisor_headers: dict[str, str]) -> None:
    response = kiosk_api.put(f"/v1/terminal/readers/{kiosk_id_of(kiosk_api)}",
                             json={"reader_ref": "tmr_nothere"}, headers=supervisor_headers)
    assert response.status_code == 422 and response.json()["code"] == "reader_unknown"


def test_a_tapped_card_is_approved_kept_and_credited_once(
    family: Family, reader_id: str, standin: StripeStandIn, app: FastAPI,
) -> None:
    payment = start(family, 2000, save_card=True)
    assert payment["state"] == "waiting_for_card"
    [intent] = standin.payment_intents.values()
    assert intent["payment_method_types"] == ["card_present"]
    assert intent["setup_future_usage"] == "off_session"
    assert intent["metadata"]["lobby_charge_key"].startswith("deposit:")
    assert state_of(family, payment["id"])["state"] == "waiting_for_card"
    present(standin, reader_id)
    done = state_of(family, payment["id"])
    assert done["state"] == "approved" and done["last4"] == "4242" and done["card_saved"]
    assert done["deposit"]["amount_cents"] == 2000
    assert family.get().json()["balance_cents"] == 2000
    [card] = family.get("/payment-methods").json()
    assert card["last4"] == "4242"
    assert state_of(family, payment["id"]) == done and journals(app) == 1


def test_a_card_presented_while_the_server_reads_the_payment_is_approved(
    family: Family, reader_id: str, standin: StripeStandIn,
) -> None:
    """The card goes in between the server's two reads (the PaymentIntent, then the reader).
    The reader's finished action must not read as canceled: the next look says approved.
    (CI once saw a paid card end "canceled" this way, under load.)"""
    payment = start(family, 2000)
    [intent] = standin.payment_intents.values()
    standin.then_next(f"/v1/payment_intents/{intent['id']}",
                      lambda: standin.serve(
                          "POST", f"/v1/test_helpers/terminal/readers/{reader_id}"
                          "/present_payment_method", {}, None))
    first = state_of(family, payment["id"])["state"]
    assert first in {"waiting_for_card", "approved"}
    assert state_of(family, payment["id"])["state"] == "approved"
    assert family.get().json()["balance_cents"] == 2000


@pytest.mark.parametrize(("number", "code"), [("4000000000000002", "card_declined"),
                                              ("4000000000009995", "insufficient_funds")])
def test_a_declined_card(family: Family, reader_id: str, standin: StripeStandIn,
                         app: FastAPI, number: str, code: str) -> None:
    payment = start(family, 2000)
    present(standin, reader_id, number)
    done = state_of(family, payment["id"])
    assert (done["state"], done["decline_code"]) == ("declined", code)
    with app.state.services.db.transaction() as session:
        assert session.execute(select(Charge.state)).scalar_one() is ChargeState.DECLINED
    assert journals(app) == 0


def test_a_card_pulled_out_and_a_time_out_charge_nothing(
    family: Family, reader_id: str, terminal: TerminalStandIn, app: FastAPI,
) -> None:
    for code, state in (("card_removed", "card_removed"), ("timed_out", "timed_out")):
        payment = start(family, 2000)
        terminal.fail_action(reader_id, code)
        assert state_of(family, payment["id"])["state"] == state
    assert journals(app) == 0


def test_an_offline_reader_ends_the_payment_at_once(
    family: Family, reader_id: str, terminal: TerminalStandIn,
) -> None:
    terminal.go_offline(reader_id)
    assert start(family, 2000)["state"] == "reader_offline"
    terminal.come_online(reader_id)
    assert start(family, 2000)["state"] == "waiting_for_card"


def test_cancel_cancels_the_reader_action(
    family: Family, reader_id: str, terminal: TerminalStandIn, standin: StripeStandIn,
) -> None:
    payment = start(family, 2000)
    canceled = family.api.post(f"/v1/terminal/payments/{payment['id']}/cancel").json()
    assert canceled["state"] == "canceled"
    assert terminal.readers[reader_id]["action"]["failure_code"] == "customer_canceled"
    # Canceling again, or after the end, answers the same.
    again = family.api.post(f"/v1/terminal/payments/{payment['id']}/cancel").json()
    assert again["state"] == "canceled"
    assert family.get().json()["balance_cents"] == 0


@pytest.mark.parametrize("copies", [1, 2])
def test_the_webhooks_first_or_twice_credit_once(
    family: Family, reader_id: str, standin: StripeStandIn, app: FastAPI, copies: int,
) -> None:
    server = LiveServer(app)
    server.start()
    try:
        payment = start(family, 2000)
        with standin.webhooks_to(server.url + "/v1/gateway/stripe/webhook", WEBHOOK_SECRET,
                                 before_answer=True, copies=copies):
            present(standin, reader_id)  # the events are delivered before this returns
        assert len(standin.webhook_answers) >= copies
        # The webhook settles the reader deposit by itself, before the kiosk looks: its
        # receipt says "card" (the event carries no card), and Stripe gets 2xx, not 500.
        assert set(standin.webhook_answers) == {200}, standin.webhook_answers
        assert journals(app) == 1 and family.get().json()["balance_cents"] == 2000
        [receipt] = deposit_receipts(app)
        assert receipt["card"] is None
        worded = Letter.from_json("deposit_receipt", json.dumps(receipt)).render(None, None)
        assert "A card on the lobby's card reader" in worded.get_body(('plain',)).get_content()
        # The kiosk's look then names the card the reader read, on its receipt too.
        done = state_of(family, payment["id"])
        assert done["state"] == "approved" and done["deposit"]["amount_cents"] == 2000
        assert (done["last4"], done["deposit"]["card"]["last4"]) == ("4242", "4242")
        assert journals(app) == 1 and family.get().json()["balance_cents"] == 2000
        assert len(deposit_receipts(app)) == 1
        with app.state.services.db.transaction() as session:
            assert session.execute(select(Charge.state)).scalar_one() is ChargeState.SETTLED
    finally:
        server.stop()


def test_a_plan_bought_on_a_stripe_reader(
    family: Family, reader_id: str, standin: StripeStandIn, app: FastAPI,
) -> None:
    payment = buy_on_reader(family, "auto", save_card=True).json()
    assert (payment["state"], payment["purpose"]) == ("waiting_for_card", "subscription")
    [intent] = standin.payment_intents.values()
    assert intent["amount"] == 3999 and intent["setup_future_usage"] == "off_session"
    assert intent["metadata"]["lobby_charge_key"].startswith("subscription:")
    present(standin, reader_id)
    done = state_of(family, payment["id"])
    assert done["state"] == "approved" and done["card_saved"]
    assert done["subscription"]["plan_id"] == CALLS
    [card] = family.get("/payment-methods").json()
    assert card["last4"] == "4242"
    assert receipts(app, "subscription_receipt")[0]["card"]["last4"] == "4242"


def test_a_reader_purchase_the_webhook_settles_first(
    family: Family, reader_id: str, standin: StripeStandIn, app: FastAPI,
) -> None:
    server = LiveServer(app)
    server.start()
    try:
        payment = buy_on_reader(family).json()
        with standin.webhooks_to(server.url + "/v1/gateway/stripe/webhook", WEBHOOK_SECRET,
                                 before_answer=True):
            present(standin, reader_id)
        assert set(standin.webhook_answers) == {200}, standin.webhook_answers
        [started] = family.get("/subscriptions").json()
        [receipt] = receipts(app, "subscription_receipt")
        assert receipt["card"] is None
        worded = Letter.from_json("subscription_receipt", json.dumps(receipt)).render(None, None)
        assert "A card on the lobby's card reader" in worded.get_body(("plain",)).get_content()
        done = state_of(family, payment["id"])
        assert done["state"] == "approved" and done["subscription"]["id"] == started["id"]
        assert len(family.get("/subscriptions").json()) == 1
    finally:
        server.stop()


def test_the_reconciler_first_credits_the_reader_deposit_once(
    family: Family, reader_id: str, standin: StripeStandIn, app: FastAPI, clock: ManualClock,
) -> None:
    """The kiosk never looked again (it crashed, say): the reconciler finds the approved
    PaymentIntent and credits the deposit, its receipt saying "card"; the kiosk's look
    afterwards names the card and credits nothing more."""
    payment = start(family, 2000)
    present(standin, reader_id)
    clock.advance(timedelta(minutes=5))
    services = app.state.services
    report = reconcile(services.db, services.gateway, clock, older_than=timedelta(minutes=3))
    assert report.failed == 0, report
    assert journals(app) == 1 and family.get().json()["balance_cents"] == 2000
    [receipt] = deposit_receipts(app)
    assert receipt["card"] is None
    done = state_of(family, payment["id"])
    assert done["state"] == "approved" and done["deposit"]["card"]["last4"] == "4242"
    assert journals(app) == 1 and len(deposit_receipts(app)) == 1


def manual_plan_on_reader(family: Family, standin: StripeStandIn, reader: str
                          ) -> dict[str, Any]:
    """A manual plan paid on the reader, the card not kept: no card on file."""
    payment = buy_on_reader(family).json()
    present(standin, reader)
    subscription: dict[str, Any] = state_of(family, payment["id"])["subscription"]
    assert family.get("/payment-methods").json() == []
    return subscription


def renewal_periods(app: FastAPI) -> int:
    with app.state.services.db.transaction() as session:
        return int(session.execute(select(func.count()).select_from(SubscriptionPeriod)
                                   ).scalar_one())


def test_renew_now_on_a_stripe_reader_declined_then_paid_once(
    family: Family, reader_id: str, standin: StripeStandIn, app: FastAPI,
) -> None:
    sub = manual_plan_on_reader(family, standin, reader_id)
    key = new_key("rdr-renew")
    first = renew_on_reader(family, sub["id"], key).json()
    assert (first["state"], first["purpose"]) == ("waiting_for_card", "renewal")
    intents = [i for i in standin.payment_intents.values()
               if i["metadata"]["lobby_charge_key"].startswith("renewal:")]
    assert [i["amount"] for i in intents] == [3999]
    assert intents[0]["payment_method_types"] == ["card_present"]
    present(standin, reader_id, "4000000000000002")
    declined = state_of(family, first["id"])
    assert (declined["state"], declined["decline_code"]) == ("declined", "card_declined")
    assert declined["subscription"] is None and renewal_periods(app) == 1
    # The same request again is the declined payment; a new one is the next attempt.
    assert renew_on_reader(family, sub["id"], key).json()["id"] == first["id"]
    second = renew_on_reader(family, sub["id"], save_card=True).json()
    assert second["id"] != first["id"]
    present(standin, reader_id)
    done = state_of(family, second["id"])
    assert done["state"] == "approved" and done["card_saved"]
    assert done["subscription"]["renewed_through"] is not None
    assert renewal_periods(app) == 2
    [card] = family.get("/payment-methods").json()
    assert card["last4"] == "4242"
    # The card now on file cannot pay the same period again.
    again = family.post(f"/subscriptions/{sub['id']}/renew-now", key="rn-card-after")
    assert (again.status_code, again.json()["code"]) == (409, "already_renewed")
    assert renewal_periods(app) == 2


def test_the_reconciler_first_pays_the_reader_renewal_once(
    family: Family, reader_id: str, standin: StripeStandIn, app: FastAPI, clock: ManualClock,
) -> None:
    sub = manual_plan_on_reader(family, standin, reader_id)
    payment = renew_on_reader(family, sub["id"]).json()
    present(standin, reader_id)
    clock.advance(timedelta(minutes=5))
    services = app.state.services
    report = reconcile(services.db, services.gateway, clock, older_than=timedelta(minutes=3))
    assert report.failed == 0, report
    assert renewal_periods(app) == 2
    done = state_of(family, payment["id"])
    assert done["state"] == "approved" and not done["refunded"]
    assert done["subscription"]["renewed_through"] is not None
    assert renewal_periods(app) == 2


def test_a_reader_renewal_the_processor_missed_is_handed_over_when_asked_again(
    family: Family, reader_id: str, standin: StripeStandIn, app: FastAPI,
) -> None:
    """Stripe does not answer when the payment is handed to the reader (503): the attempt is
    recorded but never reached the reader. Asked again (the kiosk's Try again), it is
    handed over under its own key (never a second attempt), and pays one period."""
    sub = manual_plan_on_reader(family, standin, reader_id)
    standin.fail_next(times=1, status=500, path="/v1/terminal/readers")
    lost = renew_on_reader(family, sub["id"])
    assert (lost.status_code, lost.json()["code"]) == (503, "gateway_unavailable"), lost.text
    key = new_key("rdr-renew")  # the kiosk's Try again is a new request
    again = renew_on_reader(family, sub["id"], key)
    assert again.status_code == 201, again.text
    payment = again.json()
    assert payment["state"] == "waiting_for_card"
    assert renew_on_reader(family, sub["id"], key).json()["id"] == payment["id"]
    renewal_keys = [i["metadata"]["lobby_charge_key"] for i in standin.payment_intents.values()
                    if i["metadata"]["lobby_charge_key"].startswith("renewal:")]
    assert len(renewal_keys) == 1  # one attempt, one PaymentIntent
    present(standin, reader_id)
    done = state_of(family, payment["id"])
    assert done["state"] == "approved" and done["subscription"]["renewed_through"] is not None
    assert renewal_periods(app) == 2
