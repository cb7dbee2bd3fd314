"""Subscriptions: the plans and per-minute rates a facility sells, the server's quote with
its no-refund terms, the purchase (charged by the server to the card on file) and changes."""

from __future__ import annotations

from domain import PlanView, RateView, SubscriptionQuote, SubscriptionView
from kiosk.capabilities import Outcome
from kiosk.capabilities.access import KioskAccess
from kiosk.capabilities.family import FamilySessions
from kiosk.requests import (
    BuySubscription,
    LoadPlans,
    LoadRates,
    ManageSubscription,
    QuoteSubscription,
)
from services.central_client import CentralClient


class Subscriptions:
    def __init__(
        self, client: CentralClient, access: KioskAccess, family: FamilySessions
    ) -> None:
        self._client = client
        self._access = access
        self._family = family

    def plans(self, request: LoadPlans) -> Outcome[list[PlanView]]:
        self._access.ensure()
        return Outcome(list(self._client.facility_detail(request.facility_id,
                                                         request.language).plans))

    def rates(self, request: LoadRates) -> Outcome[list[RateView]]:
        self._access.ensure()
        return Outcome(list(self._client.facility_detail(request.facility_id).rates))

    def quote(self, request: QuoteSubscription) -> Outcome[SubscriptionQuote]:
        return Outcome(self._client.quote_subscription(
            self._family.current(), request.plan_id, request.renewal_mode, request.language
        ))

    def buy(self, request: BuySubscription) -> Outcome[SubscriptionView]:
        purchase = {
            "plan_id": request.plan_id,
            "renewal_mode": request.renewal_mode,
            "payment_method_id": request.payment_method_id or None,
            "terms_version": request.terms_version,
            "accept_terms": True,
            "quoted_total_cents": request.quoted_total_cents,
        }
        return Outcome(self._client.buy_subscription(self._family.current(), purchase,
                                                     request.key))

    def manage(self, request: ManageSubscription) -> Outcome[SubscriptionView]:
        return Outcome(self._client.manage_subscription(
            self._family.current(), request.subscription_id, request.action,
            request.payment_method_id, request.key,
        ))
