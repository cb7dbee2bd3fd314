"""Subscriptions: the plans and per-minute rates a facility sells, the server's quote with
its no-refund terms, the purchase (charged by the server to the card on file) and changes."""

from __future__ import annotations

from kiosk.capabilities import Outcome
from kiosk.capabilities.access import KioskAccess
from kiosk.capabilities.family import FamilySessions
from kiosk.domain import PlanView, RateView, SubscriptionQuote, SubscriptionView
from kiosk.requests import (
    BuySubscription,
    LoadPlans,
    LoadRates,
    ManageSubscription,
    QuoteSubscription,
)
from services.accounts import plan_view, subscription_quote, subscription_view
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
        detail = self._client.facility_detail(request.facility_id)
        return Outcome([plan_view(p) for p in detail.get("plans") or []])

    def rates(self, request: LoadRates) -> Outcome[list[RateView]]:
        self._access.ensure()
        detail = self._client.facility_detail(request.facility_id)
        return Outcome([
            RateView(str(r["kind"]), str(r["destination"]), int(r["cents_per_minute"]))
            for r in detail.get("rates") or []
        ])

    def quote(self, request: QuoteSubscription) -> Outcome[SubscriptionQuote]:
        body = self._client.quote_subscription(
            self._family.current(), request.plan_id, request.renewal_mode
        )
        return Outcome(subscription_quote(body))

    def buy(self, request: BuySubscription) -> Outcome[SubscriptionView]:
        purchase = {
            "plan_id": request.plan_id,
            "renewal_mode": request.renewal_mode,
            "payment_method_id": request.payment_method_id or None,
            "terms_version": request.terms_version,
            "accept_terms": True,
        }
        body = self._client.buy_subscription(self._family.current(), purchase, request.key)
        return Outcome(subscription_view(body))

    def manage(self, request: ManageSubscription) -> Outcome[SubscriptionView]:
        body = self._client.manage_subscription(
            self._family.current(), request.subscription_id, request.action,
            request.payment_method_id, request.key,
        )
        return Outcome(subscription_view(body))
