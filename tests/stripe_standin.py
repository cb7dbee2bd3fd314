"""A local stand-in for Stripe's API: a real HTTP server on loopback that the real
``stripe`` library talks to (``api_base`` pointed at :attr:`StripeStandIn.url`).

It answers the endpoints :mod:`central.money.gateway.stripe_gateway` uses, with the request
and response shapes of Stripe's API reference (form-encoded requests with ``metadata[k]=v``,
``card[number]=...`` and ``expand[]``; JSON objects with ``object``, ``id``, ``created``...):

- ``POST /v1/customers``, ``POST /v1/payment_methods``, ``POST /v1/payment_methods/{id}/attach``,
  ``GET /v1/payment_methods/{id}``;
- ``POST /v1/payment_intents`` (``confirm=true``, ``off_session``, ``error_on_requires_action``),
  ``GET /v1/payment_intents/{id}``, ``GET /v1/payment_intents/search`` (``metadata['k']:'v'``,
  ``status:'s'`` and ``customer:'c'`` joined by ``AND``);
- ``POST /v1/refunds`` (``payment_intent`` or ``charge``, ``amount`` or all that is left).

Stripe's rules that matter to us: every POST is idempotent by its ``Idempotency-Key`` (the
same key with the same endpoint and parameters replays the saved status and body, with
``Idempotent-Replayed: true``; with anything else it is 400 ``idempotency_error``; while the
first request still runs, 409); errors are ``{"error": {"type", "code", "decline_code",
"message", "payment_intent", ...}}`` with 402 for a card error; a declined confirmation
leaves the PaymentIntent in ``requires_payment_method`` with ``last_payment_error``.

Test cards (Stripe's numbers, any future expiry, any CVC), judged when a PaymentIntent is
confirmed: ``4242424242424242`` and ``5555555555554444`` approve; ``4000000000000002``
card_declined (decline_code generic_decline); ``4000000000009995`` insufficient_funds;
``4000000000000069`` expired_card; ``4000000000000341`` attaches, then declines;
``4000002500003155`` and ``4000002760003184`` need 3-D Secure: off-session (or with
``error_on_requires_action``) a 402 ``authentication_required``, else ``requires_action``.
A card whose expiry has passed by the stand-in's clock (``now``) is expired_card too.

Misbehaviour on command, for the cases a real processor produces and tests must survive:

- :meth:`fail_next`: answer 500 (or any status) to the next requests, without acting;
- :meth:`hang_after_acting`: act (charge, refund), save the idempotent answer, then hang past
  the client's timeout and drop the connection: the client never hears that it charged;
- :meth:`duplicate_next`: handle the next request twice, as a network that delivers it twice;
- :meth:`decline_next`: decline the next confirmation with a given code, whatever the card;
- :attr:`search_lag`: PaymentIntents stay out of search until :meth:`index_now` (Stripe's
  search index trails its writes);
- webhooks: with :attr:`webhook_url` and :attr:`webhook_secret` set, ``payment_intent.succeeded``,
  ``payment_intent.payment_failed`` and ``charge.refunded`` are POSTed there, signed with
  Stripe's scheme (``Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">``), after
  the API answer or, with ``webhook_before_answer``, before it, ``webhook_copies`` times each;
  :meth:`send_webhook` sends any event by hand.

Run it alone (``python -m tests.stripe_standin --port 12111``) to point a demo server at it.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

Json = dict[str, Any]

API_VERSION = "2026-10-28.endive"
TEST_SECRET_KEY = "sk_test_standin_" + "0" * 24

APPROVE = "approve"
THREE_D_SECURE = "three_d_secure"
# number -> (brand, what a confirmation does)
CARDS: dict[str, str] = {
    "4242424242424242": APPROVE,
    "5555555555554444": APPROVE,
    "378282246310005": APPROVE,
    "6011111111111117": APPROVE,
    "4000000000000002": "generic_decline",
    "4000000000000341": "generic_decline",
    "4000000000009995": "insufficient_funds",
    "4000000000000069": "expired_card",
    "4000002500003155": THREE_D_SECURE,
    "4000002760003184": THREE_D_SECURE,
}
# what -> (error code, decline_code, message), as Stripe answers them
DECLINES: dict[str, tuple[str, str | None, str]] = {
    "generic_decline": ("card_declined", "generic_decline", "Your card was declined."),
    "card_declined": ("card_declined", "generic_decline", "Your card was declined."),
    "insufficient_funds": ("card_declined", "insufficient_funds",
                           "Your card has insufficient funds."),
    "expired_card": ("expired_card", None, "Your card has expired."),
    "authentication_required": (
        "authentication_required", "authentication_required",
        "Your card was declined. This transaction requires authentication."),
}
MINIMUM_CHARGE_CENTS = 50  # Stripe's minimum for usd


def _brand(number: str) -> str:
    if number.startswith("4"):
        return "visa"
    if number[:2] in {"34", "37"}:
        return "amex"
    if number[:2] in {"51", "52", "53", "54", "55"} or 2221 <= int(number[:4]) <= 2720:
        return "mastercard"
    if number.startswith(("6011", "65")):
        return "discover"
    return "unknown"


def _new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


def decode_form(pairs: list[tuple[str, str]]) -> Json:
    """Stripe's form encoding to nested dicts and lists: ``a[b][c]=v``, ``a[]=v``,
    ``a[0]=v``."""
    root: Json = {}
    for raw_key, value in pairs:
        names = [raw_key.split("[", 1)[0], *re.findall(r"\[([^\]]*)\]", raw_key)]
        node: Any = root
        for i, name in enumerate(names):
            last = i == len(names) - 1
            following = None if last else names[i + 1]
            wants_list = following is not None and (following == "" or following.isdigit())
            if isinstance(node, list):
                index = len(node) if name == "" else int(name)
                while len(node) <= index:
                    node.append(None)
                if last:
                    node[index] = value
                else:
                    if node[index] is None:
                        node[index] = [] if wants_list else {}
                    node = node[index]
            else:
                if last:
                    node[name] = value
                else:
                    node = node.setdefault(name, [] if wants_list else {})
    return root


def _truthy(value: Any) -> bool:
    return value in (True, "true", "True", "1")


class StripeApiError(Exception):
    def __init__(self, status: int, error: Json) -> None:
        super().__init__(error.get("message"))
        self.status = status
        self.error = error


def _invalid(message: str, code: str | None = None, param: str | None = None,
             status: int = 400) -> StripeApiError:
    error: Json = {"type": "invalid_request_error", "message": message}
    if code:
        error["code"] = code
        error["doc_url"] = f"https://docs.stripe.com/error-codes/{code.replace('_', '-')}"
    if param:
        error["param"] = param
    return StripeApiError(status, error)


def _missing(kind: str, object_id: str, param: str = "id") -> StripeApiError:
    return _invalid(f"No such {kind}: '{object_id}'", "resource_missing", param, status=404)


@dataclass
class Logged:
    """One request as the stand-in saw it (never the Authorization header)."""

    method: str
    path: str
    params: Json
    idempotency_key: str | None
    replayed: bool = False


@dataclass
class _Saved:
    method: str
    path: str
    params: Json
    status: int = 0
    body: bytes = b""
    done: threading.Event = field(default_factory=threading.Event)


@dataclass
class _Misbehaviour:
    kind: str
    path: str | None
    times: int
    status: int = 500
    seconds: float = 0.0
    then: Callable[[], None] | None = None

    def matches(self, path: str) -> bool:
        return self.path is None or path.startswith(self.path)


class StripeStandIn:
    """The stand-in server. ``now`` is its clock (card expiry), ``secret_key`` the one key it
    accepts as ``Authorization: Bearer``."""

    def __init__(self, secret_key: str = TEST_SECRET_KEY,
                 now: Callable[[], datetime] | None = None,
                 host: str = "127.0.0.1", port: int = 0) -> None:
        self.secret_key = secret_key
        self.now = now or (lambda: datetime.now(UTC))
        self.customers: dict[str, Json] = {}
        self.payment_methods: dict[str, Json] = {}
        self.payment_intents: dict[str, Json] = {}
        self.charges: dict[str, Json] = {}
        self.refunds: dict[str, Json] = {}
        self.requests: list[Logged] = []
        self.search_lag = False
        self.webhook_url: str | None = None
        self.webhook_secret: str | None = None
        self.webhook_before_answer = False
        self.webhook_copies = 1
        self.webhook_answers: list[int] = []
        self._numbers: dict[str, str] = {}  # payment method id -> card number (test only)
        self._unindexed: set[str] = set()
        self._saved: dict[str, _Saved] = {}
        self._misbehaviour: list[_Misbehaviour] = []
        self._declines: list[str] = []
        self._webhook_threads: list[threading.Thread] = []
        # Routes of other parts of Stripe's API, mounted by their own modules
        # (tests/stripe_terminal_standin.py): (method, path pattern, action).
        self.extra_routes: list[tuple[str, str, Callable[..., tuple[Json, list[Json]]]]] = []
        self._lock = threading.RLock()
        self._server = ThreadingHTTPServer((host, port), _handler(self))
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread: threading.Thread | None = None

    # -- running ---------------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> StripeStandIn:
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name="stripe-standin", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:  # shutdown() waits for a serve_forever that never ran
            self._server.shutdown()
            self._thread = None
        self._server.server_close()
        for thread in self._webhook_threads:
            thread.join(timeout=5)

    def __enter__(self) -> StripeStandIn:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # -- misbehaviour ----------------------------------------------------------------------

    def fail_next(self, times: int = 1, status: int = 500, path: str | None = None) -> None:
        """Answer ``status`` (an ``api_error``) to the next ``times`` requests to ``path``
        (a prefix; any path if None), before acting: nothing is done, nothing is saved."""
        with self._lock:
            self._misbehaviour.append(_Misbehaviour("fail", path, times, status=status))

    def hang_after_acting(self, seconds: float, times: int = 1,
                          path: str | None = "/v1/payment_intents") -> None:
        """Do the next ``times`` requests to ``path`` and save their idempotent answers,
        then wait ``seconds`` (past the client's timeout) and drop the connection."""
        with self._lock:
            self._misbehaviour.append(_Misbehaviour("hang", path, times, seconds=seconds))

    def duplicate_next(self, times: int = 1, path: str | None = None) -> None:
        """Handle the next ``times`` requests to ``path`` twice each (a duplicated delivery);
        the client hears the second answer."""
        with self._lock:
            self._misbehaviour.append(_Misbehaviour("duplicate", path, times))

    def then_next(self, path: str, action: Callable[[], None]) -> None:
        """Run ``action`` once the next request to ``path`` is done, before its answer is
        sent: what happens elsewhere between two of the client's requests (a card presented
        on the reader while the server reads the PaymentIntent, say)."""
        with self._lock:
            self._misbehaviour.append(_Misbehaviour("then", path, 1, then=action))

    def decline_next(self, what: str = "card_declined") -> None:
        """Decline the next PaymentIntent confirmation as ``what`` (a key of DECLINES)."""
        with self._lock:
            self._declines.append(what)

    def index_now(self) -> None:
        """Let search see every PaymentIntent (ends what :attr:`search_lag` held back)."""
        with self._lock:
            self._unindexed.clear()

    @contextmanager
    def webhooks_to(self, url: str, secret: str, *, before_answer: bool = False,
                    copies: int = 1) -> Iterator[None]:
        old = (self.webhook_url, self.webhook_secret, self.webhook_before_answer,
               self.webhook_copies)
        self.webhook_url, self.webhook_secret = url, secret
        self.webhook_before_answer, self.webhook_copies = before_answer, copies
        try:
            yield
        finally:
            (self.webhook_url, self.webhook_secret, self.webhook_before_answer,
             self.webhook_copies) = old

    # -- what tests read -------------------------------------------------------------------

    def wait_for_webhooks(self, timeout: float = 10.0) -> list[int]:
        """Wait until every webhook sent in the background was answered; the answers'
        HTTP statuses so far (0: no answer)."""
        deadline = time.monotonic() + timeout
        for thread in list(self._webhook_threads):
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        with self._lock:
            return list(self.webhook_answers)

    def intents_for_key(self, charge_key: str) -> list[Json]:
        with self._lock:
            return [pi for pi in self.payment_intents.values()
                    if pi["metadata"].get("lobby_charge_key") == charge_key]

    def posts(self, path: str) -> list[Logged]:
        return [r for r in self.requests if r.method == "POST" and r.path == path]

    # -- webhooks --------------------------------------------------------------------------

    def event(self, event_type: str, obj: Json, request_id: str | None = None,
              idempotency_key: str | None = None) -> Json:
        return {
            "id": _new_id("evt"), "object": "event", "api_version": API_VERSION,
            "created": int(time.time()), "data": {"object": obj}, "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": request_id, "idempotency_key": idempotency_key},
            "type": event_type,
        }

    @staticmethod
    def sign(payload: bytes, secret: str, timestamp: int | None = None) -> str:
        """Stripe's ``Stripe-Signature`` header for ``payload``."""
        t = int(time.time()) if timestamp is None else timestamp
        mac = hmac.new(secret.encode(), f"{t}.".encode() + payload, hashlib.sha256)
        return f"t={t},v1={mac.hexdigest()}"

    def send_webhook(self, event: Json, url: str | None = None, secret: str | None = None,
                     copies: int = 1) -> list[int]:
        """POST ``event`` to ``url``, signed, ``copies`` times; the HTTP statuses answered."""
        url = url or self.webhook_url
        secret = secret or self.webhook_secret
        assert url and secret, "no webhook URL or signing secret"
        payload = json.dumps(event).encode()
        statuses: list[int] = []
        for _ in range(copies):
            request = urllib.request.Request(url, data=payload, method="POST", headers={
                "Content-Type": "application/json; charset=utf-8",
                "Stripe-Signature": self.sign(payload, secret),
                "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)"})
            try:
                with urllib.request.urlopen(request, timeout=10) as answer:
                    statuses.append(answer.status)
            except urllib.error.HTTPError as exc:
                statuses.append(exc.code)
            except OSError:
                statuses.append(0)
        with self._lock:
            self.webhook_answers.extend(statuses)
        return statuses

    def _emit(self, events: list[Json]) -> None:
        """The webhooks an API call caused: now (before the answer) or in the background."""
        if not events or not self.webhook_url or not self.webhook_secret:
            return
        url, secret, copies = self.webhook_url, self.webhook_secret, self.webhook_copies
        if self.webhook_before_answer:
            for event in events:
                self.send_webhook(event, url, secret, copies)
            return

        def later() -> None:
            time.sleep(0.05)
            for event in events:
                self.send_webhook(event, url, secret, copies)

        thread = threading.Thread(target=later, name="stripe-standin-webhook", daemon=True)
        self._webhook_threads.append(thread)
        thread.start()

    # -- the API ---------------------------------------------------------------------------

    def handle(self, method: str, path: str, params: Json, key: str | None
               ) -> tuple[int, Json, list[Json]]:
        """One API call: (status, body, webhook events it caused)."""
        routes: list[tuple[str, str, Callable[..., tuple[Json, list[Json]]]]] = [
            ("POST", r"/v1/customers", self._create_customer),
            ("POST", r"/v1/payment_methods", self._create_payment_method),
            ("POST", r"/v1/payment_methods/(?P<pm>[^/]+)/attach", self._attach),
            ("GET", r"/v1/payment_methods/(?P<pm>[^/]+)", self._get_payment_method),
            ("GET", r"/v1/payment_intents/search", self._search_intents),
            ("POST", r"/v1/payment_intents", self._create_intent),
            ("GET", r"/v1/payment_intents/(?P<pi>[^/]+)", self._get_intent),
            ("POST", r"/v1/refunds", self._create_refund),
            *self.extra_routes,
        ]
        for verb, pattern, action in routes:
            found = re.fullmatch(pattern, path)
            if verb == method and found:
                try:
                    with self._lock:
                        body, events = action(params, key, **found.groupdict())
                except StripeApiError as exc:
                    return exc.status, {"error": exc.error}, getattr(exc, "events", [])
                return 200, body, events
        return 404, {"error": {"type": "invalid_request_error",
                               "message": f"Unrecognized request URL ({method}: {path})."}}, []

    def _timestamp(self) -> int:
        return int(self.now().timestamp())

    def _create_customer(self, params: Json, _key: str | None) -> tuple[Json, list[Json]]:
        customer = {
            "id": _new_id("cus"), "object": "customer", "address": None, "balance": 0,
            "created": self._timestamp(), "currency": None, "default_source": None,
            "delinquent": False, "description": params.get("description"),
            "email": params.get("email"), "invoice_prefix": secrets.token_hex(4).upper(),
            "invoice_settings": {"custom_fields": None, "default_payment_method": None,
                                 "footer": None, "rendering_options": None},
            "livemode": False, "metadata": params.get("metadata") or {},
            "name": params.get("name"), "phone": None, "preferred_locales": [],
            "shipping": None, "tax_exempt": "none", "test_clock": None,
        }
        self.customers[customer["id"]] = customer
        return customer, []

    def _create_payment_method(self, params: Json, _key: str | None
                               ) -> tuple[Json, list[Json]]:
        if params.get("type") != "card":
            raise _invalid("This stand-in makes card PaymentMethods only", param="type")
        card = params.get("card") or {}
        number = str(card.get("number", "")).replace(" ", "")
        if not number.isdigit() or not 12 <= len(number) <= 19:
            raise StripeApiError(402, {"type": "card_error", "code": "invalid_number",
                                       "param": "card[number]",
                                       "message": "Your card number is invalid."})
        try:
            month, year = int(card.get("exp_month", 0)), int(card.get("exp_year", 0))
        except ValueError:
            month, year = 0, 0
        if not 1 <= month <= 12:
            raise StripeApiError(402, {"type": "card_error", "code": "invalid_expiry_month",
                                       "param": "card[exp_month]",
                                       "message": "Your card's expiration month is invalid."})
        now = self.now()
        if (year, month) < (now.year, now.month):
            raise StripeApiError(402, {"type": "card_error", "code": "invalid_expiry_year",
                                       "param": "card[exp_year]",
                                       "message": "Your card's expiration year is invalid."})
        brand = _brand(number)
        method = {
            "id": _new_id("pm"), "object": "payment_method", "allow_redisplay": "unspecified",
            "billing_details": {"address": {"city": None, "country": None, "line1": None,
                                            "line2": None, "postal_code": None,
                                            "state": None},
                                "email": None, "name": None, "phone": None},
            "card": {
                "brand": brand, "checks": {"address_line1_check": None,
                                           "address_postal_code_check": None,
                                           "cvc_check": "unchecked"},
                "country": "US", "display_brand": brand, "exp_month": month,
                "exp_year": year,
                "fingerprint": hashlib.sha256(number.encode()).hexdigest()[:16],
                "funding": "credit", "generated_from": None, "last4": number[-4:],
                "networks": {"available": [brand], "preferred": None},
                "three_d_secure_usage": {"supported": True}, "wallet": None,
            },
            "created": self._timestamp(), "customer": None, "livemode": False,
            "metadata": params.get("metadata") or {}, "type": "card",
        }
        self.payment_methods[method["id"]] = method
        self._numbers[method["id"]] = number
        return method, []

    def _payment_method(self, pm: str, param: str = "id") -> Json:
        method = self.payment_methods.get(pm)
        if method is None:
            raise _missing("PaymentMethod", pm, param)
        return method

    def _attach(self, params: Json, _key: str | None, pm: str) -> tuple[Json, list[Json]]:
        method = self._payment_method(pm, "payment_method")
        customer = params.get("customer")
        if customer not in self.customers:
            raise _missing("customer", str(customer), "customer")
        if method["customer"] not in (None, customer):
            raise _invalid("The payment method you provided has already been attached to "
                           "a customer.", "payment_method_unexpected_state")
        method["customer"] = customer
        return method, []

    def _get_payment_method(self, _params: Json, _key: str | None, pm: str
                            ) -> tuple[Json, list[Json]]:
        return self._payment_method(pm), []

    def _get_intent(self, _params: Json, _key: str | None, pi: str) -> tuple[Json, list[Json]]:
        intent = self.payment_intents.get(pi)
        if intent is None:
            raise _missing("payment_intent", pi, "intent")
        return intent, []

    def _outcome(self, pm: str, off_session: bool, error_on_action: bool) -> str:
        if self._declines:
            return self._declines.pop(0)
        scenario = CARDS.get(self._numbers.get(pm, ""), APPROVE)
        card = self.payment_methods[pm]["card"]
        now = self.now()
        if (card["exp_year"], card["exp_month"]) < (now.year, now.month):
            return "expired_card"
        if scenario == THREE_D_SECURE:
            return "authentication_required" if off_session or error_on_action else (
                THREE_D_SECURE)
        return scenario

    def _create_intent(self, params: Json, key: str | None) -> tuple[Json, list[Json]]:
        try:
            amount = int(params.get("amount", ""))
        except ValueError:
            raise _invalid("Missing required param: amount.", "parameter_missing",
                           "amount") from None
        currency = params.get("currency")
        if not currency:
            raise _invalid("Missing required param: currency.", "parameter_missing",
                           "currency")
        if amount < MINIMUM_CHARGE_CENTS:
            raise _invalid("Amount must be at least $0.50 usd", "amount_too_small", "amount")
        pm = params.get("payment_method")
        customer = params.get("customer")
        if pm is not None:
            method = self._payment_method(pm, "payment_method")
            if method["customer"] is not None and method["customer"] != customer:
                raise _invalid("The provided PaymentMethod was previously attached to a "
                               "Customer or was detached from a Customer. To use it, provide "
                               "its Customer's id.", "payment_method_unexpected_state")
        off_session = _truthy(params.get("off_session"))
        automatic = params.get("automatic_payment_methods") or {}
        intent: Json = {
            "id": _new_id("pi"), "object": "payment_intent", "amount": amount,
            "amount_capturable": 0, "amount_details": {"tip": {}}, "amount_received": 0,
            "application": None, "application_fee_amount": None,
            "automatic_payment_methods": (
                {"allow_redirects": automatic.get("allow_redirects", "always"),
                 "enabled": _truthy(automatic.get("enabled"))} if automatic else None),
            "canceled_at": None, "cancellation_reason": None,
            "capture_method": params.get("capture_method", "automatic_async"),
            "client_secret": None, "confirmation_method": "automatic",
            "created": self._timestamp(), "currency": currency, "customer": customer,
            "description": params.get("description"), "last_payment_error": None,
            "latest_charge": None, "livemode": False,
            "metadata": params.get("metadata") or {}, "next_action": None,
            "on_behalf_of": None, "payment_method": pm,
            "payment_method_configuration_details": None,
            "payment_method_options": {"card": {"installments": None, "mandate_options": None,
                                                "network": None,
                                                "request_three_d_secure": "automatic"}},
            "payment_method_types": params.get("payment_method_types") or ["card"],
            "processing": None, "receipt_email": None, "review": None,
            "setup_future_usage": params.get("setup_future_usage"), "shipping": None,
            "source": None,
            "statement_descriptor": None, "statement_descriptor_suffix": None,
            "status": "requires_payment_method" if pm is None else "requires_confirmation",
            "transfer_data": None, "transfer_group": None,
        }
        intent["client_secret"] = f"{intent['id']}_secret_{secrets.token_hex(8)}"
        self.payment_intents[intent["id"]] = intent
        if self.search_lag:
            self._unindexed.add(intent["id"])
        if not _truthy(params.get("confirm")) or pm is None:
            return intent, []
        outcome = self._outcome(pm, off_session,
                                _truthy(params.get("error_on_requires_action")))
        if outcome == THREE_D_SECURE:
            intent["status"] = "requires_action"
            intent["next_action"] = {"type": "use_stripe_sdk", "use_stripe_sdk": {}}
            return intent, []
        charge = self._charge(intent, approved=outcome == APPROVE)
        if outcome == APPROVE:
            intent["status"] = "succeeded"
            intent["amount_received"] = amount
            return intent, [self.event("payment_intent.succeeded", intent, None, key)]
        code, decline_code, message = DECLINES[outcome]
        error: Json = {"type": "card_error", "code": code, "message": message,
                       "charge": charge["id"],
                       "doc_url": f"https://docs.stripe.com/error-codes/{code.replace('_', '-')}",
                       "payment_method": self.payment_methods[pm]}
        if decline_code:
            error["decline_code"] = decline_code
        charge["failure_code"], charge["failure_message"] = code, message
        intent["status"] = "requires_payment_method"
        intent["last_payment_error"] = dict(error)
        failure = StripeApiError(402, {**error, "payment_intent": intent})
        failure.events = [  # type: ignore[attr-defined]
            self.event("payment_intent.payment_failed", intent, None, key)]
        raise failure

    def _charge(self, intent: Json, approved: bool) -> Json:
        charge = {
            "id": _new_id("ch"), "object": "charge", "amount": intent["amount"],
            "amount_captured": intent["amount"] if approved else 0,
            "amount_refunded": 0, "captured": approved, "created": self._timestamp(),
            "currency": intent["currency"], "customer": intent["customer"],
            "failure_code": None, "failure_message": None, "livemode": False,
            "metadata": {}, "paid": approved, "payment_intent": intent["id"],
            "payment_method": intent["payment_method"], "refunded": False,
            "status": "succeeded" if approved else "failed",
        }
        self.charges[charge["id"]] = charge
        intent["latest_charge"] = charge["id"]
        return charge

    _CLAUSE = re.compile(
        r"\s*(?:metadata\['(?P<meta>[^']+)'\]|(?P<field>status|customer|amount))"
        r":'(?P<value>(?:[^'\\]|\\.)*)'\s*")

    def _search_intents(self, params: Json, _key: str | None) -> tuple[Json, list[Json]]:
        query = params.get("query")
        if not query:
            raise _invalid("Missing required param: query.", "parameter_missing", "query")
        clauses: list[tuple[str | None, str | None, str]] = []
        for part in re.split(r"\s+AND\s+", query):
            found = self._CLAUSE.fullmatch(part)
            if found is None:
                raise _invalid(f"We were unable to parse your search query. Try using the "
                               f"format `metadata[\"key\"]:\"value\"` ({part!r})",
                               "parameter_invalid_string", "query")
            value = re.sub(r"\\(.)", r"\1", found["value"])
            clauses.append((found["meta"], found["field"], value))
        try:
            limit = max(1, min(100, int(params.get("limit", 10))))
        except ValueError:
            limit = 10

        def matches(intent: Json) -> bool:
            for meta, name, value in clauses:
                have = intent["metadata"].get(meta) if meta else str(intent.get(name or ""))
                if have != value:
                    return False
            return True

        found_all = [pi for pi in self.payment_intents.values()
                     if pi["id"] not in self._unindexed and matches(pi)]
        found_all.sort(key=lambda pi: pi["created"], reverse=True)
        return {"object": "search_result", "data": found_all[:limit],
                "has_more": len(found_all) > limit, "next_page": None,
                "url": "/v1/payment_intents/search"}, []

    def _create_refund(self, params: Json, key: str | None) -> tuple[Json, list[Json]]:
        if params.get("payment_intent"):
            intent = self.payment_intents.get(params["payment_intent"])
            if intent is None:
                raise _missing("payment_intent", params["payment_intent"], "payment_intent")
            charge = self.charges.get(intent["latest_charge"] or "")
        elif params.get("charge"):
            charge = self.charges.get(params["charge"])
            if charge is None:
                raise _missing("charge", params["charge"], "charge")
        else:
            raise _invalid("One of the following params should be provided for this "
                           "request: payment_intent or charge.", "parameter_missing")
        if charge is None or charge["status"] != "succeeded":
            raise _invalid("This PaymentIntent does not have a successful charge to refund.",
                           "charge_not_refundable" if charge else None)
        left = charge["amount"] - charge["amount_refunded"]
        if left <= 0:
            raise _invalid(f"Charge {charge['id']} has already been refunded.",
                           "charge_already_refunded")
        try:
            amount = int(params.get("amount", left))
        except ValueError:
            raise _invalid("Invalid integer: amount", "parameter_invalid_integer",
                           "amount") from None
        if amount <= 0:
            raise _invalid("Invalid positive integer", "parameter_invalid_integer", "amount")
        if amount > left:
            raise _invalid(f"Refund amount (${amount / 100:.2f}) is greater than unrefunded "
                           f"amount on charge (${left / 100:.2f})", "amount_too_large",
                           "amount")
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] == charge["amount"]
        refund = {
            "id": _new_id("re"), "object": "refund", "amount": amount,
            "balance_transaction": _new_id("txn"), "charge": charge["id"],
            "created": self._timestamp(), "currency": charge["currency"],
            "destination_details": {"card": {"reference_status": "pending",
                                             "reference_type": "acquirer_reference_number",
                                             "type": "refund"}, "type": "card"},
            "metadata": params.get("metadata") or {},
            "payment_intent": charge["payment_intent"], "reason": params.get("reason"),
            "receipt_number": None, "source_transfer_reversal": None, "status": "succeeded",
            "transfer_reversal": None,
        }
        self.refunds[refund["id"]] = refund
        return refund, [self.event("charge.refunded", dict(charge), None, key)]

    # -- idempotency and misbehaviour around every call ------------------------------------

    def _take(self, kind: str, path: str) -> _Misbehaviour | None:
        with self._lock:
            for bad in self._misbehaviour:
                if bad.kind == kind and bad.times > 0 and bad.matches(path):
                    bad.times -= 1
                    return bad
        return None

    def serve(self, method: str, path: str, params: Json, key: str | None
              ) -> tuple[int, bytes, dict[str, str], float]:
        """(status, body, extra headers, seconds to hang before answering)."""
        self.requests.append(Logged(method, path, params, key))
        failing = self._take("fail", path)
        if failing is not None:
            body = {"error": {"type": "api_error",
                              "message": "An unknown error occurred (the stand-in was told "
                                         "to fail)."}}
            return failing.status, json.dumps(body).encode(), {}, 0.0
        hang = self._take("hang", path)
        twice = self._take("duplicate", path) is not None
        answer = self._once(method, path, params, key)
        if twice:
            self.requests.append(Logged(method, path, params, key))
            answer = self._once(method, path, params, key)
        then = self._take("then", path)
        if then is not None and then.then is not None:
            then.then()
        status, body, headers = answer
        return status, body, headers, hang.seconds if hang else 0.0

    def _once(self, method: str, path: str, params: Json, key: str | None
              ) -> tuple[int, bytes, dict[str, str]]:
        if method != "POST" or not key:
            status, body, events = self.handle(method, path, params, key)
            self._emit(events)
            return status, json.dumps(body).encode(), {}
        with self._lock:
            saved = self._saved.get(key)
            if saved is None:
                saved = self._saved[key] = _Saved(method, path, params)
                mine = True
            else:
                mine = False
        if not mine:
            if saved.method != method or saved.path != path or saved.params != params:
                error = {"error": {"type": "idempotency_error", "message": (
                    "Keys for idempotent requests can only be used with the same parameters "
                    "they were first used with. Try using a key other than "
                    f"'{key}' if you meant to execute a different request.")}}
                return 400, json.dumps(error).encode(), {}
            if not saved.done.is_set():
                error = {"error": {"type": "idempotency_error",
                                   "code": "idempotency_key_in_use", "message": (
                                       "There is currently another in-progress request "
                                       "using this Idempotent Key (that probably means you "
                                       "submitted twice, and the other request is still "
                                       "going through).")}}
                return 409, json.dumps(error).encode(), {}
            self.requests[-1].replayed = True
            return saved.status, saved.body, {"Idempotent-Replayed": "true"}
        status, body, events = self.handle(method, path, params, key)
        saved.status, saved.body = status, json.dumps(body).encode()
        if self.webhook_before_answer:
            self._emit(events)
        saved.done.set()
        if not self.webhook_before_answer:
            self._emit(events)
        return saved.status, saved.body, {}


def _api_key(authorization: str) -> str:
    """The key of ``Bearer sk_...`` (stripe-python) or ``Basic base64(sk_...:)`` (curl -u)."""
    scheme, _, value = authorization.partition(" ")
    if scheme == "Basic":
        try:
            return base64.b64decode(value).decode().partition(":")[0]
        except ValueError:
            return ""
    return value if scheme == "Bearer" else ""


def _handler(standin: StripeStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _answer(self, method: str) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode() if length else ""
            query = parse_qsl(parts.query, keep_blank_values=True)
            params = decode_form(query + parse_qsl(raw, keep_blank_values=True))
            request_id = _new_id("req")
            if _api_key(self.headers.get("Authorization") or "") != standin.secret_key:
                given = _api_key(self.headers.get("Authorization") or "")
                shown = f"{given[:8]}{'*' * max(0, len(given) - 12)}{given[-4:]}" if (
                    len(given) > 12) else "****"
                self._send(401, json.dumps({"error": {
                    "type": "invalid_request_error",
                    "message": f"Invalid API Key provided: {shown}"}}).encode(),
                    {}, request_id)
                return
            key = self.headers.get("Idempotency-Key")
            status, body, headers, hang = standin.serve(method, parts.path, params, key)
            if hang:
                time.sleep(hang)
                self.close_connection = True
                return  # the client gave up long ago; it never hears the answer
            self._send(status, body, {**headers, **({"Idempotency-Key": key} if key else {})},
                       request_id)

        def _send(self, status: int, body: bytes, headers: dict[str, str],
                  request_id: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Request-Id", request_id)
            self.send_header("Stripe-Version", API_VERSION)
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            with suppress(OSError):  # a client that gave up
                self.wfile.write(body)

        def do_GET(self) -> None:
            self._answer("GET")

        def do_POST(self) -> None:
            self._answer("POST")

        def do_DELETE(self) -> None:
            self._answer("DELETE")

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description="A local Stripe stand-in on loopback")
    parser.add_argument("--port", type=int, default=12111)
    parser.add_argument("--secret-key", default=TEST_SECRET_KEY)
    args = parser.parse_args()
    standin = StripeStandIn(args.secret_key, port=args.port)
    print(f"Stripe stand-in on {standin.url} (secret key {args.secret_key[:12]}...)")
    with suppress(KeyboardInterrupt):
        standin._server.serve_forever()


if __name__ == "__main__":
    main()
