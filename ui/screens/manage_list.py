"""Manage: each subscription with what is left as a progress bar, its period end and the
changes the family can make; and the card used for payments, replaced at once."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.domain import AccountView
from kiosk.flows.reader import may_type_card
from ui.card_text import card_text
from ui.screens.base import Screen
from ui.widgets.common import WrappingButton
from ui.widgets.subscription_row import SubscriptionRow


class ManageListScreen(Screen):
    """Signals: completed() with ``values()["manage_action"]`` = (subscription id, action);
    jump_requested("card_entry") to update the card; jump_requested("payments:") for the
    recent payments and a refund of the balance."""

    name = "manage_list"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.account: AccountView | None = None
        self.action: tuple[str, str] | None = None
        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("subtitle")
        self.empty_label.setWordWrap(True)
        # Rows are reused from session to session: a day of families creates none.
        self.rows: list[SubscriptionRow] = []
        self._rows = QVBoxLayout()
        self._rows.setSpacing(12)
        self.card_label = QLabel(self)
        self.card_label.setObjectName("status")
        self.card_button = WrappingButton("secondaryButton", self)
        self.card_button.clicked.connect(lambda: self.jump_requested.emit("card_entry"))
        self.action_button = self.card_button
        self.payments_button = WrappingButton("secondaryButton", self)
        self.payments_button.clicked.connect(lambda: self.jump_requested.emit("payments:"))
        # In a row of their own, so the screen's footer keeps them in view (issue 19).
        button_row = QWidget(self)
        button_row.setObjectName("manageButtons")
        buttons = QHBoxLayout(button_row)
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.setSpacing(16)
        buttons.addWidget(self.card_button, 1)
        buttons.addWidget(self.payments_button, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(64, 12, 64, 16)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.busy_indicator)
        layout.addWidget(self.empty_label)
        layout.addLayout(self._rows)
        layout.addStretch(1)
        layout.addWidget(self.notice)
        layout.addWidget(self.card_label)
        layout.addWidget(button_row)
        self.retranslateUi()

    def _choose(self, subscription_id: str, action: str) -> None:
        if not self.card_button.isEnabled():
            return  # busy
        self.action = (subscription_id, action)
        self.completed.emit()

    def _row(self, index: int) -> SubscriptionRow:
        while len(self.rows) <= index:
            row = SubscriptionRow(self._choose, self)
            self._rows.addWidget(row)
            self.rows.append(row)
        return self.rows[index]

    def show_data(self, data: Mapping[str, Any]) -> None:
        # Typing a new card is for staff where the facility allows it; a family keeps the
        # card they pay with on the card reader (docs/payments.md "Keyed entry").
        self.card_button.setVisible(may_type_card(data))
        account = data.get("account")
        self.account = account if isinstance(account, AccountView) else None
        self.retranslateUi()

    def values(self) -> dict[str, Any]:
        return {"manage_action": self.action} if self.action else {}

    def reset(self) -> None:
        self.account = None
        self.action = None
        super().reset()
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self.title.setText(self.tr("Your subscriptions"))
        subs = self.account.subscriptions if self.account else ()
        for index, sub in enumerate(subs):
            row = self._row(index)
            row.show_subscription(sub)
            row.show()
        for row in self.rows[len(subs) :]:
            row.subscription = None
            row.hide()
        self.empty_label.setText(
            "" if subs else self.tr("You have no subscription. You can buy one from your account.")
        )
        self.empty_label.setVisible(not subs)
        card = self.account.card if self.account else None
        self.card_label.setText(
            self.tr("Card for payments: {card}").format(card=card_text(card))
            if card else self.tr("No card on file yet")
        )
        self.card_label.setAccessibleName(self.card_label.text())
        self.card_button.setText(self.tr("Type a new card number (staff)"))
        self.card_button.setAccessibleName(self.tr("Use a new card for payments"))
        self.payments_button.setText(self.tr("Payments and refunds"))
        self.payments_button.setAccessibleName(
            self.tr("Recent payments, and a refund of your balance"))
        super().retranslateUi()
