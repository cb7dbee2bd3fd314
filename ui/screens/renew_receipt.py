"""Renew now, done: the next month paid, until when, and the card the reader read."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.domain import CardView, SubscriptionView
from kiosk.flows import keys as k
from ui.formats import day
from ui.screens.receipt import SubscriptionReceiptScreen


class RenewReceiptScreen(SubscriptionReceiptScreen):
    """Signals: completed() = back to the family's account."""

    name = "renew_receipt"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(("starts", "paid_until"), parent)

    def paid_for(self, data: Mapping[str, Any]) -> tuple[SubscriptionView | None,
                                                          CardView | None]:
        return k.MANAGED.of(data), k.PAID_WITH.of(data)

    def heading(self) -> str:
        return self.tr("Renewed")

    def what_happened(self, sub: SubscriptionView, card: str | None) -> str:
        if card is None:
            return self.tr("{plan} is paid for one more month. No refunds.").format(
                plan=sub.plan_name)
        return self.tr("{plan} is paid for one more month with {card}. No refunds.").format(
            plan=sub.plan_name, card=card)

    def period_rows(self, sub: SubscriptionView) -> tuple[dict[str, str], dict[str, str]]:
        titles = {"starts": self.tr("Next month starts"), "paid_until": self.tr("Paid until")}
        # Paid ahead: it starts when the current month ends. Paid after that end, the paid
        # month is the current one already.
        values = {"starts": day(sub.period_end) if sub.renewed_through else "",
                  "paid_until": day(sub.renewed_through or sub.period_end)}
        return titles, values
