"""Stripe's webhooks: what Stripe tells us about a PaymentIntent, settled through the same
:func:`~central.money.charges.settle` as the charge flow and the reconciler.

A webhook is one more caller that knows the gateway's answer for a charge key, next to the
request that asked (``pay``) and the reconciler (``find_charge``). It changes nothing about
how a charge finishes: the charge row is locked and acted on only while it is PENDING (or
ABANDONED), so whichever of the three comes first applies the effect and the others find the
charge final and do nothing. That is what makes the route idempotent without a table of
event ids:

- **the same event twice** (Stripe retries, or delivers twice): the second finds the charge
  final;
- **out of order**: a ``payment_intent.payment_failed`` after a ``succeeded`` for the same
  PaymentIntent finds it SETTLED and does not undo it (nor does any other event: a final
  charge is never changed here). A charge we recorded as DECLINED that Stripe says succeeded
  is logged as an error for a person (money was taken); our PaymentIntents are confirmed
  once, so Stripe never sends that;
- **before the API answer** (Stripe may post the webhook before answering the request that
  caused it): the webhook settles the PENDING charge; the request then gets Stripe's
  answer, finds the charge SETTLED and answers from it;
- **an answer that never came** (a crash or a timeout after Stripe approved): the webhook
  finishes the charge within seconds instead of at the reconciler's next round.

The event's PaymentIntent is read with the adapter's own reading
(:meth:`StripeGateway.read_intent`), so a webhook and ``find_charge`` never disagree about what
a PaymentIntent means. The charge is found by our key in ``metadata[lobby_charge_key]``,
else by the PaymentIntent id stored on the charge. Events of other types, PaymentIntents
that are not ours, and PaymentIntents Stripe has not decided yet are acknowledged and
ignored (Stripe retries any answer that is not 2xx for days).

The signing secret comes from :class:`StripeSettings` (``LOBBY_STRIPE_WEBHOOK_SECRET`` or
its ``_FILE``); it is never logged, and no error here carries it or the signature header.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, cast

from sqlalchemy import select

from central.db.engine import Database
from central.kernel.clock import Clock
from central.kernel.ports import UnitOfWork
from central.money.charges import EffectFailed, settle_many, view_of
from central.money.effects import CHARGE_EFFECTS, ChargeEffects
from central.money.gateway import PaymentGateway
from central.money.models import Charge, ChargeState

if TYPE_CHECKING:
    import stripe

log = logging.getLogger(__name__)

SUCCEEDED = "payment_intent.succeeded"
PAYMENT_FAILED = "payment_intent.payment_failed"
HANDLED_EVENTS = (SUCCEEDED, PAYMENT_FAILED)
# How old a signed webhook may be (Stripe's own default): an older one is refused as a
# replay. Stripe signs each retry afresh.
SIGNATURE_TOLERANCE_SECONDS = 300


class BadSignature(ValueError):
    """The request is not a webhook Stripe signed with our secret (missing, wrong or stale
    signature, or a body that is not an event). The text says which, never the secret."""


@dataclass(frozen=True)
class WebhookOutcome:
    """What one event did: ``handled`` is False for an event we acknowledge and ignore;
    ``acted`` is True only for the delivery that settled the charge."""

    event_id: str
    event_type: str
    handled: bool
    acted: bool = False
    charge_id: str | None = None
    charge_state: ChargeState | None = None
    note: str = ""


def webhook_secret(gateway: PaymentGateway) -> str | None:
    """The signing secret when the gateway is Stripe's and one is set; else None (the
    route is then off)."""
    from central.money.gateway.stripe_gateway import StripeGateway

    if not isinstance(gateway, StripeGateway):
        return None
    return gateway.settings.webhook_secret


def verify(payload: bytes, signature: str | None, secret: str,
           tolerance: int = SIGNATURE_TOLERANCE_SECONDS) -> stripe.Event:
    """The event, if Stripe signed ``payload`` with ``secret`` (``Stripe-Signature``);
    else :class:`BadSignature`."""
    import stripe

    if not signature:
        raise BadSignature("the request has no Stripe-Signature header")
    try:
        event: stripe.Event = stripe.Webhook.construct_event(payload, signature, secret,
                                                             tolerance)
        return event
    except stripe.SignatureVerificationError:
        # Its text quotes the header; ours says only what is wrong.
        raise BadSignature("the Stripe-Signature does not match this endpoint's signing "
                           "secret, or is too old") from None
    except ValueError:  # not JSON, or not a Stripe event
        raise BadSignature("the body is not a Stripe event") from None


def handle_event(
    db: Database, gateway: PaymentGateway, clock: Clock, event: stripe.Event,
    effects: ChargeEffects = CHARGE_EFFECTS,
) -> WebhookOutcome:
    """Settle the charge a verified ``payment_intent.succeeded`` or ``payment_failed``
    names, exactly once; acknowledge anything else."""
    from central.money.gateway.stripe_gateway import StripeGateway, charge_key_of

    event_id, event_type = str(event.id), str(event.type)
    if event_type not in HANDLED_EVENTS:
        return WebhookOutcome(event_id, event_type, handled=False, note="not an event we use")
    intent = cast("stripe.PaymentIntent", event.data.object)
    if getattr(intent, "object", None) != "payment_intent":
        return WebhookOutcome(event_id, event_type, handled=False, note="not a PaymentIntent")
    charge_key = charge_key_of(intent)
    # Only a look-up (no write lock on SQLite); settle_many locks the row and checks again.
    with db.read() as session:
        query = select(Charge)
        query = query.where(Charge.gateway_key == charge_key) if charge_key else query.where(
            Charge.gateway_charge_id == str(intent.id))
        found = session.execute(query).scalar_one_or_none()
        charge = view_of(found) if found is not None else None
    if charge is None:
        log.info("Stripe event %s (%s) is for %s, not one of our charges", event_id,
                 event_type, intent.id)
        return WebhookOutcome(event_id, event_type, handled=False, note="not our charge")
    result = StripeGateway.read_intent(intent)
    outcome = _Outcome(event_id, event_type, charge.id)
    if result is None:  # processing: the event that decides it follows
        return outcome.done(False, charge.state, "Stripe has not decided yet")
    if result.amount_cents != charge.amount_cents:
        log.error("Stripe event %s says %s for %d c; charge %s is for %d c: left as it is, "
                  "for a person to look at", event_id, intent.id, result.amount_cents,
                  charge.id, charge.amount_cents)
        return outcome.done(False, charge.state, "amount differs; left for a person")
    if event_type == SUCCEEDED and not result.approved:
        return outcome.done(False, charge.state, "the PaymentIntent has not succeeded")
    if charge.state not in (ChargeState.PENDING, ChargeState.ABANDONED):
        return outcome.done(False, _final(charge.id, charge.state, event_id, result.approved))
    try:
        [(settled, acted)] = settle_many(db, gateway, clock, [(charge.id, result)],
                                         effects.effect(charge.purpose), effects=effects)
    except EffectFailed as failed:
        # Counted on the charge; the reconciler tries again, up to the tries allowed. Stripe
        # is answered 200: sending the event again would only add to the count.
        return outcome.done(False, failed.charge.state,
                            "needs attention: its effect failed" if failed.needs_attention
                            else "its effect failed; the reconciler tries again")
    if not acted:  # another caller finished it between our read and our lock
        return outcome.done(False, _final(charge.id, settled.state, event_id, result.approved))
    log.info("Stripe event %s (%s) settled charge %s: %s", event_id, event_type, charge.id,
             settled.state.value)
    return outcome.done(True, settled.state, "settled")


@dataclass(frozen=True)
class _Outcome:
    event_id: str
    event_type: str
    charge_id: str

    def done(self, acted: bool, state: ChargeState, note: str = "already final"
             ) -> WebhookOutcome:
        return WebhookOutcome(self.event_id, self.event_type, handled=True, acted=acted,
                              charge_id=self.charge_id, charge_state=state, note=note)


def _final(charge_id: str, state: ChargeState, event_id: str, approved: bool) -> ChargeState:
    """A charge already final is left as it is; one we declined that Stripe says it took
    is a person's job (it cannot happen with one confirmation per PaymentIntent)."""
    if approved and state in (ChargeState.DECLINED,):
        log.error("Stripe event %s says charge %s succeeded, but it was recorded as %s: "
                  "refund it or apply it by hand", event_id, charge_id, state.value)
    return state


def outcome_body(outcome: WebhookOutcome) -> dict[str, Any]:
    """The 200 answer's body (Stripe shows it in the dashboard's event log)."""
    return {"received": True, "event_id": outcome.event_id, "type": outcome.event_type,
            "handled": outcome.handled, "acted": outcome.acted,
            "charge_id": outcome.charge_id,
            "charge_state": outcome.charge_state.value if outcome.charge_state else None,
            "note": outcome.note}


class WebhookPorts(UnitOfWork, Protocol):
    """What the webhook handler needs: the unit of work and the gateway in use."""

    @property
    def gateway(self) -> PaymentGateway: ...


class WebhookOff(Exception):
    """This server takes no Stripe webhooks: another gateway, or no signing secret."""


def receive(ports: WebhookPorts, payload: bytes, signature: str | None) -> WebhookOutcome:
    """The route's one handler: refuse when webhooks are off (:class:`WebhookOff`) or the
    signature is wrong (:class:`BadSignature`), else settle what the event names."""
    secret = webhook_secret(ports.gateway)
    if secret is None:
        raise WebhookOff
    event = verify(payload, signature, secret)
    return handle_event(ports.db, ports.gateway, ports.clock, event)
