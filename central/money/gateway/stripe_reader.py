"""Stripe Terminal, server-driven, through stripe-python: the reader beside the Stripe gateway.

- **A payment** is a PaymentIntent for ``card_present`` (``capture_method=automatic``),
  created under our charge key (``Idempotency-Key`` and ``metadata[lobby_charge_key]``, as
  every charge of the Stripe gateway, so ``find_charge``, the reconciler and the
  ``payment_intent.*`` webhooks find it), then handed to the reader with
  ``terminal.Reader.process_payment_intent`` (its own key, ``<charge key>:reader``). With the
  family's consent, ``setup_future_usage=off_session``: Stripe makes a reusable card
  (``generated_card``) from the card that was read, which becomes the card on file.
- **Its state** is read from the reader's ``action`` and the PaymentIntent: ``succeeded``
  is approved; the action ``in_progress`` is waiting for the card; ``failed`` maps its
  ``failure_code`` (a decline, a card removed, a time-out, a cancel); a reader whose action
  is another's or none, with our PaymentIntent unpaid, was canceled.
- **A reader offline** (``terminal_reader_offline`` when the payment is handed over) ends
  the payment at once with nothing charged.
- **Cancel** is ``terminal.Reader.cancel_action``; a reader with nothing to cancel is fine.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, cast

import stripe

from central.money.gateway import CardBrand, CardToken, ChargeResult, GatewayUnavailable
from central.money.gateway.reader import (
    ReaderGateway,
    ReaderState,
    ReaderStatus,
    ReaderUnknown,
)
from central.money.gateway.stripe_gateway import (
    CHARGE_KEY_METADATA,
    StripeGateway,
    _decline_code,
    _expandable_id,
    _field,
    _is_unavailable,
    _unavailable,
    stripe_idempotency_key,
)

if TYPE_CHECKING:
    from stripe.params import PaymentIntentCreateParams

log = logging.getLogger(__name__)

OFFLINE_CODES = frozenset({"terminal_reader_offline", "terminal_reader_timeout"})
BUSY_CODE = "terminal_reader_busy"
# The reader action's failure_code -> the state the kiosk shows (anything else that is not
# a decline is a decline: the family's answer is the same, "try another card").
FAILURES = {
    "customer_canceled": ReaderState.CANCELED,
    "merchant_canceled": ReaderState.CANCELED,
    "card_removed": ReaderState.CARD_REMOVED,
    "card_read_failed": ReaderState.CARD_REMOVED,
    "timed_out": ReaderState.TIMED_OUT,
    "payment_timeout": ReaderState.TIMED_OUT,
    "terminal_reader_timeout": ReaderState.TIMED_OUT,
    "terminal_reader_offline": ReaderState.READER_OFFLINE,
}
_BRANDS = {brand.value: brand for brand in CardBrand}


class StripeReader(ReaderGateway):
    def __init__(self, gateway: StripeGateway) -> None:
        settings = gateway.settings
        self._currency = settings.currency
        self._client = stripe.StripeClient(
            settings.secret_key,
            base_addresses={"api": settings.api_base},
            max_network_retries=settings.max_network_retries,
            http_client=stripe.RequestsClient(timeout=settings.timeout_seconds),
        )

    @property
    def name(self) -> str:
        return "stripe"

    def check_reader(self, reader_ref: str) -> str:
        if not reader_ref.startswith("tmr_"):
            raise ReaderUnknown("a Stripe reader's id starts with 'tmr_'")
        reader = self._reader(reader_ref)
        return str(_field(reader, "label") or reader_ref)

    def start(self, reader_ref: str, amount_cents: int, idempotency_key: str,
              save_card: bool) -> tuple[str, ReaderState]:
        params: dict[str, Any] = {
            "amount": amount_cents, "currency": self._currency,
            "payment_method_types": ["card_present"], "capture_method": "automatic",
            "metadata": {CHARGE_KEY_METADATA: idempotency_key},
        }
        if save_card:
            params["setup_future_usage"] = "off_session"
        try:
            # stripe-python 16's typed parameters leave out payment_method_types, which
            # Stripe's API reference still takes (and Terminal needs: card_present).
            intent = self._client.v1.payment_intents.create(
                cast("PaymentIntentCreateParams", params),
                {"idempotency_key": stripe_idempotency_key(idempotency_key)})
        except stripe.StripeError as exc:
            raise self._error("create the reader's PaymentIntent", exc) from None
        try:
            self._client.v1.terminal.readers.process_payment_intent(
                reader_ref, {"payment_intent": intent.id},
                {"idempotency_key": stripe_idempotency_key(f"{idempotency_key}:reader")})
        except stripe.StripeError as exc:
            code = getattr(exc, "code", None)
            if code in OFFLINE_CODES:
                return intent.id, ReaderState.READER_OFFLINE
            if code == BUSY_CODE:
                raise GatewayUnavailable("the reader is busy with another payment") from None
            raise self._error("hand the payment to the reader", exc) from None
        return intent.id, ReaderState.WAITING

    def status(self, reader_ref: str, payment_ref: str, idempotency_key: str) -> ReaderStatus:
        # The reader first, then the PaymentIntent: a card presented between the two reads
        # shows as a PaymentIntent that succeeded. Read the other way round, the reader's
        # finished action beside a PaymentIntent read a moment earlier looked canceled.
        action = _field(self._reader(reader_ref), "action")
        try:
            intent = self._client.v1.payment_intents.retrieve(payment_ref)
            latest = _field(intent, "latest_charge")
            charge = (self._client.v1.charges.retrieve(_expandable_id(latest))
                      if latest else None)
        except stripe.StripeError as exc:
            raise self._error("read the reader's PaymentIntent", exc) from None
        card = self._card(intent, charge)
        if intent.status == "succeeded":
            return ReaderStatus(ReaderState.APPROVED, charge=ChargeResult(
                intent.id, card.token if card else "", intent.amount, approved=True),
                card=card)
        processing = _field(_field(action, "process_payment_intent"), "payment_intent")
        ours = processing is not None and _expandable_id(processing) == intent.id
        action_status = _field(action, "status")
        if ours and action_status in ("in_progress", "succeeded"):
            # Succeeded with the PaymentIntent not yet so: Stripe's two objects between
            # updates; the next look tells.
            return ReaderStatus(ReaderState.WAITING)
        error = _field(intent, "last_payment_error")
        if error is not None:
            code = _decline_code(_field(error, "code"), _field(error, "decline_code"))
            return ReaderStatus(ReaderState.DECLINED, decline_code=code.value,
                                charge=ChargeResult(intent.id, card.token if card else "",
                                                    intent.amount, approved=False,
                                                    decline_code=code), card=card)
        if ours and action_status == "failed":
            failure = str(_field(action, "failure_code") or "")
            state = FAILURES.get(failure)
            if state is None:  # a decline the reader reported before the PaymentIntent
                code = _decline_code(failure, None)
                return ReaderStatus(ReaderState.DECLINED, decline_code=code.value)
            return ReaderStatus(state)
        return ReaderStatus(ReaderState.CANCELED)

    def cancel(self, reader_ref: str, payment_ref: str) -> None:
        try:
            self._client.v1.terminal.readers.cancel_action(reader_ref)
        except stripe.InvalidRequestError as exc:
            # Nothing in progress to cancel: it finished; the caller reads how.
            log.info("reader %s had no action to cancel (%s)", reader_ref,
                     getattr(exc, "code", None))
        except stripe.StripeError as exc:
            raise self._error("cancel the reader's action", exc) from None

    def _reader(self, reader_ref: str) -> stripe.terminal.Reader:
        try:
            return self._client.v1.terminal.readers.retrieve(reader_ref)
        except stripe.InvalidRequestError as exc:
            if getattr(exc, "http_status", None) == 404:
                raise ReaderUnknown("Stripe has no reader by this id") from None
            raise self._error("read the reader", exc) from None
        except stripe.StripeError as exc:
            raise self._error("read the reader", exc) from None

    @staticmethod
    def _card(intent: stripe.PaymentIntent, charge: stripe.Charge | None) -> CardToken | None:
        """The card the reader read, from the PaymentIntent's charge: its brand, last four
        and, when the family agreed to keep it, the reusable card Stripe made of it."""
        details = _field(_field(charge, "payment_method_details"), "card_present")
        if details is None:
            return None
        brand = _BRANDS.get(str(_field(details, "brand") or ""), CardBrand.VISA)
        method = _field(intent, "payment_method")
        token = str(_field(details, "generated_card")
                    or (_expandable_id(method) if method else ""))
        return CardToken(token, brand, str(_field(details, "last4")),
                         int(_field(details, "exp_month") or 12),
                         int(_field(details, "exp_year") or 2099))

    @staticmethod
    def _error(what: str, exc: stripe.StripeError) -> Exception:
        if _is_unavailable(exc):
            return _unavailable(what, exc)
        log.error("Stripe could not %s (%s, code %s)", what, type(exc).__name__,
                  getattr(exc, "code", None))
        return GatewayUnavailable(f"Stripe could not {what}")
