"""The Stripe card processor, through stripe-python: a real deployment's gateway.

How our interface maps onto Stripe's objects (docs/payments.md says it for operators):

- **A card on file** is a Stripe Customer with the card's PaymentMethod attached. Our token
  is the PaymentMethod's id (``pm_...``): it is Stripe's own name for the card, it is short
  and stable, and it never needs our database to mean something. The Customer is read from
  the PaymentMethod when charging (one GET), so a token alone is enough to charge it. One
  Customer is made per card, as :meth:`tokenize` does not know the family.
- **A charge** is a PaymentIntent created with ``confirm=True``. Our charge key is sent as
  Stripe's ``Idempotency-Key`` (so a retry under the key replays Stripe's first answer and
  never charges twice) and stored in the PaymentIntent's ``metadata[lobby_charge_key]``
  (so :meth:`find_charge` can find it when the answer was lost). The charge id we hand back
  is the PaymentIntent's id. Renewals (keys ``renewal:...``) are merchant-initiated:
  ``off_session=True``, and a card whose bank wants the cardholder is declined with
  ``authentication_required``. Charges at the kiosk are on-session with
  ``error_on_requires_action=True``: the kiosk cannot show a bank's 3-D Secure page, so such
  a card is declined at once (the same code) instead of waiting in ``requires_action``.
- **find_charge** reads the PaymentIntent by the id stored on the charge record when there
  is one (exact, and current at once), else asks Stripe's search for the key in metadata:
  ``succeeded`` is approved; ``requires_payment_method`` after a failed attempt, or
  ``canceled``, is declined (with the mapped code); ``requires_action`` is declined as
  ``authentication_required``; ``processing`` (and any state Stripe has not settled) raises
  :class:`GatewayUnavailable`, "ask later"; no PaymentIntent is None. Stripe's search index
  can lag writes (under a minute normally, up to an hour in an outage), so None means "not
  seen yet": the reconciler only gives a charge up after an hour.
- **A refund** is a Refund of the PaymentIntent with its own key (``Idempotency-Key`` and
  ``metadata[lobby_refund_key]``). Stripe refuses more than is left, and refunds of a
  charge that did not succeed: both are :class:`RefundRefused`.
- **Errors**: a network error, a timeout, a 5xx or a 429 from Stripe is
  :class:`GatewayUnavailable` (nothing known: ask again under the same key); an idempotency
  conflict is :class:`KeyConflict`; a missing PaymentMethod is :class:`UnknownToken`.

Secrets (the secret key, the webhook signing secret) come from the environment or a file it
names (:meth:`StripeSettings.from_env`). They are never logged, never in an exception's text
(our exceptions carry our words and Stripe's error code and request id, never Stripe's
message or body) and never stored. stripe-python's DEBUG records carry request bodies (a card
number, at tokenize) and are dropped by a filter on the ``stripe`` logger; ``STRIPE_LOG`` must
not be set in production (it prints them to stderr).
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import stripe

from central.kernel.clock import Clock
from central.money.gateway import (
    CardBrand,
    CardDetails,
    CardRejected,
    CardToken,
    ChargeResult,
    DeclineCode,
    GatewayConfigError,
    GatewayError,
    GatewayUnavailable,
    KeyConflict,
    PaymentGateway,
    RefundRefused,
    RefundResult,
    UnknownToken,
)
from central.money.gateway.sandbox import check_card

if TYPE_CHECKING:
    from stripe.params import PaymentIntentCreateParams

log = logging.getLogger(__name__)

STRIPE_API_BASE = "https://api.stripe.com"
CHARGE_KEY_METADATA = "lobby_charge_key"
REFUND_KEY_METADATA = "lobby_refund_key"
# Stripe keeps idempotency keys of up to 255 characters; ours may be up to 300 (the charge
# record's column). A longer one is sent as its SHA-256 (the metadata keeps it whole).
MAX_IDEMPOTENCY_KEY = 255
# Stripe's smallest charge, in the smallest unit of each currency we may be set to (its
# "minimum and maximum charge amounts"); 50 for a currency not listed.
MINIMUM_CHARGE = {"usd": 50, "cad": 50, "eur": 50, "mxn": 1000}
# Charge purposes (the key's prefix) that the family is not present for.
OFF_SESSION_PURPOSES = frozenset({"renewal"})

ENV_SECRET_KEY = "LOBBY_STRIPE_SECRET_KEY"  # noqa: S105 (the variable's name, not a key)
ENV_WEBHOOK_SECRET = "LOBBY_STRIPE_WEBHOOK_SECRET"  # noqa: S105
ENV_API_BASE = "LOBBY_STRIPE_API_BASE"
ENV_TIMEOUT = "LOBBY_STRIPE_TIMEOUT_SECONDS"
ENV_RETRIES = "LOBBY_STRIPE_MAX_NETWORK_RETRIES"
ENV_CURRENCY = "LOBBY_STRIPE_CURRENCY"

_BRANDS = {brand.value: brand for brand in CardBrand}
# Stripe's decline_code (or error code, when it has none) -> ours. Anything else a bank
# says is a plain card_declined: the family's answer is the same, "try another card".
_DECLINES = {
    "card_declined": DeclineCode.CARD_DECLINED,
    "generic_decline": DeclineCode.CARD_DECLINED,
    "insufficient_funds": DeclineCode.INSUFFICIENT_FUNDS,
    "expired_card": DeclineCode.CARD_EXPIRED,
    "authentication_required": DeclineCode.AUTHENTICATION_REQUIRED,
}
# Stripe's card errors at tokenize -> our CardRejected (code, field).
_CARD_FIELDS = {
    "incorrect_number": ("card_number_invalid", "number"),
    "invalid_number": ("card_number_invalid", "number"),
    "invalid_expiry_month": ("card_expiry_invalid", "exp_month"),
    "invalid_expiry_year": ("card_expiry_invalid", "exp_year"),
    "expired_card": ("card_expired", "exp_year"),
    "invalid_cvc": ("cvc_invalid", "cvc"),
    "incorrect_cvc": ("cvc_invalid", "cvc"),
}


class _DropBodies(logging.Filter):
    """stripe-python logs request and response bodies at DEBUG: a card number at tokenize."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.DEBUG


_stripe_logger = logging.getLogger("stripe")
if not any(isinstance(f, _DropBodies) for f in _stripe_logger.filters):
    _stripe_logger.addFilter(_DropBodies())


def _secret(env: Mapping[str, str], name: str) -> str | None:
    """``name`` from the environment, else the content of the file ``{name}_FILE`` names."""
    value = env.get(name, "").strip()
    if value:
        return value
    path = env.get(f"{name}_FILE", "").strip()
    if not path:
        return None
    try:
        value = Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise GatewayConfigError(f"{name}_FILE names a file that cannot be read "
                                 f"({exc.strerror})") from None
    if not value:
        raise GatewayConfigError(f"{name}_FILE names an empty file")
    return value


@dataclass(frozen=True)
class StripeSettings:
    """What the adapter needs. ``repr`` never shows the secrets."""

    secret_key: str = field(repr=False)
    webhook_secret: str | None = field(default=None, repr=False)
    api_base: str = STRIPE_API_BASE
    timeout_seconds: float = 30.0
    max_network_retries: int = 2
    currency: str = "usd"

    def __post_init__(self) -> None:
        if not self.secret_key.startswith(("sk_", "rk_")):
            # Not the key itself in the message: only what kind of thing it is not.
            raise GatewayConfigError(f"{ENV_SECRET_KEY} is not a Stripe secret or restricted "
                                     "key (they start with sk_ or rk_)")
        parts = urlsplit(self.api_base)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise GatewayConfigError(f"{ENV_API_BASE} is not an http(s) URL")
        if parts.scheme == "http" and not _is_loopback(parts.hostname):
            raise GatewayConfigError(f"{ENV_API_BASE}: plain http only to this machine (a "
                                     "test stand-in); the secret key goes over it")
        if self.timeout_seconds <= 0 or self.max_network_retries < 0:
            raise GatewayConfigError(f"{ENV_TIMEOUT} must be > 0 and {ENV_RETRIES} >= 0")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> StripeSettings:
        """Read ``LOBBY_STRIPE_*`` (docs/payments.md). A missing secret key is a clear
        :class:`GatewayConfigError` at startup."""
        env = os.environ if env is None else env
        secret_key = _secret(env, ENV_SECRET_KEY)
        if secret_key is None:
            raise GatewayConfigError(
                f"the Stripe gateway needs its secret key: set {ENV_SECRET_KEY}, or "
                f"{ENV_SECRET_KEY}_FILE to a file that holds it")
        try:
            timeout = float(env.get(ENV_TIMEOUT, "30"))
            retries = int(env.get(ENV_RETRIES, "2"))
        except ValueError:
            raise GatewayConfigError(f"{ENV_TIMEOUT} and {ENV_RETRIES} are numbers") from None
        return cls(
            secret_key=secret_key,
            webhook_secret=_secret(env, ENV_WEBHOOK_SECRET),
            api_base=env.get(ENV_API_BASE, "").strip() or STRIPE_API_BASE,
            timeout_seconds=timeout, max_network_retries=retries,
            currency=env.get(ENV_CURRENCY, "").strip().lower() or "usd",
        )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def stripe_idempotency_key(key: str) -> str:
    """Our key as Stripe's Idempotency-Key: itself, or its SHA-256 when it is too long."""
    if len(key) <= MAX_IDEMPOTENCY_KEY:
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


def _search_literal(value: str) -> str:
    """A string for Stripe's search query language, inside single quotes."""
    return value.replace("\\", "\\\\").replace("'", "\\'")


def _where(exc: stripe.StripeError) -> str:
    """What may be said of a Stripe error: its code, HTTP status and request id."""
    bits = [f"code {exc.code}" if exc.code else None,
            f"HTTP {exc.http_status}" if exc.http_status else None,
            f"request {exc.request_id}" if exc.request_id else None]
    return ", ".join(b for b in bits if b) or "no detail"


def _unavailable(what: str, exc: stripe.StripeError) -> GatewayUnavailable:
    log.warning("Stripe could not %s (%s: %s)", what, type(exc).__name__, _where(exc))
    return GatewayUnavailable(f"Stripe could not {what} ({_where(exc)}); try again later")


def _is_unavailable(exc: stripe.StripeError) -> bool:
    return isinstance(exc, stripe.APIConnectionError | stripe.RateLimitError) or (
        exc.http_status is not None and exc.http_status >= 500) or (
        isinstance(exc, stripe.APIError))


def _decline_code(code: str | None, decline_code: str | None) -> DeclineCode:
    for name in (decline_code, code):
        if name in _DECLINES:
            return _DECLINES[name]
    return DeclineCode.CARD_DECLINED


def charge_key_of(intent: stripe.PaymentIntent) -> str | None:
    """Our charge key, from a PaymentIntent's ``metadata[lobby_charge_key]``; None for a
    PaymentIntent that is not ours."""
    found = _field(intent, "metadata")
    metadata = found.to_dict() if found is not None else {}
    key = metadata.get(CHARGE_KEY_METADATA)
    return key if isinstance(key, str) else None


def _field(obj: object, name: str) -> Any:
    """A field of a Stripe object, None when absent (stripe-python raises AttributeError
    for a field the answer left out, such as ``decline_code`` of an expired card)."""
    return None if obj is None else getattr(obj, name, None)


def _expandable_id(value: Any) -> str:
    return value if isinstance(value, str) else str(value.id)


class StripeGateway(PaymentGateway):
    """:class:`PaymentGateway` on Stripe. ``clock`` is for the card checks at tokenize (the
    same as the sandbox's, so a kiosk sees the same answers on either gateway)."""

    @property
    def name(self) -> str:
        return "stripe"

    def __init__(self, settings: StripeSettings, clock: Clock,
                 off_session_purposes: frozenset[str] = OFF_SESSION_PURPOSES) -> None:
        self._settings = settings
        self._clock = clock
        self._off_session = off_session_purposes
        self._client = stripe.StripeClient(
            settings.secret_key,
            base_addresses={"api": settings.api_base},
            max_network_retries=settings.max_network_retries,
            http_client=stripe.RequestsClient(timeout=settings.timeout_seconds),
        )

    def __repr__(self) -> str:
        return f"StripeGateway(api_base={self._settings.api_base!r})"

    @property
    def settings(self) -> StripeSettings:
        return self._settings

    @property
    def minimum_charge_cents(self) -> int:
        return MINIMUM_CHARGE.get(self._settings.currency, 50)

    # -- cards -----------------------------------------------------------------------------

    def tokenize(self, card: CardDetails) -> CardToken:
        digits, _brand = check_card(card, self._clock.now())
        try:
            method = self._client.v1.payment_methods.create({
                "type": "card",
                "card": {"number": digits, "exp_month": card.exp_month,
                         "exp_year": card.exp_year, "cvc": card.cvc},
            })
            customer = self._client.v1.customers.create({
                "description": "Lobby Kiosk card on file",
                "metadata": {"lobby_card": "1"},
            })
            method = self._client.v1.payment_methods.attach(
                method.id, {"customer": customer.id})
        except stripe.CardError as exc:
            code, where = _CARD_FIELDS.get(exc.code or "", ("card_declined", "number"))
            raise CardRejected(code, where, "The card was not accepted") from None
        except stripe.StripeError as exc:
            raise self._error("add the card", exc) from None
        return self._card_token(method)

    def describe(self, token: str) -> CardToken:
        return self._card_token(self._payment_method(token))

    # -- charges ---------------------------------------------------------------------------

    def charge(self, token: str, amount_cents: int, idempotency_key: str) -> ChargeResult:
        if amount_cents <= 0:
            raise ValueError("a charge is for a positive amount")
        method = self._payment_method(token)
        customer = _field(method, "customer")
        if customer is None:  # detached: not a card on file any more
            raise UnknownToken(token[:16])
        off_session = idempotency_key.split(":", 1)[0] in self._off_session
        params: PaymentIntentCreateParams = {
            "amount": amount_cents,
            "currency": self._settings.currency,
            "customer": _expandable_id(customer),
            "payment_method": token,
            # Cards only: nothing that redirects the family to a bank's page.
            "automatic_payment_methods": {"enabled": True, "allow_redirects": "never"},
            "confirm": True,
            "metadata": {CHARGE_KEY_METADATA: idempotency_key},
        }
        if off_session:
            params["off_session"] = True
        else:  # the kiosk cannot show a bank's 3-D Secure page: decline instead of waiting
            params["error_on_requires_action"] = True
        try:
            intent = self._client.v1.payment_intents.create(
                params, {"idempotency_key": stripe_idempotency_key(idempotency_key)})
        except stripe.CardError as exc:
            declined = _field(exc.error, "payment_intent")
            if declined is None:
                raise self._error("charge the card", exc) from None
            code = _field(exc.error, "decline_code")
            return ChargeResult(declined.id, token, amount_cents, approved=False,
                                decline_code=_decline_code(exc.code, code))
        except stripe.StripeError as exc:
            raise self._error("charge the card", exc) from None
        return self._decided(intent)  # processing: Stripe has not decided yet

    def find_charge(self, idempotency_key: str, charge_id: str | None = None
                    ) -> ChargeResult | None:
        """Read the PaymentIntent by its stored id (exact, and current at once); only
        without one, search by the key in metadata (the search trails Stripe's writes)."""
        if charge_id is not None:
            intent = self._intent_by_id(charge_id, idempotency_key)
            if intent is not None:
                return self._decided(intent)
        query = f"metadata['{CHARGE_KEY_METADATA}']:'{_search_literal(idempotency_key)}'"
        try:
            found = self._client.v1.payment_intents.search({"query": query, "limit": 10})
        except stripe.StripeError as exc:
            raise self._error("search its charges", exc) from None
        intents = [i for i in found.data if charge_key_of(i) == idempotency_key]
        if not intents:
            return None
        if len(intents) > 1:  # cannot happen under one Idempotency-Key; say so if it does
            log.error("Stripe has %d PaymentIntents for one charge key: %s", len(intents),
                      ", ".join(i.id for i in intents))
        succeeded = [i for i in intents if i.status == "succeeded"]
        return self._decided(succeeded[0] if succeeded else intents[0])

    def _intent_by_id(self, charge_id: str, idempotency_key: str
                      ) -> stripe.PaymentIntent | None:
        """The PaymentIntent ``charge_id``, if it is the one made under our key; None (and
        a log line) if Stripe has none by that id or it carries another key: the search by
        key then decides."""
        try:
            intent = self._client.v1.payment_intents.retrieve(charge_id)
        except stripe.InvalidRequestError as exc:
            if exc.http_status == 404 or exc.code == "resource_missing":
                log.error("the stored PaymentIntent %s of charge key %s is not at Stripe; "
                          "searching by the key", charge_id, idempotency_key)
                return None
            raise self._error("read the charge", exc) from None
        except stripe.StripeError as exc:
            raise self._error("read the charge", exc) from None
        if charge_key_of(intent) != idempotency_key:
            log.error("the stored PaymentIntent %s is not the one of charge key %s; "
                      "searching by the key", charge_id, idempotency_key)
            return None
        return intent

    def _decided(self, intent: stripe.PaymentIntent) -> ChargeResult:
        result = self.read_intent(intent)
        if result is None:
            raise GatewayUnavailable(f"Stripe is still processing {intent.id}; ask again later")
        return result

    def refund(self, charge_id: str, amount_cents: int, idempotency_key: str) -> RefundResult:
        if amount_cents <= 0:
            raise ValueError("a refund is for a positive amount")
        try:
            refund = self._client.v1.refunds.create(
                {"payment_intent": charge_id, "amount": amount_cents,
                 "metadata": {REFUND_KEY_METADATA: idempotency_key}},
                {"idempotency_key": stripe_idempotency_key(idempotency_key)})
        except stripe.InvalidRequestError as exc:
            raise RefundRefused(f"Stripe refused the refund ({_where(exc)})") from None
        except stripe.StripeError as exc:
            raise self._error("refund the charge", exc) from None
        if refund.status in ("failed", "canceled"):
            raise RefundRefused(f"Stripe's refund {refund.id} {refund.status}")
        return RefundResult(refund.id, charge_id, refund.amount)

    # -- helpers ---------------------------------------------------------------------------

    def _payment_method(self, token: str) -> stripe.PaymentMethod:
        if not token.startswith("pm_"):
            raise UnknownToken(token[:16])
        try:
            return self._client.v1.payment_methods.retrieve(token)
        except stripe.InvalidRequestError as exc:
            if exc.http_status == 404 or exc.code == "resource_missing":
                raise UnknownToken(token[:16]) from None
            raise self._error("read the card", exc) from None
        except stripe.StripeError as exc:
            raise self._error("read the card", exc) from None

    @staticmethod
    def _card_token(method: stripe.PaymentMethod) -> CardToken:
        card = _field(method, "card")
        brand = _BRANDS.get(_field(card, "brand") or "")
        if card is None or brand is None:
            raise GatewayError(f"{method.id} is not a card this kiosk takes")
        return CardToken(method.id, brand, card.last4, card.exp_month, card.exp_year)

    @staticmethod
    def read_intent(intent: stripe.PaymentIntent) -> ChargeResult | None:
        """What a PaymentIntent says of our charge; None while Stripe is still at it. The
        one reading of a PaymentIntent: :meth:`charge`, :meth:`find_charge` and the webhook
        (:mod:`central.money.webhooks`) all use it, so they never disagree."""
        method = _field(intent, "payment_method")
        token = _expandable_id(method) if method else ""
        if intent.status == "succeeded":
            return ChargeResult(intent.id, token, intent.amount, approved=True)
        if intent.status == "requires_action":
            return ChargeResult(intent.id, token, intent.amount, approved=False,
                                decline_code=DeclineCode.AUTHENTICATION_REQUIRED)
        error = _field(intent, "last_payment_error")
        if intent.status == "canceled" or (
                intent.status == "requires_payment_method" and error is not None):
            code = _decline_code(_field(error, "code"), _field(error, "decline_code"))
            return ChargeResult(intent.id, token, intent.amount, approved=False,
                                decline_code=code)
        return None

    @staticmethod
    def _error(what: str, exc: stripe.StripeError) -> GatewayError:
        if _is_unavailable(exc):
            return _unavailable(what, exc)
        if isinstance(exc, stripe.IdempotencyError):
            return KeyConflict(f"this key was used for another request ({_where(exc)})")
        if isinstance(exc, stripe.AuthenticationError | stripe.PermissionError):
            log.error("Stripe refused our secret key (%s)", _where(exc))
            return GatewayUnavailable(f"Stripe refused our secret key ({_where(exc)}); "
                                      f"check {ENV_SECRET_KEY}")
        log.error("Stripe could not %s (%s: %s)", what, type(exc).__name__, _where(exc))
        return GatewayError(f"Stripe could not {what} ({_where(exc)})")
