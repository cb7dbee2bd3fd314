"""``POST /v1/gateway/stripe/webhook`` on the real app, served by uvicorn on loopback, with
the Stripe gateway (the real ``stripe`` library) pointed at the local stand-in, which signs
and sends the webhooks: a lost answer finished by the webhook once, duplicates, events out
of order, a webhook before the API answer, bad signatures, events we do not use, the route
off on the sandbox, and a signing secret that never reaches a log or an answer. SQLite and
PostgreSQL."""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from central.app import create_app
from central.db.engine import Database
from central.identity.kiosks import issue_enrollment_code
from central.kernel.clock import ManualClock, SystemClock
from central.mail.mailer import EmlFolderMailer
from central.money.models import Charge, ChargePurpose, ChargeState, LedgerJournal
from central.money.reconciler import reconcile
from central.plans.models import Subscription, SubscriptionPeriod
from tests.central.family_support import DECLINE, PROBLEM, Family, new_key
from tests.central.stripe_support import MakeGateway
from tests.central.test_crash_recovery import CentralProcess
from tests.central.test_crash_recovery import Family as ProcessFamily
from tests.central.test_subscriptions import buy
from tests.stripe_standin import TEST_SECRET_KEY, StripeStandIn
from tests.support import HEAVY, LiveServer

WEBHOOK_SECRET = "whsec_lobbytest_" + "5" * 32
ROUTE = "/v1/gateway/stripe/webhook"


# The Stripe client's timeout: short, so that a stand-in hanging after it acted (3 s) is a
# time-out; a test whose webhooks arrive before the API's answer sets a patient one with
# ``@pytest.mark.stripe_timeout``: the stand-in answers only after our server has taken
# them (twice), which took over a second on PostgreSQL in a loaded CI run.
SHORT_TIMEOUT = 1.0
BEFORE_THE_ANSWER = pytest.mark.stripe_timeout(30.0)


@pytest.fixture
def app(request: pytest.FixtureRequest, seeded_url: str, clock: ManualClock, mail_dir: Path,
        make_stripe_gateway: MakeGateway) -> Iterator[FastAPI]:
    """The real app charging through Stripe (the stand-in), with a webhook secret."""
    marker = request.node.get_closest_marker("stripe_timeout")
    timeout = float(marker.args[0]) if marker is not None else SHORT_TIMEOUT
    gateway = make_stripe_gateway(webhook_secret=WEBHOOK_SECRET, timeout_seconds=timeout)
    application = create_app(seeded_url, clock, gateway=gateway,
                              mailer=EmlFolderMailer(mail_dir, clock=clock))
    yield application
    application.state.services.db.dispose()


@pytest.fixture
def webhook_url(live_server: LiveServer) -> str:
    return live_server.url + ROUTE


@pytest.fixture
def carded(family: Family) -> Family:
    family.add_card()
    return family


def deposit_charges(app: FastAPI) -> list[Charge]:
    with app.state.services.db.read() as session:
        charges = list(session.execute(select(Charge).where(
            Charge.purpose == ChargePurpose.DEPOSIT)).scalars())
        session.expunge_all()
    return charges


def journals_of(app: FastAPI, charge_id: str) -> int:
    with app.state.services.db.read() as session:
        return int(session.execute(select(func.count()).select_from(LedgerJournal).where(
            LedgerJournal.charge_id == charge_id)).scalar_one())


def settled_by_webhook(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.name == "central.money.webhooks" and "settled charge" in r.getMessage()]


def wait_for_answers(standin: StripeStandIn, count: int) -> list[int]:
    deadline = time.monotonic() + 10
    while len(standin.webhook_answers) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.1)  # and nothing more arrives
    return list(standin.webhook_answers)


def the_only_charge(app: FastAPI) -> Charge:
    [charge] = deposit_charges(app)
    return charge


def signed(payload: bytes, secret: str = WEBHOOK_SECRET, **extra: str) -> dict[str, str]:
    return {"Content-Type": "application/json",
            "Stripe-Signature": StripeStandIn.sign(payload, secret), **extra}


# -- a lost answer, finished by the webhook, once -----------------------------------------------


def test_a_charge_whose_answer_was_lost_is_settled_once_by_the_webhook(
        app: FastAPI, carded: Family, standin: StripeStandIn, webhook_url: str,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    standin.hang_after_acting(3.0)  # Stripe charges; our request never hears it
    key = new_key("dep")
    lost = carded.deposit(2000, key)
    assert lost.status_code >= 500, lost.text
    charge = the_only_charge(app)
    assert charge.state is ChargeState.PENDING
    [intent] = standin.intents_for_key(charge.gateway_key)
    assert intent["status"] == "succeeded"

    event = standin.event("payment_intent.succeeded", intent)
    assert standin.send_webhook(event, webhook_url, WEBHOOK_SECRET) == [200]
    charge = the_only_charge(app)
    assert charge.state is ChargeState.SETTLED
    assert charge.gateway_charge_id == intent["id"]
    assert journals_of(app, charge.id) == 1
    assert len(settled_by_webhook(caplog)) == 1

    # The same event again (Stripe retries), and the kiosk's retry of its request: nothing new.
    assert standin.send_webhook(event, webhook_url, WEBHOOK_SECRET, copies=2) == [200, 200]
    retried = carded.deposit(2000, key)
    assert retried.status_code == 201, retried.text
    assert the_only_charge(app).state is ChargeState.SETTLED
    assert journals_of(app, charge.id) == 1
    assert len(settled_by_webhook(caplog)) == 1
    assert len(standin.intents_for_key(charge.gateway_key)) == 1


def test_a_webhook_whose_effect_fails_is_acknowledged_counted_and_finished_later(
        app: FastAPI, carded: Family, standin: StripeStandIn, clock: ManualClock,
        webhook_url: str) -> None:
    """The ledger refuses the deposit while Stripe's webhook comes: Stripe is answered 200
    (sending it again would only add to the count), the failure is counted with its reason
    and the PaymentIntent id, and the reconciler finishes it once the ledger is open, by
    that id. (Before: the route answered 500.)"""
    from tests.central.test_charge_attention import close_ledger, open_ledger

    standin.hang_after_acting(3.0)
    assert carded.deposit(2000, new_key("dep")).status_code >= 500
    charge = the_only_charge(app)
    [intent] = standin.intents_for_key(charge.gateway_key)
    services = app.state.services
    close_ledger(services.db)
    event = standin.event("payment_intent.succeeded", intent)
    answer = requests.post(webhook_url, data=json.dumps(event).encode(),
                           headers=signed(json.dumps(event).encode()), timeout=10)
    assert answer.status_code == 200, answer.text
    assert (answer.json()["acted"], answer.json()["charge_state"]) == (False, "pending")
    assert "effect failed" in answer.json()["note"]
    charge = the_only_charge(app)
    assert (charge.effect_failures, charge.gateway_charge_id) == (1, intent["id"])
    assert "ledger is closed" in (charge.last_failure or "")
    open_ledger(services.db)
    clock.advance(timedelta(minutes=5))
    assert reconcile(services.db, services.gateway, clock).settled == 1
    assert journals_of(app, charge.id) == 1


def test_a_charge_the_reconciler_gave_up_is_completed_by_a_late_webhook(
        app: FastAPI, carded: Family, standin: StripeStandIn, clock: ManualClock,
        webhook_url: str) -> None:
    """Stripe's search lagged past the reconciler's hour, so it marked the charge abandoned;
    the webhook that comes later (Stripe retries for days) still applies the effect, once."""
    standin.search_lag = True
    standin.hang_after_acting(3.0)
    assert carded.deposit(2200).status_code >= 500
    clock.advance(timedelta(hours=2))
    services = app.state.services
    report = reconcile(services.db, services.gateway, clock)
    charge = the_only_charge(app)
    assert (report.abandoned, charge.state) == (1, ChargeState.ABANDONED)
    [intent] = standin.intents_for_key(charge.gateway_key)
    event = standin.event("payment_intent.succeeded", intent)
    assert standin.send_webhook(event, webhook_url, WEBHOOK_SECRET, copies=2) == [200, 200]
    charge = the_only_charge(app)
    assert charge.state is ChargeState.SETTLED
    assert journals_of(app, charge.id) == 1


def test_the_webhook_answer_says_whether_it_acted(
        app: FastAPI, api: TestClient, carded: Family, standin: StripeStandIn) -> None:
    standin.hang_after_acting(3.0)
    assert carded.deposit(1500).status_code >= 500
    charge = the_only_charge(app)
    [intent] = standin.intents_for_key(charge.gateway_key)
    payload = json.dumps(standin.event("payment_intent.succeeded", intent)).encode()

    first = api.post(ROUTE, content=payload, headers=signed(payload))
    again = api.post(ROUTE, content=payload, headers=signed(payload))
    assert first.status_code == again.status_code == 200, first.text
    assert first.json() | {"event_id": ""} == {
        "received": True, "event_id": "", "type": "payment_intent.succeeded",
        "handled": True, "acted": True, "charge_id": charge.id, "charge_state": "settled",
        "note": "settled"}
    assert again.json()["acted"] is False
    assert again.json()["charge_state"] == "settled"
    assert journals_of(app, charge.id) == 1


# -- duplicates, order, and a webhook before the answer -----------------------------------------


def test_duplicated_webhooks_make_one_effect(
        app: FastAPI, carded: Family, standin: StripeStandIn, webhook_url: str,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    with standin.webhooks_to(webhook_url, WEBHOOK_SECRET, copies=3):
        paid = carded.deposit(2500)
        assert paid.status_code == 201, paid.text
        assert wait_for_answers(standin, 3) == [200, 200, 200]
    charge = the_only_charge(app)
    assert charge.state is ChargeState.SETTLED
    assert journals_of(app, charge.id) == 1
    assert len(settled_by_webhook(caplog)) <= 1  # the request usually settles it first


def test_a_failure_after_a_success_does_not_undo_it(
        app: FastAPI, carded: Family, standin: StripeStandIn, webhook_url: str) -> None:
    with standin.webhooks_to(webhook_url, WEBHOOK_SECRET):
        assert carded.deposit(2000).status_code == 201
        assert wait_for_answers(standin, 1) == [200]
    charge = the_only_charge(app)
    [intent] = standin.intents_for_key(charge.gateway_key)
    failed = copy.deepcopy(intent)
    failed["status"] = "requires_payment_method"
    failed["last_payment_error"] = {"type": "card_error", "code": "card_declined",
                                    "decline_code": "generic_decline"}
    late = standin.event("payment_intent.payment_failed", failed)
    assert standin.send_webhook(late, webhook_url, WEBHOOK_SECRET) == [200]
    # and the success delivered again, after the failure
    success = standin.event("payment_intent.succeeded", intent)
    assert standin.send_webhook(success, webhook_url, WEBHOOK_SECRET) == [200]
    charge = the_only_charge(app)
    assert charge.state is ChargeState.SETTLED
    assert charge.decline_code is None
    assert journals_of(app, charge.id) == 1


@BEFORE_THE_ANSWER
def test_a_webhook_before_the_answer_then_the_answer_make_one_charge_and_one_effect(
        app: FastAPI, carded: Family, standin: StripeStandIn, webhook_url: str,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    with standin.webhooks_to(webhook_url, WEBHOOK_SECRET, before_answer=True, copies=2):
        paid = carded.deposit(3000)
        assert paid.status_code == 201, paid.text
    assert standin.webhook_answers == [200, 200]
    charge = the_only_charge(app)
    assert charge.state is ChargeState.SETTLED
    assert journals_of(app, charge.id) == 1
    assert len(settled_by_webhook(caplog)) == 1  # the webhook settled it, before the answer
    assert len(standin.intents_for_key(charge.gateway_key)) == 1
    # the answer is the one deposit, credited once
    assert paid.json()["balance_cents"] == paid.json()["amount_cents"] == 3000


@BEFORE_THE_ANSWER
def test_a_purchase_settled_by_an_early_webhook_starts_one_subscription(
        app: FastAPI, family: Family, standin: StripeStandIn, webhook_url: str,
        caplog: pytest.LogCaptureFixture) -> None:
    """The effect registered by plans (a purchase starts its subscription), not only
    money's own deposit, applied by the webhook before the API answer, once."""
    caplog.set_level(logging.INFO)
    card = family.add_card()
    with standin.webhooks_to(webhook_url, WEBHOOK_SECRET, before_answer=True, copies=2):
        bought = buy(family, card_id=card["id"])
    assert bought.status_code == 201, bought.text
    assert bought.json()["status"] == "active"
    assert len(settled_by_webhook(caplog)) == 1
    with app.state.services.db.read() as session:
        [charge] = session.execute(select(Charge)).scalars().all()
        assert charge.state is ChargeState.SETTLED
        assert charge.purpose is ChargePurpose.SUBSCRIPTION
        subscriptions = session.execute(select(func.count()).select_from(Subscription)
                                        .where(Subscription.account_id == family.account_id))
        assert subscriptions.scalar_one() == 1
        periods = session.execute(select(func.count()).select_from(SubscriptionPeriod)
                                  .where(SubscriptionPeriod.charge_id == charge.id))
        assert periods.scalar_one() == 1


@BEFORE_THE_ANSWER
def test_a_decline_delivered_before_the_answer_is_one_402(
        app: FastAPI, family: Family, standin: StripeStandIn, webhook_url: str) -> None:
    family.add_card(DECLINE)
    with standin.webhooks_to(webhook_url, WEBHOOK_SECRET, before_answer=True):
        refused = family.deposit(2000)
    assert refused.status_code == 402, refused.text
    assert refused.json()["code"] == "card_declined"
    assert standin.webhook_answers == [200]
    charge = the_only_charge(app)
    assert charge.state is ChargeState.DECLINED
    assert journals_of(app, charge.id) == 0


# -- what is refused, what is ignored -----------------------------------------------------------


def _problem(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["code"] == code


def test_a_bad_or_missing_signature_is_a_400_problem(
        api: TestClient, standin: StripeStandIn) -> None:
    payload = json.dumps(standin.event("payment_intent.succeeded", {
        "id": "pi_x", "object": "payment_intent", "amount": 100, "status": "succeeded",
        "metadata": {}})).encode()
    stale = StripeStandIn.sign(payload, WEBHOOK_SECRET, timestamp=int(time.time()) - 3600)
    for headers in (
        {"Content-Type": "application/json"},  # no signature at all
        signed(payload, "whsec_someone_else_" + "1" * 24),
        {"Content-Type": "application/json", "Stripe-Signature": "t=1,v1=abc"},
        {"Content-Type": "application/json", "Stripe-Signature": "garbage"},
        {"Content-Type": "application/json", "Stripe-Signature": stale},
    ):
        answer = api.post(ROUTE, content=payload, headers=headers)
        _problem(answer, 400, "webhook_signature_invalid")
        assert WEBHOOK_SECRET not in answer.text
    # a body changed after signing
    headers = signed(payload)
    _problem(api.post(ROUTE, content=payload + b" ", headers=headers), 400,
             "webhook_signature_invalid")
    # signed, but not an event at all
    junk = b"not json"
    _problem(api.post(ROUTE, content=junk, headers=signed(junk)), 400,
             "webhook_signature_invalid")


def test_events_we_do_not_use_are_acknowledged(
        app: FastAPI, api: TestClient, carded: Family, standin: StripeStandIn) -> None:
    for event in (
        standin.event("customer.created", {"id": "cus_x", "object": "customer"}),
        standin.event("charge.refunded", {"id": "ch_x", "object": "charge"}),
        standin.event("payment_intent.succeeded", {  # not one of ours
            "id": "pi_elsewhere", "object": "payment_intent", "amount": 900,
            "status": "succeeded", "metadata": {"lobby_charge_key": "deposit:nobody:k"}}),
        standin.event("payment_intent.succeeded", {  # no key, an unknown id
            "id": "pi_unknown", "object": "payment_intent", "amount": 900,
            "status": "succeeded", "metadata": {}}),
    ):
        payload = json.dumps(event).encode()
        answer = api.post(ROUTE, content=payload, headers=signed(payload))
        assert answer.status_code == 200, answer.text
        assert answer.json()["handled"] is False
    assert deposit_charges(app) == []


@BEFORE_THE_ANSWER
def test_the_secret_never_reaches_a_log_or_an_answer(
        api: TestClient, carded: Family, standin: StripeStandIn, webhook_url: str,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with standin.webhooks_to(webhook_url, WEBHOOK_SECRET, before_answer=True):
        assert carded.deposit(2000).status_code == 201
    event = standin.event("payment_intent.succeeded", {"id": "pi_y",
                                                       "object": "payment_intent"})
    payload = json.dumps(event).encode()
    answers = [api.post(ROUTE, content=payload, headers=signed(payload, "whsec_wrong_" + "2" * 20)),
               api.post(ROUTE, content=payload + b"x", headers=signed(payload)),
               api.post(ROUTE, content=payload, headers=signed(payload))]
    assert [a.status_code for a in answers] == [400, 400, 200]
    assert any("refused a Stripe webhook" in r.getMessage() for r in caplog.records)
    texts = [caplog.text, *(a.text for a in answers), json.dumps(api.get("/openapi.json").json())]
    for text in texts:
        assert WEBHOOK_SECRET not in text
        assert WEBHOOK_SECRET[len("whsec_"):] not in text


# -- where the route is off -----------------------------------------------------------------------


def test_the_route_is_off_on_the_sandbox_and_without_a_secret(
        seeded_url: str, clock: ManualClock, mail_dir: Path, make_stripe_gateway: MakeGateway,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOBBY_CENTRAL_GATEWAY", raising=False)
    payload = b'{"id": "evt_1", "object": "event", "type": "payment_intent.succeeded"}'
    for gateway in (None, make_stripe_gateway()):  # the sandbox; Stripe without a secret
        off = create_app(seeded_url, clock, gateway=gateway,
                         mailer=EmlFolderMailer(mail_dir, clock=clock))
        try:
            with TestClient(off, raise_server_exceptions=False) as client:
                _problem(client.post(ROUTE, content=payload, headers=signed(payload)), 404,
                         "stripe_webhook_off")
        finally:
            off.state.services.db.dispose()


# -- real processes -------------------------------------------------------------------------------


@HEAVY
@pytest.mark.timeout(300)  # child processes: slow on a busy machine
def test_sigkill_after_stripe_approved_is_finished_by_the_webhook_in_a_new_process(
        seeded_url: str, tmp_path: Path, standin: StripeStandIn,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A real ``lobby-central serve`` on Stripe (the stand-in) is killed with SIGKILL while
    Stripe has approved a deposit and not yet answered; Stripe's webhook, delivered to the
    restarted server (twice), settles it once, with no reconcile run. Then
    a webhook that arrives before the API answer: one charge, one effect."""
    for name, value in {"LOBBY_CENTRAL_GATEWAY": "stripe", "LOBBY_STRIPE_API_BASE": standin.url,
                        "LOBBY_STRIPE_SECRET_KEY": TEST_SECRET_KEY,
                        "LOBBY_STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
                        "LOBBY_STRIPE_MAX_NETWORK_RETRIES": "0"}.items():
        monkeypatch.setenv(name, value)
    log = tmp_path / "serve.log"
    db = Database(seeded_url)
    first = CentralProcess(seeded_url, log)
    try:
        code = issue_enrollment_code(db, SystemClock(), "harbor-county-jail")
        enrolled = requests.post(first.base + "/v1/kiosks/enroll",
                                 json={"code": code, "name": "Lobby 1"}, timeout=30)
        assert enrolled.status_code == 201, enrolled.text
        token = enrolled.json()["token"]
        requests.post(first.base + "/v1/kiosks/enroll/confirm",
                      headers={"Authorization": f"Bearer {token}"}, timeout=30
                      ).raise_for_status()
        family = ProcessFamily(first, token, "+17135550177")
        standin.hang_after_acting(10.0)
        lost: list[BaseException] = []

        def deposit() -> None:
            try:
                family.call("POST", family.url("/advance-connect/deposits"),
                            {"amount_cents": 2000}, key="dep-1")
            except requests.ConnectionError as exc:
                lost.append(exc)

        asking = threading.Thread(target=deposit)
        asking.start()
        deadline = time.monotonic() + 30
        while not any(pi["status"] == "succeeded" for pi in standin.payment_intents.values()):
            assert time.monotonic() < deadline, "Stripe never approved"
            time.sleep(0.05)
        first.process.kill()  # approved by Stripe, not yet committed by us
        assert first.killed_by_sigkill()
        asking.join(30)
        assert lost, "the request should have lost its server"
    finally:
        first.stop()
    with db.read() as session:
        [pending] = session.execute(select(Charge)).scalars().all()
        assert pending.state is ChargeState.PENDING
        session.expunge_all()

    second = CentralProcess(seeded_url, log)
    try:
        url = second.base + ROUTE
        [intent] = standin.intents_for_key(pending.gateway_key)
        event = standin.event("payment_intent.succeeded", intent)
        assert standin.send_webhook(event, url, WEBHOOK_SECRET, copies=2) == [200, 200]
        family.server = second
        # (the kiosk's retry under "dep-1" is 409 request_in_flight until the killed
        # request's Idempotency-Key claim goes stale; the charge needs no retry now)

        with standin.webhooks_to(url, WEBHOOK_SECRET, before_answer=True, copies=2):
            early = family.call("POST", family.url("/advance-connect/deposits"),
                                {"amount_cents": 3000}, key="dep-2")
        assert early.status_code == 201, early.text
        assert early.json()["balance_cents"] == 5000
    finally:
        second.stop()
    try:
        with db.read() as session:
            charges = session.execute(select(Charge)).scalars().all()
            assert len(charges) == 2
            for charge in charges:
                assert charge.state is ChargeState.SETTLED
                assert len(standin.intents_for_key(charge.gateway_key)) == 1
                journals = session.execute(select(func.count()).select_from(LedgerJournal)
                                           .where(LedgerJournal.charge_id == charge.id))
                assert journals.scalar_one() == 1
    finally:
        db.dispose()


@HEAVY
@pytest.mark.timeout(300)  # child processes: slow on a busy machine
def test_sigkill_after_stripe_approved_is_finished_by_a_reconcile_process_once(
        seeded_url: str, tmp_path: Path, standin: StripeStandIn,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The same SIGKILL, but no webhook reaches us in time: ``lobby-central reconcile
    --gateway stripe`` (a process of its own, on the real clock) finds the PaymentIntent by
    its key and applies the deposit once. One charge, one PaymentIntent, one journal."""
    import subprocess
    import sys

    for name, value in {"LOBBY_STRIPE_API_BASE": standin.url,
                        "LOBBY_STRIPE_SECRET_KEY": TEST_SECRET_KEY,
                        "LOBBY_STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
                        "LOBBY_STRIPE_MAX_NETWORK_RETRIES": "0"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("LOBBY_CENTRAL_GATEWAY", "stripe")
    log = tmp_path / "serve.log"
    db = Database(seeded_url)
    server = CentralProcess(seeded_url, log)
    try:
        code = issue_enrollment_code(db, SystemClock(), "harbor-county-jail")
        token = requests.post(server.base + "/v1/kiosks/enroll",
                              json={"code": code, "name": "Lobby 1"}, timeout=30).json()["token"]
        requests.post(server.base + "/v1/kiosks/enroll/confirm",
                      headers={"Authorization": f"Bearer {token}"}, timeout=30
                      ).raise_for_status()
        family = ProcessFamily(server, token, "+17135550178")
        standin.hang_after_acting(10.0)
        asking = threading.Thread(target=lambda: _ignore_lost(
            family, "/advance-connect/deposits", {"amount_cents": 2000}, "dep-k"))
        asking.start()
        deadline = time.monotonic() + 30
        while not any(pi["status"] == "succeeded" for pi in standin.payment_intents.values()):
            assert time.monotonic() < deadline, "Stripe never approved"
            time.sleep(0.05)
        server.process.kill()  # approved by Stripe, not yet committed by us
        assert server.killed_by_sigkill()
        asking.join(30)
    finally:
        server.stop()
    done = subprocess.run(
        [sys.executable, "-m", "central.cli", "reconcile", "--db", seeded_url,
         "--gateway", "stripe", "--older-than", "0"],
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "1 settled" in done.stdout, done.stdout
    try:
        with db.read() as session:
            [charge] = session.execute(select(Charge)).scalars().all()
            assert charge.state is ChargeState.SETTLED and charge.gateway == "stripe"
            [intent] = standin.intents_for_key(charge.gateway_key)
            assert charge.gateway_charge_id == intent["id"]
            journals = session.execute(select(func.count()).select_from(LedgerJournal)
                                       .where(LedgerJournal.charge_id == charge.id))
            assert journals.scalar_one() == 1
    finally:
        db.dispose()


def _ignore_lost(family: ProcessFamily, tail: str, body: Any, key: str) -> None:
    """A request whose server is killed under it: the connection error is the point."""
    with contextlib.suppress(requests.ConnectionError):
        family.call("POST", family.url(tail), body, key=key)
