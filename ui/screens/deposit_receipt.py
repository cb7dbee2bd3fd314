"""Fund AdvanceConnect, done: what was added and charged, the new balance, the reference."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.domain import DepositReceipt
from ui.card_text import card_text
from ui.formats import money
from ui.screens.base import Screen
from ui.widgets.common import touch_button


class DepositReceiptScreen(Screen):
    """Signals: completed() = back to the family's account."""

    name = "deposit_receipt"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.receipt: DepositReceipt | None = None
        self.title.setObjectName("heroTitle")
        self.body = QLabel(self)
        self.body.setObjectName("subtitle")
        self.body.setWordWrap(True)
        self.reference = QLabel(self)
        self.reference.setObjectName("sectionValue")
        self.reference.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.done_button = touch_button("primaryButton", self)
        self.done_button.clicked.connect(self.completed)
        self.action_button = self.done_button
        layout = QVBoxLayout(self)
        layout.setContentsMargins(120, 24, 120, 32)
        layout.setSpacing(18)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addWidget(self.reference)
        layout.addStretch(1)
        layout.addWidget(self.done_button)
        self.retranslateUi()

    def show_data(self, data: Mapping[str, Any]) -> None:
        receipt = data.get("deposit_receipt")
        self.receipt = receipt if isinstance(receipt, DepositReceipt) else None
        self.retranslateUi()

    def reset(self) -> None:
        self.receipt = None
        super().reset()
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self.title.setText(self.tr("Money added"))
        r = self.receipt
        if r is None:
            self.body.clear()
            self.reference.clear()
        else:
            self.body.setText(
                self.tr(
                    "{amount} was added to AdvanceConnect. {total} was charged to {card}"
                    " ({amount} + {fee} fee).\nYour balance is now {balance}.\n"
                    "We also sent this receipt to your e-mail."
                ).format(
                    amount=money(r.amount_cents), total=money(r.total_cents),
                    fee=money(r.fee_cents), card=card_text(r.card),
                    balance=money(r.balance_cents),
                )
            )
            self.reference.setText(self.tr("Reference: {ref}").format(ref=r.reference))
        self.body.setAccessibleName(self.body.text())
        self.reference.setAccessibleName(self.reference.text())
        self.done_button.setText(self.tr("Back to my account"))
        self.done_button.setAccessibleName(self.tr("Back to my account"))
        super().retranslateUi()
