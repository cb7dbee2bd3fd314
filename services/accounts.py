"""Reads the central API's account detail into the kiosk's ``AccountView``."""

from __future__ import annotations

from typing import Any

from kiosk.domain import AccountView, CardView, LovedOne, SubscriptionView


def _subscription(item: dict[str, Any]) -> SubscriptionView:
    pending = item.get("pending_change") or {}
    return SubscriptionView(
        id=str(item["id"]),
        plan_name=str(item["plan_name"]),
        service=str(item["service"]),
        allotment=int(item["allotment"]),
        used=int(item["used"]),
        remaining=int(item["remaining"]),
        period_end=str(item["period_end"]),
        renewal_mode=str(item["renewal_mode"]),
        cancel_at_period_end=bool(item["cancel_at_period_end"]),
        pending_renewal_mode=str(pending.get("renewal_mode") or ""),
    )


def account_view(body: dict[str, Any]) -> AccountView:
    cards = body.get("payment_methods") or []
    card = CardView(str(cards[0]["brand"]), str(cards[0]["last4"])) if cards else None
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
