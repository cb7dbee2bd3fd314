"""Stripe Terminal's server-driven endpoints, for the stand-in (tests/stripe_standin.py): a
module of its own that the stand-in mounts (``TerminalStandIn(standin)``).

Endpoints, with the shapes of Stripe's API reference (Terminal Readers):

- ``GET /v1/charges/{id}`` (the card a reader read: ``payment_method_details.card_present``);
- ``GET /v1/terminal/readers/{id}``: the Reader (``action``: ``type``, ``status``
  ``in_progress``/``succeeded``/``failed``, ``failure_code``, ``failure_message``,
  ``process_payment_intent.payment_intent``);
- ``POST /v1/terminal/readers/{id}/process_payment_intent`` (``payment_intent``): hands the
  PaymentIntent to the reader; 400 ``terminal_reader_offline`` for an offline reader,
  ``terminal_reader_busy`` while another action is in progress;
- ``POST /v1/terminal/readers/{id}/cancel_action``: the action fails ``customer_canceled``
  (Stripe's word when a person cancels); 400 when there is nothing to cancel;
- ``POST /v1/test_helpers/terminal/readers/{id}/present_payment_method``
  (``card_present[number]``, default 4242...): the card is presented and the payment
  confirmed, approved or declined as the stand-in's test cards say (or ``decline_next``).

Misbehaviour beyond the stand-in's own (fail_next, hang_after_acting for "charged, then
the answer was lost", webhooks twice or before the answer): ``go_offline`` /
``come_online``, ``fail_action(reader, code)`` (a card pulled out, a time-out), and the
events ``terminal.reader.action_succeeded`` / ``terminal.reader.action_failed`` beside
``payment_intent.succeeded`` / ``payment_intent.payment_failed``.
"""

from __future__ import annotations

from typing import Any

from tests.stripe_standin import (
    APPROVE,
    CARDS,
    DECLINES,
    StripeStandIn,
    _brand,
    _invalid,
    _missing,
    _new_id,
)

Json = dict[str, Any]
DEFAULT_CARD = "4242424242424242"


class TerminalStandIn:
    def __init__(self, standin: StripeStandIn) -> None:
        self.standin = standin
        self.readers: dict[str, Json] = {}
        standin.extra_routes.extend([
            ("GET", r"/v1/terminal/readers/(?P<reader>[^/]+)", self._get),
            ("GET", r"/v1/charges/(?P<charge>[^/]+)", self._get_charge),
            ("POST", r"/v1/terminal/readers/(?P<reader>[^/]+)/process_payment_intent",
             self._process),
            ("POST", r"/v1/terminal/readers/(?P<reader>[^/]+)/cancel_action", self._cancel),
            ("POST",
             r"/v1/test_helpers/terminal/readers/(?P<reader>[^/]+)/present_payment_method",
             self._present),
        ])

    # -- set-up and misbehaviour -----------------------------------------------------------

    def add_reader(self, label: str = "Lobby reader") -> str:
        reader_id = _new_id("tmr")
        self.readers[reader_id] = {
            "id": reader_id, "object": "terminal.reader", "action": None,
            "device_sw_version": "2.42.0", "device_type": "bbpos_wisepos_e",
            "ip_address": "192.168.2.2", "label": label, "livemode": False,
            "location": "tml_standin", "metadata": {}, "serial_number": reader_id[4:16],
            "status": "online",
        }
        return reader_id

    def go_offline(self, reader_id: str) -> None:
        self.readers[reader_id]["status"] = "offline"

    def come_online(self, reader_id: str) -> None:
        self.readers[reader_id]["status"] = "online"

    def fail_action(self, reader_id: str, code: str, message: str = "") -> None:
        """The reader's action ends without a charge (``card_removed``, ``timed_out``...)."""
        with self.standin._lock:
            reader = self.readers[reader_id]
            action = reader["action"]
            assert action is not None and action["status"] == "in_progress"
            action.update(status="failed", failure_code=code,
                          failure_message=message or code.replace("_", " "))
        self.standin._emit([self.standin.event("terminal.reader.action_failed",
                                               dict(reader))])

    # -- endpoints -------------------------------------------------------------------------

    def _reader(self, reader_id: str) -> Json:
        reader = self.readers.get(reader_id)
        if reader is None:
            raise _missing("terminal.reader", reader_id)
        return reader

    def _get(self, _params: Json, _key: str | None, reader: str) -> tuple[Json, list[Json]]:
        return dict(self._reader(reader)), []

    def _get_charge(self, _params: Json, _key: str | None, charge: str
                    ) -> tuple[Json, list[Json]]:
        found = self.standin.charges.get(charge)
        if found is None:
            raise _missing("charge", charge)
        return dict(found), []

    def _process(self, params: Json, _key: str | None, reader: str
                 ) -> tuple[Json, list[Json]]:
        found = self._reader(reader)
        pi = params.get("payment_intent")
        if not pi:
            raise _invalid("Missing required param: payment_intent.", "parameter_missing",
                           "payment_intent")
        intent = self.standin.payment_intents.get(pi)
        if intent is None:
            raise _missing("payment_intent", pi, "payment_intent")
        if found["status"] != "online":
            raise _invalid("Reader is currently offline, please ensure the reader is powered "
                           "on and connected to the internet before retrying your request.",
                           "terminal_reader_offline")
        if found["action"] is not None and found["action"]["status"] == "in_progress":
            raise _invalid("Reader is currently busy processing another request.",
                           "terminal_reader_busy")
        if "card_present" not in intent["payment_method_types"]:
            raise _invalid("This PaymentIntent does not accept card_present.",
                           "payment_intent_invalid_parameter", "payment_intent")
        found["action"] = {
            "type": "process_payment_intent", "status": "in_progress",
            "failure_code": None, "failure_message": None,
            "process_payment_intent": {"payment_intent": pi, "process_config": {}},
        }
        return dict(found), []

    def _cancel(self, _params: Json, _key: str | None, reader: str
                ) -> tuple[Json, list[Json]]:
        found = self._reader(reader)
        action = found["action"]
        if action is None or action["status"] != "in_progress":
            raise _invalid("Reader has no in-progress action to cancel.",
                           "terminal_reader_no_action")
        action.update(status="failed", failure_code="customer_canceled",
                      failure_message="The action was canceled.")
        return dict(found), [self.standin.event("terminal.reader.action_failed", dict(found))]

    def _present(self, params: Json, _key: str | None, reader: str
                 ) -> tuple[Json, list[Json]]:
        found = self._reader(reader)
        action = found["action"]
        if action is None or action["status"] != "in_progress":
            raise _invalid("Reader has no in-progress action to present a payment method "
                           "to.", "terminal_reader_no_action")
        number = (params.get("card_present") or {}).get("number") or DEFAULT_CARD
        standin = self.standin
        intent = standin.payment_intents[action["process_payment_intent"]["payment_intent"]]
        pm_id = _new_id("pm")
        method = {"id": pm_id, "object": "payment_method", "type": "card_present",
                  "customer": None, "card_present": {"brand": _brand(number),
                                                     "last4": number[-4:],
                                                     "exp_month": 12, "exp_year": 2030}}
        standin.payment_methods[pm_id] = method
        intent["payment_method"] = pm_id
        outcome = standin._declines.pop(0) if standin._declines else CARDS.get(number, APPROVE)
        charge = standin._charge(intent, approved=outcome == APPROVE)
        details: Json = {"brand": _brand(number), "last4": number[-4:], "exp_month": 12,
                         "exp_year": 2030, "generated_card": None}
        if outcome == APPROVE and intent.get("setup_future_usage"):
            generated = _new_id("pm")
            standin.payment_methods[generated] = {
                "id": generated, "object": "payment_method", "type": "card",
                "customer": None, "card": {"brand": _brand(number), "last4": number[-4:],
                                           "exp_month": 12, "exp_year": 2030}}
            details["generated_card"] = generated
        charge["payment_method_details"] = {"type": "card_present", "card_present": details}
        if outcome == APPROVE:
            intent["status"] = "succeeded"
            intent["amount_received"] = intent["amount"]
            action.update(status="succeeded")
            return dict(found), [
                standin.event("payment_intent.succeeded", intent),
                standin.event("terminal.reader.action_succeeded", dict(found))]
        code, decline_code, message = DECLINES.get(outcome, DECLINES["card_declined"])
        error: Json = {"type": "card_error", "code": code, "message": message,
                       "charge": charge["id"]}
        if decline_code:
            error["decline_code"] = decline_code
        charge["failure_code"], charge["failure_message"] = code, message
        intent["status"] = "requires_payment_method"
        intent["last_payment_error"] = error
        action.update(status="failed", failure_code=decline_code or code,
                      failure_message=message)
        return dict(found), [
            standin.event("payment_intent.payment_failed", intent),
            standin.event("terminal.reader.action_failed", dict(found))]

