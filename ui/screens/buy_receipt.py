"""Buy a subscription, done: what is active, until when, and how it renews."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.domain import SubscriptionView
from ui.formats import day, money
from ui.screens.receipt import ReceiptScreen
from ui.subscription_text import summary

ROWS = ("plan", "charged", "period_end")


class BuyReceiptScreen(ReceiptScreen):
    """Signals: completed() = back to the family's account."""

    name = "buy_receipt"
    total_row = "charged"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(ROWS, parent)
        self.subscription: SubscriptionView | None = None
        self.retranslateUi()

    def show_data(self, data: Mapping[str, Any]) -> None:
        bought = data.get("purchase")
        self.subscription = bought if isinstance(bought, SubscriptionView) else None
        self.retranslateUi()

    def reset(self) -> None:
        self.subscription = None
        super().reset()
        self.retranslateUi()

    def receipt_data(self) -> object | None:
        return self.subscription

    def receipt_texts(self) -> tuple[str, str, Mapping[str, str], Mapping[str, str], str]:
        sub = self.subscription
        if sub is None:
            return self.tr("You're subscribed"), "", {}, {}, ""
        body = self.tr("{summary}\nNo refunds.").format(summary=summary(sub))
        titles = {
            "plan": self.tr("Plan"),
            "charged": self.tr("Charged today"),
            "period_end": self.tr("Paid until"),
        }
        values = {
            "plan": sub.plan_name, "charged": money(sub.price_cents),
            "period_end": day(sub.period_end),
        }
        return self.tr("You're subscribed"), body, titles, values, ""
