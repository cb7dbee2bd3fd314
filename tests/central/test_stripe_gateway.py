"""The Stripe gateway through the real ``stripe`` library against the local stand-in
(tests/stripe_standin.py): cards, approvals, each decline, Stripe's idempotency, a timeout
after Stripe charged, 500s, refunds, webhooks, and secrets that never leak."""

from __future__ import annotations

import json
import logging
import threading
import traceback
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import stripe

from central.kernel.clock import ManualClock
from central.money.gateway import (
    CardDetails,
    CardRejected,
    DeclineCode,
    GatewayConfigError,
    GatewayError,
    GatewayUnavailable,
    KeyConflict,
    RefundRefused,
    UnknownToken,
)
from central.money.gateway.stripe_gateway import (
    CHARGE_KEY_METADATA,
    StripeGateway,
    StripeSettings,
    stripe_idempotency_key,
)
from tests.central.family_support import DECLINE, EXPIRED_AT_CHARGE, INSUFFICIENT, VISA
from tests.central.stripe_support import MakeGateway
from tests.stripe_standin import TEST_SECRET_KEY, StripeStandIn, decode_form

THREE_DS_UNLESS_SET_UP = "4000002500003155"
THREE_DS_ALWAYS = "4000002760003184"
ATTACHES_THEN_DECLINES = "4000000000000341"


def card(number: str = VISA, month: int = 12, year: int = 2030, cvc: str = "123"
         ) -> CardDetails:
    return CardDetails(number=number, exp_month=month, exp_year=year, cvc=cvc)


def test_the_standin_decodes_stripes_form_encoding() -> None:
    assert decode_form([("metadata[lobby_charge_key]", "k"), ("card[number]", "4242"),
                        ("expand[]", "a"), ("expand[]", "b"), ("items[0][price]", "p"),
                        ("amount", "100")]) == {
        "metadata": {"lobby_charge_key": "k"}, "card": {"number": "4242"},
        "expand": ["a", "b"], "items": [{"price": "p"}], "amount": "100"}


def test_a_card_on_file_is_a_customer_with_an_attached_payment_method(
    stripe_gateway: StripeGateway, standin: StripeStandIn
) -> None:
    token = stripe_gateway.tokenize(card(month=4, year=2029))
    assert token.token.startswith("pm_")
    assert (token.brand, token.last4, token.exp_month, token.exp_year) == (
        "visa", "4242", 4, 2029)
    method = standin.payment_methods[token.token]
    assert method["customer"] in standin.customers
    assert stripe_gateway.describe(token.token) == token
    amex = stripe_gateway.tokenize(card("378282246310005", cvc="1234"))
    assert amex.brand == "amex"


def test_bad_cards_are_refused_before_stripe_sees_them(
    stripe_gateway: StripeGateway, standin: StripeStandIn
) -> None:
    """The same checks and answers as the sandbox (a kiosk cannot tell the gateways apart),
    and a number that fails them never leaves the server."""
    for bad, code in [(card("4242424242424241"), "card_number_invalid"),
                      (card(month=12, year=2025), "card_expired"),
                      (card(cvc="12"), "cvc_invalid")]:
        with pytest.raises(CardRejected) as refused:
            stripe_gateway.tokenize(bad)
        assert refused.value.code == code
    assert standin.requests == []


def test_an_approved_charge_is_a_payment_intent_under_our_key(
    stripe_gateway: StripeGateway, standin: StripeStandIn
) -> None:
    token = stripe_gateway.tokenize(card()).token
    result = stripe_gateway.charge(token, 2500, "deposit:acct:1")
    assert result.approved and result.decline_code is None
    assert (result.token, result.amount_cents) == (token, 2500)
    [intent] = standin.intents_for_key("deposit:acct:1")
    assert intent["id"] == result.charge_id
    assert (intent["status"], intent["amount"], intent["currency"]) == ("succeeded", 2500, "usd")
    assert intent["metadata"] == {CHARGE_KEY_METADATA: "deposit:acct:1"}
    [post] = standin.posts("/v1/payment_intents")
    assert post.idempotency_key == "deposit:acct:1"
    assert post.params["confirm"] == "true"
    assert "off_session" not in post.params  # a family at the kiosk: on-session
    assert post.params["error_on_requires_action"] == "true"


def test_a_renewal_is_charged_off_session(
    stripe_gateway: StripeGateway, standin: StripeStandIn
) -> None:
    token = stripe_gateway.tokenize(card()).token
    assert stripe_gateway.charge(token, 1500, "renewal:sub:2026-02-15").approved
    [post] = standin.posts("/v1/payment_intents")
    assert post.params["off_session"] == "true"
    assert "error_on_requires_action" not in post.params


@pytest.mark.parametrize(
    ("number", "key", "decline"),
    [
        (DECLINE, "deposit:a:1", DeclineCode.CARD_DECLINED),
        (ATTACHES_THEN_DECLINES, "deposit:a:1", DeclineCode.CARD_DECLINED),
        (INSUFFICIENT, "deposit:a:1", DeclineCode.INSUFFICIENT_FUNDS),
        (EXPIRED_AT_CHARGE, "deposit:a:1", DeclineCode.CARD_EXPIRED),
        (THREE_DS_UNLESS_SET_UP, "deposit:a:1", DeclineCode.AUTHENTICATION_REQUIRED),
        (THREE_DS_UNLESS_SET_UP, "renewal:s:1", DeclineCode.AUTHENTICATION_REQUIRED),
        (THREE_DS_ALWAYS, "renewal:s:1", DeclineCode.AUTHENTICATION_REQUIRED),
    ],
)
def test_each_decline_maps_to_our_code_and_is_found_again(
    stripe_gateway: StripeGateway, standin: StripeStandIn, number: str, key: str,
    decline: DeclineCode,
) -> None:
    token = stripe_gateway.tokenize(card(number)).token
    result = stripe_gateway.charge(token, 1000, key)
    assert not result.approved
    assert result.decline_code is decline
    [intent] = standin.intents_for_key(key)
    assert intent["status"] == "requires_payment_method"
    assert intent["last_payment_error"]["type"] == "card_error"
    assert stripe_gateway.find_charge(key) == result
    assert stripe_gateway.charge(token, 1000, key) == result  # the same answer, replayed
    assert len(standin.intents_for_key(key)) == 1


def test_a_card_that_has_since_expired_is_declined(
    stripe_gateway: StripeGateway, clock: ManualClock
) -> None:
    token = stripe_gateway.tokenize(card(month=1, year=2026)).token
    clock.advance(timedelta(days=20))
    assert stripe_gateway.charge(token, 500, "late").decline_code is DeclineCode.CARD_EXPIRED


def test_a_decline_stripe_has_no_code_of_ours_for_is_card_declined(
    stripe_gateway: StripeGateway, standin: StripeStandIn
) -> None:
    token = stripe_gateway.tokenize(card()).token
    standin.decline_next("generic_decline")
    assert stripe_gateway.charge(token, 700, "k").decline_code is DeclineCode.CARD_DECLINED


def test_the_same_key_twice_is_one_payment_intent_charged_once(
    stripe_gateway: StripeGateway, standin: StripeStandIn
) -> None:
    token = stripe_gateway.tokenize(card()).token
    first = stripe_gateway.charge(token, 2500, "once")
    again = stripe_gateway.charge(token, 2500, "once")
    assert first == again
    assert len(standin.intents_for_key("once")) == 1
    assert [p.replayed for p in standin.posts("/v1/payment_intents")] == [False, True]


def test_a_request_delivered_twice_charges_once(
    stripe_gateway: StripeGateway, standin: StripeStandIn
) -> None:
    token = stripe_gateway.tokenize(card()).token
    standin.duplicate_next(path="/v1/payment_intents")
    assert stripe_gateway.charge(token, 2500, "dup").approved
    assert len(standin.posts("/v1/payment_intents")) == 2
    assert len(standin.intents_for_key("dup")) == 1


def test_a_key_used_for_another_charge_is_a_conflict(
    stripe_gateway: StripeGateway, standin: StripeStandIn
) -> None:
    token = stripe_gateway.tokenize(card()).token
    other = stripe_gateway.tokenize(card()).token
    stripe_gateway.charge(token, 2500, "k1")
    with pytest.raises(KeyConflict):
        stripe_gateway.charge(token, 2600, "k1")
    with pytest.raises(KeyConflict):
        stripe_gateway.charge(other, 2500, "k1")
    assert len(standin.intents_for_key("k1")) == 1


def test_a_timeout_after_stripe_charged_is_found_by_the_key(
    make_stripe_gateway: MakeGateway, standin: StripeStandIn
) -> None:
    """The worst moment: Stripe charged, the answer never came. The charge is unknown
    (GatewayUnavailable), the metadata search finds it approved, and charging again under
    the key replays it: one PaymentIntent, charged once."""
    gateway = make_stripe_gateway(timeout_seconds=0.5)
    token = gateway.tokenize(card()).token
    standin.hang_after_acting(seconds=2.0, path="/v1/payment_intents")
    with pytest.raises(GatewayUnavailable):
        gateway.charge(token, 3100, "deposit:a:timeout")
    [intent] = standin.intents_for_key("deposit:a:timeout")
    assert intent["status"] == "succeeded"
    found = gateway.find_charge("deposit:a:timeout")
    assert found is not None and found.approved
    assert (found.charge_id, found.token, found.amount_cents) == (intent["id"], token, 3100)
    assert gateway.charge(token, 3100, "deposit:a:timeout") == found
    assert len(standin.intents_for_key("deposit:a:timeout")) == 1


def test_the_librarys_own_retry_after_a_timeout_replays_the_charge(
    make_stripe_gateway: MakeGateway, standin: StripeStandIn
) -> None:
    gateway = make_stripe_gateway(timeout_seconds=0.5, max_network_retries=1)
    token = gateway.tokenize(card()).token
    standin.hang_after_acting(seconds=2.0, path="/v1/payment_intents")
    assert gateway.charge(token, 3100, "deposit:a:retried").approved
    assert len(standin.intents_for_key("deposit:a:retried")) == 1
    assert [p.replayed for p in standin.posts("/v1/payment_intents")] == [False, True]


def test_stripe_answering_500_is_unavailable_and_nothing_is_charged(
    stripe_gateway: StripeGateway, standin: StripeStandIn
) -> None:
    token = stripe_gateway.tokenize(card()).token
    standin.fail_next(times=1, status=500, path="/v1/payment_intents")
    with pytest.raises(GatewayUnavailable) as unavailable:
        stripe_gateway.charge(token, 2500, "k500")
    assert "500" in str(unavailable.value)
    assert standin.intents_for_key("k500") == []
    assert stripe_gateway.find_charge("k500") is None
    assert stripe_gateway.charge(token, 2500, "k500").approved  # later, under the same key
    standin.fail_next(times=1, status=503, path="/v1/payment_intents/search")
    with pytest.raises(GatewayUnavailable):
        stripe_gateway.find_charge("k500")
    standin.fail_next(times=1, status=500, path="/v1/refunds")
    with pytest.raises(GatewayUnavailable):
        stripe_gateway.refund(stripe_gateway.find_charge("k500").charge_id,  # type: ignore[union-attr]
                              100, "r500")


def test_a_stripe_that_cannot_be_reached_is_unavailable(clock: ManualClock) -> None:
    closed = StripeStandIn(now=clock.now)
    url = closed.url
    closed.stop()
    gateway = StripeGateway(StripeSettings(TEST_SECRET_KEY, api_base=url, timeout_seconds=1,
                                           max_network_retries=0), clock)
    with pytest.raises(GatewayUnavailable):
        gateway.describe("pm_123")


def test_search_lag_is_none_until_stripe_indexes_the_charge(
    stripe_gateway: StripeGateway, standin: StripeStandIn
) -> None:
    """Stripe's search trails its writes; the reconciler only abandons after an hour."""
    token = stripe_gateway.tokenize(card()).token
    standin.search_lag = True
    charged = stripe_gateway.charge(token, 2500, "lagging")
    assert stripe_gateway.find_charge("lagging") is None
    standin.index_now()
    assert stripe_gateway.find_charge("lagging") == charged


def test_find_charge_reads_a_stored_id_first_and_searches_only_without_a_good_one(
    stripe_gateway: StripeGateway, standin: StripeStandIn
) -> None:
    """The stored PaymentIntent id is read at once, whatever the search has seen; an id
    Stripe does not know, or one made under another key, is not taken: the search decides."""
    token = stripe_gateway.tokenize(card()).token
    standin.search_lag = True
    charged = stripe_gateway.charge(token, 2500, "by-id")
    other = stripe_gateway.charge(token, 700, "another-key")
    searches = len([r for r in standin.requests if r.path.endswith("/search")])
    assert stripe_gateway.find_charge("by-id", charged.charge_id) == charged
    assert len([r for r in standin.requests if r.path.endswith("/search")]) == searches
    assert stripe_gateway.find_charge("by-id", "pi_unknown") is None  # searched: lagging
    assert stripe_gateway.find_charge("by-id", other.charge_id) is None
    standin.index_now()
    assert stripe_gateway.find_charge("by-id", "pi_unknown") == charged
    assert stripe_gateway.find_charge("by-id", other.charge_id) == charged


def test_find_charge_of_an_unknown_key_is_none_and_quotes_are_escaped(
    stripe_gateway: StripeGateway,
) -> None:
    assert stripe_gateway.find_charge("deposit:never") is None
    token = stripe_gateway.tokenize(card()).token
    charged = stripe_gateway.charge(token, 900, "it's:a\\key")
    assert stripe_gateway.find_charge("it's:a\\key") == charged


def test_a_key_longer_than_stripes_limit_is_sent_hashed(
    stripe_gateway: StripeGateway, standin: StripeStandIn
) -> None:
    key = "deposit:" + "x" * 290
    token = stripe_gateway.tokenize(card()).token
    charged = stripe_gateway.charge(token, 900, key)
    [post] = standin.posts("/v1/payment_intents")
    assert post.idempotency_key == stripe_idempotency_key(key) != key
    assert len(post.idempotency_key or "") <= 255
    assert stripe_gateway.find_charge(key) == charged


def test_unknown_tokens(stripe_gateway: StripeGateway) -> None:
    for token in ("tok_nope", "pm_nope"):
        with pytest.raises(UnknownToken):
            stripe_gateway.charge(token, 100, "x")
        with pytest.raises(UnknownToken):
            stripe_gateway.describe(token)


def test_refunds_partial_full_over_and_replayed(
    stripe_gateway: StripeGateway, standin: StripeStandIn
) -> None:
    token = stripe_gateway.tokenize(card()).token
    charge = stripe_gateway.charge(token, 2000, "c")
    first = stripe_gateway.refund(charge.charge_id, 1500, "refund:c:1")
    assert (first.charge_id, first.amount_cents) == (charge.charge_id, 1500)
    assert stripe_gateway.refund(charge.charge_id, 1500, "refund:c:1") == first
    with pytest.raises(KeyConflict):
        stripe_gateway.refund(charge.charge_id, 400, "refund:c:1")
    with pytest.raises(RefundRefused):
        stripe_gateway.refund(charge.charge_id, 501, "refund:c:2")
    rest = stripe_gateway.refund(charge.charge_id, 500, "refund:c:3")
    assert rest.amount_cents == 500
    with pytest.raises(RefundRefused):
        stripe_gateway.refund(charge.charge_id, 1, "refund:c:4")
    [refund_post, *_] = standin.posts("/v1/refunds")
    assert refund_post.idempotency_key == "refund:c:1"
    assert refund_post.params["metadata"] == {"lobby_refund_key": "refund:c:1"}
    assert sum(r["amount"] for r in standin.refunds.values()) == 2000
    declined = stripe_gateway.charge(stripe_gateway.tokenize(card(DECLINE)).token, 100, "d")
    with pytest.raises(RefundRefused):
        stripe_gateway.refund(declined.charge_id, 100, "refund:d")
    with pytest.raises(ValueError):
        stripe_gateway.refund(charge.charge_id, 0, "refund:zero")


# -- secrets ---------------------------------------------------------------------------------


def _every_text(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc)) + repr(exc) + str(exc)


def test_no_secret_key_or_card_number_in_any_exception_or_log(
    standin: StripeStandIn, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "sk_test_wrongkey_" + "9" * 24
    settings = StripeSettings(TEST_SECRET_KEY, api_base=standin.url, timeout_seconds=0.5,
                              max_network_retries=0, webhook_secret="whsec_" + "7" * 32)
    gateway = StripeGateway(settings, clock)
    texts = [repr(settings), repr(gateway)]
    token = gateway.tokenize(card()).token
    gateway.charge(token, 2500, "a")
    gateway.charge(gateway.tokenize(card(INSUFFICIENT)).token, 2500, "b")
    errors: list[BaseException] = []
    for misbehave, act in [
        (lambda: standin.fail_next(path="/v1/payment_intents"),
         lambda: gateway.charge(token, 2500, "c")),
        (lambda: standin.hang_after_acting(2.0), lambda: gateway.charge(token, 2500, "d")),
        (lambda: None, lambda: gateway.charge(token, 2600, "a")),
        (lambda: None, lambda: gateway.refund("pi_nope", 100, "r")),
        (lambda: None, lambda: StripeGateway(
            StripeSettings(wrong, api_base=standin.url, max_network_retries=0),
            clock).describe(token)),
    ]:
        misbehave()
        with pytest.raises(GatewayError) as raised:
            act()
        errors.append(raised.value)
    texts += [_every_text(e) for e in errors]
    texts += [r.getMessage() for r in caplog.records] + [caplog.text]
    everything = "\n".join(texts)
    for secret in (TEST_SECRET_KEY, wrong, settings.webhook_secret or "", VISA):
        assert secret not in everything
    assert any("Stripe refused our secret key" in t for t in texts)


def test_settings_from_the_environment_or_a_file(tmp_path: Path) -> None:
    key_file = tmp_path / "stripe-key"
    key_file.write_text(TEST_SECRET_KEY + "\n")
    settings = StripeSettings.from_env({
        "LOBBY_STRIPE_SECRET_KEY_FILE": str(key_file),
        "LOBBY_STRIPE_WEBHOOK_SECRET": "whsec_abc",
        "LOBBY_STRIPE_API_BASE": "http://127.0.0.1:12111",
        "LOBBY_STRIPE_TIMEOUT_SECONDS": "7.5", "LOBBY_STRIPE_MAX_NETWORK_RETRIES": "3",
    })
    assert (settings.secret_key, settings.webhook_secret, settings.api_base) == (
        TEST_SECRET_KEY, "whsec_abc", "http://127.0.0.1:12111")
    assert (settings.timeout_seconds, settings.max_network_retries) == (7.5, 3)
    assert TEST_SECRET_KEY not in repr(settings)
    assert StripeSettings.from_env({"LOBBY_STRIPE_SECRET_KEY": TEST_SECRET_KEY}).api_base == (
        "https://api.stripe.com")


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({}, "LOBBY_STRIPE_SECRET_KEY"),
        ({"LOBBY_STRIPE_SECRET_KEY_FILE": "/nonexistent/key"}, "cannot be read"),
        ({"LOBBY_STRIPE_SECRET_KEY": "pk_test_publishable"}, "start with sk_"),
        ({"LOBBY_STRIPE_SECRET_KEY": TEST_SECRET_KEY,
          "LOBBY_STRIPE_API_BASE": "http://stripe.example.com"}, "plain http"),
        ({"LOBBY_STRIPE_SECRET_KEY": TEST_SECRET_KEY,
          "LOBBY_STRIPE_TIMEOUT_SECONDS": "soon"}, "numbers"),
    ],
)
def test_bad_settings_are_a_clear_startup_error(env: dict[str, str], says: str) -> None:
    with pytest.raises(GatewayConfigError) as refused:
        StripeSettings.from_env(env)
    assert says in str(refused.value)
    assert "pk_test_publishable" not in str(refused.value)


# -- webhooks from the stand-in ---------------------------------------------------------------

WEBHOOK_SECRET = "whsec_test_" + "5" * 24


class _Receiver:
    """A webhook endpoint that checks Stripe's signature with the real library."""

    def __init__(self) -> None:
        self.events: list[Any] = []
        self.got = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                payload = self.rfile.read(int(self.headers["Content-Length"]))
                try:
                    event = stripe.Webhook.construct_event(
                        payload, self.headers["Stripe-Signature"], WEBHOOK_SECRET)
                except stripe.SignatureVerificationError:
                    self.send_response(400)
                else:
                    receiver.events.append(event)
                    receiver.got.set()
                    self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1/gateway/stripe/webhook"

    def wait_for(self, count: int) -> list[Any]:
        for _ in range(100):
            if len(self.events) >= count:
                break
            self.got.wait(0.05)
            self.got.clear()
        return self.events


@pytest.fixture
def receiver() -> Iterator[_Receiver]:
    endpoint = _Receiver()
    yield endpoint
    endpoint.server.shutdown()
    endpoint.server.server_close()


def test_the_standin_sends_signed_webhooks_twice_and_before_the_answer(
    stripe_gateway: StripeGateway, standin: StripeStandIn, receiver: _Receiver
) -> None:
    token = stripe_gateway.tokenize(card()).token
    with standin.webhooks_to(receiver.url, WEBHOOK_SECRET, before_answer=True, copies=2):
        charged = stripe_gateway.charge(token, 2500, "deposit:w:1")
        # before the API answered: already there when charge() returns
        assert [e["type"] for e in receiver.events] == ["payment_intent.succeeded"] * 2
        assert receiver.events[0]["id"] == receiver.events[1]["id"]
    intent = receiver.events[0]["data"]["object"]
    assert (intent["id"], intent["metadata"][CHARGE_KEY_METADATA]) == (
        charged.charge_id, "deposit:w:1")
    assert receiver.events[0]["request"]["idempotency_key"] == "deposit:w:1"
    with standin.webhooks_to(receiver.url, WEBHOOK_SECRET):
        stripe_gateway.charge(stripe_gateway.tokenize(card(DECLINE)).token, 900, "w:2")
        stripe_gateway.refund(charged.charge_id, 500, "refund:w:1")
        events = receiver.wait_for(4)
    assert [e["type"] for e in events[2:]] == ["payment_intent.payment_failed",
                                               "charge.refunded"]
    assert events[3]["data"]["object"]["amount_refunded"] == 500


def test_a_webhook_with_a_wrong_signature_is_refused(
    standin: StripeStandIn, receiver: _Receiver
) -> None:
    event = standin.event("payment_intent.succeeded", {"id": "pi_x", "object": "payment_intent"})
    assert standin.send_webhook(event, receiver.url, "whsec_not_the_one") == [400]
    assert standin.send_webhook(event, receiver.url, WEBHOOK_SECRET) == [200]
    body = json.dumps(event).encode()
    header = StripeStandIn.sign(body, WEBHOOK_SECRET, timestamp=1_000)
    with pytest.raises(stripe.SignatureVerificationError):  # too old: Stripe's tolerance
        stripe.Webhook.construct_event(body, header, WEBHOOK_SECRET)
