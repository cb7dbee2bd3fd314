"""``POST /v1/gateway/stripe/webhook``: where Stripe tells us what became of a PaymentIntent.

The route is always in the OpenAPI but only works when the server charges through Stripe
and has a webhook signing secret (``LOBBY_STRIPE_WEBHOOK_SECRET`` or its ``_FILE``). With the
sandbox, or without a secret, it answers 404 ``stripe_webhook_off``: Stripe keeps retrying
an event it could not deliver, so nothing is lost while a deployment is being switched
over. No kiosk token: Stripe's signature is the authentication, checked over the raw body
before anything is read. What an event does is :mod:`central.money.webhooks`.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request
from pydantic import BaseModel

from central.api.deps import Services
from central.kernel.problems import ProblemError, problems
from central.money.webhooks import BadSignature, WebhookOff, outcome_body, receive

log = logging.getLogger(__name__)

router = APIRouter(prefix="/v1/gateway/stripe", tags=["stripe gateway"])


class WebhookAck(BaseModel):
    """The answer to a delivered event (Stripe shows it in its dashboard's event log)."""

    received: bool
    event_id: str
    type: str
    handled: bool  # False: acknowledged and ignored (an event type we do not use, not ours)
    acted: bool  # True only for the delivery that settled the charge
    charge_id: str | None
    charge_state: str | None
    note: str


async def _raw_body(request: Request) -> bytes:
    """The body exactly as sent: the signature is over these bytes."""
    return await request.body()


_EVENT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "A Stripe event, signed in the Stripe-Signature header",
        "content": {"application/json": {"schema": {
            "type": "object",
            "required": ["id", "object", "type", "data"],
            "properties": {
                "id": {"type": "string", "examples": ["evt_1NG8Du2eZvKYlo2CUI79vXWy"]},
                "object": {"type": "string", "enum": ["event"]},
                "type": {"type": "string", "examples": ["payment_intent.succeeded"]},
                "data": {"type": "object", "required": ["object"],
                         "properties": {"object": {"type": "object"}}},
            },
        }}},
    },
}


@router.post(
    "/webhook",
    response_model=WebhookAck,
    responses=problems(400, 404),
    openapi_extra=_EVENT_BODY,
)
def stripe_webhook(
    services: Services,
    body: Annotated[bytes, Depends(_raw_body)],
    stripe_signature: Annotated[str | None, Header(
        description="Stripe's signature: t=<unix time>,v1=<HMAC-SHA256 hex>")] = None,
) -> WebhookAck:
    """Settle the charge a ``payment_intent.succeeded`` or ``payment_intent.payment_failed``
    names, through the same path as the request that charged and the reconciler: once,
    whatever the order and however often Stripe delivers. Other events are acknowledged
    (200, ``handled: false``). A missing or wrong signature is 400. With the sandbox
    gateway, or no signing secret set, the route is off (404)."""
    try:
        outcome = receive(services, body, stripe_signature)
    except WebhookOff:
        raise ProblemError(404, "stripe_webhook_off", "Stripe webhooks are not taken here",
                           "This server does not charge through Stripe, or has no webhook "
                           "signing secret (LOBBY_STRIPE_WEBHOOK_SECRET).") from None
    except BadSignature as exc:
        log.warning("refused a Stripe webhook: %s", exc)
        raise ProblemError(400, "webhook_signature_invalid", "Not a webhook Stripe signed",
                           str(exc), field="Stripe-Signature") from None
    return WebhookAck(**outcome_body(outcome))
