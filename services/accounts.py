"""Reads the central API's answers about a family (account, cards, plans, subscriptions)
into the kiosk's domain values."""

from __future__ import annotations

from typing import Any

from kiosk.domain import (
    AccountView,
    CardView,
    LovedOne,
    PlanView,
    SubscriptionQuote,
    SubscriptionView,
)


def _count(value: Any) -> int | None:
    return None if value is None else int(value)


def card_view(body: dict[str, Any]) -> CardView:
    return CardView(str(body["brand"]), str(body["last4"]), str(body.get("id") or ""))


def plan_view(body: dict[str, Any]) -> PlanView:
    return PlanView(
        id=str(body["id"]),
        kind=str(body["kind"]),
        name=str(body["name"]),
        price_cents=int(body["price_cents"]),
        allotment=_count(body.get("allotment")),
    )


def subscription_quote(body: dict[str, Any]) -> SubscriptionQuote:
    terms = body.get("terms") or {}
    return SubscriptionQuote(
        plan_id=str(body["plan_id"]),
        plan_name=str(body["plan_name"]),
        plan_kind=str(body["plan_kind"]),
        price_cents=int(body["price_cents"]),
        allotment=_count(body.get("allotment")),
        in_state_only=list(body.get("covered_destinations") or []) == ["in_state"],
        coverage=str(body.get("coverage") or ""),
        renewal_mode=str(body["renewal_mode"]),
        period_start=str(body["period_start"]),
        period_end=str(body["period_end"]),
        terms_version=str(body["terms_version"]),
        terms_text=str(terms.get("text") or ""),
    )


def subscription_view(item: dict[str, Any]) -> SubscriptionView:
    return _subscription(item)


def _subscription(item: dict[str, Any]) -> SubscriptionView:
    pending = item.get("pending_change") or {}
    return SubscriptionView(
        id=str(item["id"]),
        plan_name=str(item["plan_name"]),
        service=str(item["service"]),
        allotment=_count(item.get("allotment")),
        used=int(item["used"]),
        remaining=_count(item.get("remaining")),
        period_end=str(item["period_end"]),
        renewal_mode=str(item["renewal_mode"]),
        cancel_at_period_end=bool(item["cancel_at_period_end"]),
        pending_renewal_mode=str(pending.get("renewal_mode") or ""),
        price_cents=int(item.get("price_cents") or 0),
    )


def account_view(body: dict[str, Any]) -> AccountView:
    cards = body.get("payment_methods") or []
    card = card_view(cards[0]) if cards else None
    return AccountView(
        account_id=str(body["id"]),
        first_name=str(body["first_name"]),
        last_name=str(body["last_name"]),
        balance_cents=int(body["balance_cents"]),
        loved_ones=tuple(
            LovedOne(str(r["facility_id"]), str(r["resident_id"]), str(r["display_name"]))
            for r in body.get("linked_residents") or []
        ),
        subscriptions=tuple(_subscription(s) for s in body.get("subscriptions") or []),
        card=card,
    )
