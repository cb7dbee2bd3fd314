"""Manage, confirm: what a change does, in plain words, before it is made."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.domain import CardView, SubscriptionView
from kiosk.flows.money import card_to_charge
from kiosk.flows.subscriptions import chosen_subscription
from ui.card_text import card_text
from ui.formats import day, money
from ui.screens.confirm import ConfirmScreen


class ManageConfirmScreen(ConfirmScreen):
    """Signals: completed() = yes, do it; jump_requested("manage_list") = no."""

    name = "manage_confirm"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("manage_list", (), parent)
        self.subscription: SubscriptionView | None = None
        self.action = ""
        self.card: CardView | None = None
        self.retranslateUi()

    def show_data(self, data: Mapping[str, Any]) -> None:
        chosen = data.get("manage_action")
        self.subscription = chosen_subscription(data)
        self.action = str(chosen[1]) if isinstance(chosen, tuple) else ""
        self.card = card_to_charge(data)
        self.retranslateUi()

    def reset(self) -> None:
        self.subscription = None
        self.action = ""
        self.card = None
        super().reset()
        self.retranslateUi()

    def _texts(self, sub: SubscriptionView) -> tuple[str, str, str]:
        """(title, what happens, the Yes button) for the chosen change."""
        end = day(sub.period_end)
        price = money(sub.price_cents)
        card = card_text(self.card) if self.card else self.tr("your card")
        if self.action == "cancel":
            return (
                self.tr("Cancel {plan}?").format(plan=sub.plan_name),
                self.tr("It stays active until {date}, then it ends. No refund.").format(date=end),
                self.tr("Yes, cancel it"),
            )
        if self.action == "resume":
            return (
                self.tr("Keep {plan}?").format(plan=sub.plan_name),
                self.tr("It will not end on {date}; it renews as before.").format(date=end),
                self.tr("Yes, keep it"),
            )
        if self.action == "renewal_manual":
            return (
                self.tr("Renew {plan} by hand?").format(plan=sub.plan_name),
                self.tr(
                    "Nothing changes until {date}. After that it ends unless you renew it here."
                ).format(date=end),
                self.tr("Yes, switch"),
            )
        if self.action == "renewal_auto":
            return (
                self.tr("Renew {plan} automatically?").format(plan=sub.plan_name),
                self.tr("From {date}, {price} is charged to {card} each month until you cancel.")
                .format(date=end, price=price, card=card),
                self.tr("Yes, switch"),
            )
        return (
            self.tr("Renew {plan} now?").format(plan=sub.plan_name),
            self.tr("{price} is charged to {card} today. The next month starts on {date}.")
            .format(price=price, card=card, date=end),
            self.tr("Pay {price}").format(price=price),
        )

    def retranslateUi(self) -> None:
        if self.subscription is None:
            title, body, yes = self.tr("Change your subscription"), "", self.tr("Yes")
        else:
            title, body, yes = self._texts(self.subscription)
        self.title.setText(title)
        self.show_texts(body, yes, self.tr("No, go back"))
        super().retranslateUi()
