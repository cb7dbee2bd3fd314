"""Buy a subscription, done: what is active, until when, and how it renews."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.domain import CardView, SubscriptionView
from kiosk.flows import keys as k
from kiosk.flows.money import card_to_charge
from ui.formats import day
from ui.screens.receipt import SubscriptionReceiptScreen
from ui.subscription_text import summary


class BuyReceiptScreen(SubscriptionReceiptScreen):
    """Signals: completed() = back to the family's account."""

    name = "buy_receipt"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(("period_end",), parent)

    def paid_for(self, data: Mapping[str, Any]) -> tuple[SubscriptionView | None,
                                                          CardView | None]:
        bought = data.get("purchase")
        # The card the reader read, else the card on file it was charged to.
        return (bought if isinstance(bought, SubscriptionView) else None,
                k.PAID_WITH.of(data) or card_to_charge(data))

    def heading(self) -> str:
        return self.tr("You're subscribed")

    def what_happened(self, sub: SubscriptionView, card: str | None) -> str:
        if card is None:
            return self.tr("{summary}\nNo refunds.").format(summary=summary(sub))
        return self.tr("{summary}\nPaid with {card}. No refunds.").format(
            summary=summary(sub), card=card)

    def period_rows(self, sub: SubscriptionView) -> tuple[dict[str, str], dict[str, str]]:
        return {"period_end": self.tr("Paid until")}, {"period_end": day(sub.period_end)}
