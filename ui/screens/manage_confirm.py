"""Manage, confirm: what a change does, in plain words, before it is made. Renew-now is paid
with the card on file, or on the card reader when there is none or the family chooses it
(docs/devices.md "The card reader")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.domain import CardView, SubscriptionView
from kiosk.flows import keys as k
from kiosk.flows.money import card_to_charge
from kiosk.flows.subscriptions import chosen_subscription
from ui.card_text import card_text
from ui.formats import day, money
from ui.screens.confirm import ConfirmScreen
from ui.widgets.common import touch_button


class ManageConfirmScreen(ConfirmScreen):
    """Signals: completed() = yes, do it (renew-now: with the card on file, or with
    ``pay_on_reader`` on the card reader's screen next); jump_requested("manage_list") = no."""

    name = "manage_confirm"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("manage_list", (), parent)
        self.subscription: SubscriptionView | None = None
        self.action = ""
        self.card: CardView | None = None
        self._on_reader = False
        # Yes pays with the card on file, or on the reader when there is none.
        self.yes_button.clicked.disconnect()
        self.yes_button.clicked.connect(lambda: self._finish(on_reader=self._renews_on_reader()))
        self.reader_button = touch_button("secondaryButton", self)
        self.reader_button.clicked.connect(lambda: self._finish(on_reader=True))
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(layout.indexOf(self.no_button), self.reader_button)
        self.retranslateUi()

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        # While the card on file is being charged, the reader is not a second way to pay.
        self.reader_button.setEnabled(not busy)

    def _renews_on_reader(self) -> bool:
        """Renew-now with nothing on file to charge: the card reader takes the payment."""
        return self.action == "renew_now" and self.card is None

    def _finish(self, *, on_reader: bool) -> None:
        self._on_reader = on_reader
        self.completed.emit()

    def values(self) -> dict[str, Any]:
        return {k.PAY_ON_READER: self._on_reader}

    def show_data(self, data: Mapping[str, Any]) -> None:
        chosen = data.get("manage_action")
        self.subscription = chosen_subscription(data)
        self.action = str(chosen[1]) if isinstance(chosen, tuple) else ""
        card = card_to_charge(data)
        if card != self.card:
            # Another card now: what the bank said about the last one no longer holds.
            self.clear_problems()
        self.card = card
        self.retranslateUi()

    def reset(self) -> None:
        self.subscription = None
        self.action = ""
        self.card = None
        self._on_reader = False
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
        if self.card is None:
            return (
                self.tr("Renew {plan} now?").format(plan=sub.plan_name),
                self.tr("You pay {price} on the card reader today. The next month starts on"
                        " {date}.").format(price=price, date=end),
                self.tr("Pay {price} on the card reader").format(price=price),
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
        self.reader_button.setText(self.tr("Pay on the card reader instead"))
        self.reader_button.setAccessibleName(self.reader_button.text())
        self.reader_button.setVisible(self.action == "renew_now" and self.card is not None)
        super().retranslateUi()
