"""Subscription routes: quote, buy (consent to the no-refund terms), list, cancel / resume,
change renewal (pending until period end), renew now (manual), usage. Each parses, calls one
handler ``(command, ports)`` of :mod:`central.plans` and answers."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from pydantic import TypeAdapter

from central.api.deps import (
    IdempotencyKey,
    OwnedAccountId,
    RequestLanguage,
    Services,
    json_answer,
)
from central.kernel.idempotency import StoredResponse, fingerprint
from central.kernel.problems import problems
from central.plans import purchases
from central.plans import subscriptions as life_cycle
from central.plans.schemas import (
    RenewalChangeIn,
    SubscriptionIn,
    SubscriptionOut,
    SubscriptionQuoteIn,
    SubscriptionQuoteOut,
    UsageOut,
)

_QUOTE = TypeAdapter(SubscriptionQuoteOut)

router = APIRouter(prefix="/v1/accounts/{account_id}/subscriptions", tags=["subscriptions"])


def _stored(stored: StoredResponse) -> JSONResponse:
    headers = {"Idempotent-Replayed": "true"} if stored.replayed else None
    return JSONResponse(stored.body, status_code=stored.status, headers=headers)


@router.post(
    "/quote",
    response_model=SubscriptionQuoteOut,
    responses=problems(400, 401, 403, 422),
)
def quote(body: SubscriptionQuoteIn, account_id: OwnedAccountId, services: Services,
          language: RequestLanguage) -> Response:
    """Price, period (anniversary from now, in the facility's time zone), allotment, what is
    covered, and the no-refund terms with their ``terms_version``, to accept when buying;
    the plan's name, what it covers and the terms in the Accept-Language's language (else
    the account's).
    422 ``plan_not_offered`` unless the plan is on sale at a participating facility the
    account is linked to."""
    return json_answer(_QUOTE, purchases.quote(
        purchases.QuoteRequest(account_id, body.plan_id, body.renewal_mode, language), services))


@router.post(
    "",
    status_code=201,
    response_model=SubscriptionOut,
    responses=problems(400, 401, 402, 403, 409, 422, 503),
)
def create(
    body: SubscriptionIn, account_id: OwnedAccountId, services: Services,
    idempotency_key: IdempotencyKey,
) -> JSONResponse:
    """Buy a subscription: the first period is charged to the card on file now. Needs
    ``accept_terms: true``, the quoted ``terms_version`` (422 ``terms_not_accepted``,
    409 ``terms_changed``) and the quoted price as ``quoted_total_cents`` (422
    ``quoted_total_required`` without it; 409 ``quote_changed`` with the new quote in the
    problem's ``quote`` if the price changed since: nothing is charged). 409
    ``already_subscribed`` when one is active for this service, phone and facility; 402
    when the card is declined (nothing is created)."""
    return _stored(purchases.buy_subscription(purchases.BuySubscription(
        account_id=account_id, plan_id=body.plan_id, renewal_mode=body.renewal_mode,
        payment_method_id=body.payment_method_id, accept_terms=body.accept_terms,
        terms_version=body.terms_version, quoted_total_cents=body.quoted_total_cents,
        idempotency_key=idempotency_key,
        request_fingerprint=fingerprint("POST subscriptions", body.model_dump(mode="json")),
    ), services))


@router.get("", response_model=list[SubscriptionOut], responses=problems(401, 403))
def list_subscriptions(account_id: OwnedAccountId, services: Services
                       ) -> list[SubscriptionOut]:
    """Every subscription of the account, newest first, ended ones included."""
    return life_cycle.list_subscriptions(account_id, services)


@router.get("/{subscription_id}", response_model=SubscriptionOut,
            responses=problems(401, 403, 404))
def get_subscription(subscription_id: str, account_id: OwnedAccountId, services: Services
                     ) -> SubscriptionOut:
    return life_cycle.get_subscription(
        life_cycle.OwnSubscription(account_id, subscription_id), services)


@router.post("/{subscription_id}/cancel", response_model=SubscriptionOut,
             responses=problems(401, 403, 404, 409, 422))
def cancel(subscription_id: str, account_id: OwnedAccountId, services: Services
           ) -> SubscriptionOut:
    """Rule 8: mark for cancellation. It stays active until the period ends, then ends; no
    refund. A confirmation e-mail is sent. Asking twice changes nothing."""
    return life_cycle.cancel_subscription(
        life_cycle.OwnSubscription(account_id, subscription_id), services)


@router.post("/{subscription_id}/resume", response_model=SubscriptionOut,
             responses=problems(401, 403, 404, 409, 422))
def resume_subscription(subscription_id: str, account_id: OwnedAccountId, services: Services
                        ) -> SubscriptionOut:
    """Rule 8: undo a cancellation, before the period ends (409 ``period_ended`` after, 409
    ``subscription_ended`` once it has ended)."""
    return life_cycle.resume_subscription(
        life_cycle.OwnSubscription(account_id, subscription_id), services)


@router.post("/{subscription_id}/renewal", response_model=SubscriptionOut,
             responses=problems(400, 401, 403, 404, 409, 422))
def change_renewal_choice(
    subscription_id: str, body: RenewalChangeIn, account_id: OwnedAccountId,
    services: Services,
) -> SubscriptionOut:
    """Rule 7: switch auto / manual renewal, and the card for renewals. A change of auto /
    manual is pending (``pending_change``) until the current period ends, then applies; a
    new card is used at once (``card``)."""
    return life_cycle.change_renewal_choice(life_cycle.ChangeRenewal(
        account_id, subscription_id, body.renewal_mode, body.payment_method_id), services)


@router.post("/{subscription_id}/renew-now", response_model=SubscriptionOut,
             responses=problems(401, 402, 403, 404, 409, 422, 503))
def renew_now(
    subscription_id: str, account_id: OwnedAccountId, services: Services,
    idempotency_key: IdempotencyKey,
) -> JSONResponse:
    """Rule 6: pay the next period of a manual subscription now. It starts when the current
    one ends; at most one period ahead (409 ``already_renewed``). Meeting the period end
    while the card is charged still renews; 409 ``subscription_ended`` (and the payment
    refunded) only if it was cancelled meanwhile."""
    return _stored(purchases.renew_now(
        purchases.RenewNow(account_id, subscription_id, idempotency_key), services))


@router.get("/{subscription_id}/usage", response_model=UsageOut,
            responses=problems(401, 403, 404))
def usage(subscription_id: str, account_id: OwnedAccountId, services: Services) -> UsageOut:
    """Rule 12: used, remaining (null when unlimited), period end, and the reminder
    threshold."""
    return life_cycle.usage_of(life_cycle.OwnSubscription(account_id, subscription_id),
                               services)
