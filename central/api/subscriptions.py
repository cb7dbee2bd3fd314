"""Subscription routes: quote, buy (consent to the no-refund terms), list, cancel / resume,
change renewal (pending until period end), renew now (manual), usage."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from central.api.deps import IdempotencyKey, OwnedAccountId, Services
from central.idempotency import fingerprint
from central.mail.notifications import calls_reminder_threshold
from central.money.models import PaymentMethod
from central.plans.models import Plan, Subscription
from central.plans.purchases import BuySubscription, RenewNow, buy_subscription
from central.plans.purchases import renew_now as pay_next_period_now
from central.plans.schemas import (
    PendingChangeOut,
    RenewalChangeIn,
    SubscriptionCardOut,
    SubscriptionIn,
    SubscriptionOut,
    SubscriptionQuoteIn,
    SubscriptionQuoteOut,
    TermsOut,
    UsageOut,
)
from central.plans.subscriptions import (
    TERMS_VERSION,
    SubscriptionQuote,
    card_of,
    change_renewal,
    mark_for_cancellation,
    owned_subscription,
    prepaid_next_period,
    quote_subscription,
    remaining_of,
    resume,
)
from central.problems import ProblemError, problems

router = APIRouter(prefix="/v1/accounts/{account_id}/subscriptions", tags=["subscriptions"])


def _quote_out(quote: SubscriptionQuote) -> SubscriptionQuoteOut:
    return SubscriptionQuoteOut(
        plan_id=quote.plan_id, plan_name=quote.plan_name, plan_kind=quote.plan_kind,
        service=quote.service, facility_id=quote.facility_id,
        facility_timezone=quote.timezone, price_cents=quote.price_cents,
        allotment=quote.allotment, covered_destinations=quote.covered_destinations,
        coverage=quote.coverage, renewal_mode=quote.renewal_mode,
        period_start=quote.period_start, period_end=quote.period_end,
        terms_version=TERMS_VERSION, terms=TermsOut(version=TERMS_VERSION,
                                                    text=quote.terms_text),
    )


def _card_out(method: PaymentMethod | None) -> SubscriptionCardOut | None:
    if method is None:
        return None
    return SubscriptionCardOut.model_validate({
        "payment_method_id": method.id, "brand": method.brand, "last4": method.last4,
        "exp_month": method.exp_month, "exp_year": method.exp_year,
    })


def subscription_out(session: Session, subscription: Subscription) -> SubscriptionOut:
    plan = session.get_one(Plan, subscription.plan_id)
    pending = None
    if subscription.pending_renewal_mode is not None:
        pending = PendingChangeOut(renewal_mode=subscription.pending_renewal_mode,
                                   effective_at=subscription.current_period_end)
    prepaid = prepaid_next_period(session, subscription)
    return SubscriptionOut(
        id=subscription.id, account_id=subscription.account_id,
        facility_id=subscription.facility_id, plan_id=plan.id, plan_name=plan.name,
        plan_kind=plan.kind, service=subscription.service, status=subscription.status,
        renewal_mode=subscription.renewal_mode, price_cents=subscription.price_cents,
        allotment=subscription.allotment, used=subscription.used_in_period,
        remaining=remaining_of(subscription), period_index=subscription.period_index,
        period_start=subscription.current_period_start,
        period_end=subscription.current_period_end,
        renewed_through=prepaid.period_end if prepaid is not None else None,
        cancel_at_period_end=subscription.cancel_at_period_end, pending_change=pending,
        card=_card_out(card_of(session, subscription)),
        terms_version=subscription.terms_version, created_at=subscription.created_at,
        ended_at=subscription.ended_at,
    )


@router.post(
    "/quote",
    response_model=SubscriptionQuoteOut,
    responses=problems(400, 401, 403, 422),
)
def quote(body: SubscriptionQuoteIn, account_id: OwnedAccountId, services: Services
          ) -> SubscriptionQuoteOut:
    """Price, period (anniversary from now, in the facility's time zone), allotment, what is
    covered, and the no-refund terms with their ``terms_version``, to accept when buying.
    422 ``plan_not_offered`` unless the plan is on sale at a participating facility the
    account is linked to."""
    with services.db.read() as session:
        return _quote_out(quote_subscription(session, account_id, body.plan_id,
                                             body.renewal_mode, services.clock.now()))


def _answer(session: Session, subscription: Subscription) -> dict[str, Any]:
    return subscription_out(session, subscription).model_dump(mode="json")


@router.post(
    "",
    status_code=201,
    response_model=SubscriptionOut,
    responses=problems(400, 401, 402, 403, 409, 422),
)
def create(
    body: SubscriptionIn, account_id: OwnedAccountId, services: Services,
    idempotency_key: IdempotencyKey,
) -> JSONResponse:
    """Buy a subscription: the first period is charged to the card on file now. Needs
    ``accept_terms: true`` and the quoted ``terms_version`` (422 ``terms_not_accepted``,
    409 ``terms_changed``). 409 ``already_subscribed`` when one is active for this service,
    phone and facility; 402 when the card is declined (nothing is created)."""
    if not body.accept_terms:
        raise ProblemError(422, "terms_not_accepted", "The no-refund terms were not accepted",
                           "Show the terms and ask the family to accept them.",
                           field="accept_terms")
    stored = buy_subscription(BuySubscription(
        account_id=account_id, plan_id=body.plan_id, renewal_mode=body.renewal_mode,
        payment_method_id=body.payment_method_id, terms_version=body.terms_version,
        idempotency_key=idempotency_key,
        request_fingerprint=fingerprint("POST subscriptions", body.model_dump(mode="json")),
    ), services, _answer)
    headers = {"Idempotent-Replayed": "true"} if stored.replayed else None
    return JSONResponse(stored.body, status_code=stored.status, headers=headers)


@router.get("", response_model=list[SubscriptionOut], responses=problems(401, 403))
def list_subscriptions(account_id: OwnedAccountId, services: Services
                       ) -> list[SubscriptionOut]:
    """Every subscription of the account, newest first, ended ones included."""
    with services.db.transaction() as session:
        found = session.execute(
            select(Subscription).where(Subscription.account_id == account_id)
            .order_by(Subscription.created_at.desc(), Subscription.id)
        ).scalars()
        return [subscription_out(session, s) for s in found]


@router.get("/{subscription_id}", response_model=SubscriptionOut,
            responses=problems(401, 403, 404))
def get_subscription(subscription_id: str, account_id: OwnedAccountId, services: Services
                     ) -> SubscriptionOut:
    with services.db.transaction() as session:
        return subscription_out(session, owned_subscription(session, account_id,
                                                            subscription_id))


@router.post("/{subscription_id}/cancel", response_model=SubscriptionOut,
             responses=problems(401, 403, 404, 409, 422))
def cancel(subscription_id: str, account_id: OwnedAccountId, services: Services
           ) -> SubscriptionOut:
    """Rule 8: mark for cancellation. It stays active until the period ends, then ends; no
    refund. A confirmation e-mail is sent. Asking twice changes nothing."""
    with services.db.transaction() as session:
        subscription = owned_subscription(session, account_id, subscription_id,
                                          for_update=True)
        mark_for_cancellation(session, subscription, services.clock)
        return subscription_out(session, subscription)


@router.post("/{subscription_id}/resume", response_model=SubscriptionOut,
             responses=problems(401, 403, 404, 409, 422))
def resume_subscription(subscription_id: str, account_id: OwnedAccountId, services: Services
                        ) -> SubscriptionOut:
    """Rule 8: undo a cancellation, before the period ends (409 ``period_ended`` after, 409
    ``subscription_ended`` once it has ended)."""
    with services.db.transaction() as session:
        subscription = owned_subscription(session, account_id, subscription_id,
                                          for_update=True)
        resume(subscription, services.clock.now())
        return subscription_out(session, subscription)


@router.post("/{subscription_id}/renewal", response_model=SubscriptionOut,
             responses=problems(400, 401, 403, 404, 409, 422))
def change_renewal_choice(
    subscription_id: str, body: RenewalChangeIn, account_id: OwnedAccountId,
    services: Services,
) -> SubscriptionOut:
    """Rule 7: switch auto / manual renewal, and the card for renewals. A change of auto /
    manual is pending (``pending_change``) until the current period ends, then applies; a
    new card is used at once (``card``)."""
    with services.db.transaction() as session:
        subscription = owned_subscription(session, account_id, subscription_id,
                                          for_update=True)
        change_renewal(session, subscription, body.renewal_mode, body.payment_method_id,
                       services.clock.now())
        return subscription_out(session, subscription)


@router.post("/{subscription_id}/renew-now", response_model=SubscriptionOut,
             responses=problems(401, 402, 403, 404, 409, 422))
def renew_now(
    subscription_id: str, account_id: OwnedAccountId, services: Services,
    idempotency_key: IdempotencyKey,
) -> JSONResponse:
    """Rule 6: pay the next period of a manual subscription now. It starts when the current
    one ends; at most one period ahead (409 ``already_renewed``). Meeting the period end
    while the card is charged still renews; 409 ``subscription_ended`` (and the payment
    refunded) only if it was cancelled meanwhile."""
    stored = pay_next_period_now(RenewNow(account_id, subscription_id, idempotency_key),
                                 services, _answer)
    headers = {"Idempotent-Replayed": "true"} if stored.replayed else None
    return JSONResponse(stored.body, status_code=stored.status, headers=headers)


@router.get("/{subscription_id}/usage", response_model=UsageOut,
            responses=problems(401, 403, 404))
def usage(subscription_id: str, account_id: OwnedAccountId, services: Services) -> UsageOut:
    """Rule 12: used, remaining (null when unlimited), period end, and the reminder
    threshold."""
    with services.db.transaction() as session:
        subscription = owned_subscription(session, account_id, subscription_id)
        allotment = subscription.allotment
        return UsageOut(
            subscription_id=subscription.id, service=subscription.service,
            status=subscription.status, allotment=allotment,
            used=subscription.used_in_period, remaining=remaining_of(subscription),
            period_start=subscription.current_period_start,
            period_end=subscription.current_period_end,
            reminder_threshold=calls_reminder_threshold(allotment) if allotment else None,
        )
