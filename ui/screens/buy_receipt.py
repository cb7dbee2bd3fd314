"""Buy a subscription, done: what is active, until when, and how it renews."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.domain import SubscriptionView
from ui.formats import money
from ui.screens.base import Screen
from ui.subscription_text import summary
from ui.widgets.common import touch_button


class BuyReceiptScreen(Screen):
    """Signals: completed() = back to the family's account."""

    name = "buy_receipt"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.subscription: SubscriptionView | None = None
        self.price_cents = 0
        self.title.setObjectName("heroTitle")
        self.body = QLabel(self)
        self.body.setObjectName("subtitle")
        self.body.setWordWrap(True)
        self.done_button = touch_button("primaryButton", self)
        self.done_button.clicked.connect(self.completed)
        self.action_button = self.done_button
        layout = QVBoxLayout(self)
        layout.setContentsMargins(120, 24, 120, 32)
        layout.setSpacing(18)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addStretch(1)
        layout.addWidget(self.done_button)
        self.retranslateUi()

    def show_data(self, data: Mapping[str, Any]) -> None:
        bought = data.get("purchase")
        self.subscription = bought if isinstance(bought, SubscriptionView) else None
        self.retranslateUi()

    def reset(self) -> None:
        self.subscription = None
        super().reset()
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self.title.setText(self.tr("You're subscribed"))
        sub = self.subscription
        if sub is None:
            self.body.clear()
        else:
            self.body.setText(
                self.tr("{summary}\n{price} was charged to your card. No refunds.").format(
                    summary=summary(sub), price=money(sub.price_cents)
                )
            )
        self.body.setAccessibleName(self.body.text())
        self.done_button.setText(self.tr("Back to my account"))
        self.done_button.setAccessibleName(self.tr("Back to my account"))
        super().retranslateUi()
