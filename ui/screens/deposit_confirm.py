"""Fund AdvanceConnect, step 2: the server's quote in plain words (amount, fee, total) and
the card it will be charged to, before anything is paid."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.domain import CardView, DepositQuote
from kiosk.flows.money import card_to_charge
from ui.card_text import card_text
from ui.formats import money
from ui.screens.base import Screen
from ui.widgets.common import touch_button
from ui.widgets.summary_rows import SummaryRows

ROWS = ("amount", "fee", "total", "card")


class DepositConfirmScreen(Screen):
    """Signals: completed() = pay; jump_requested("card_entry") = use another card."""

    name = "deposit_confirm"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.quote: DepositQuote | None = None
        self.card: CardView | None = None
        sheet = SummaryRows(ROWS, self, amounts=True)
        self.rows = sheet
        self.row_titles, self.row_values = sheet.titles, sheet.values
        self.pay_button = touch_button("primaryButton", self)
        self.pay_button.clicked.connect(self._pay)
        self.other_card_button = touch_button("secondaryButton", self)
        self.other_card_button.clicked.connect(lambda: self.jump_requested.emit("card_entry"))
        self.action_button = self.pay_button
        layout = QVBoxLayout(self)
        layout.setContentsMargins(120, 16, 120, 24)
        layout.setSpacing(14)
        layout.addWidget(self.title)
        layout.addWidget(sheet)
        layout.addStretch(1)
        layout.addWidget(self.notice)
        layout.addWidget(self.busy_indicator)
        layout.addWidget(self.pay_button)
        layout.addWidget(self.other_card_button)
        self.retranslateUi()

    def _pay(self) -> None:
        if self.card is None:
            self.jump_requested.emit("card_entry")  # nothing to charge yet: add a card first
        else:
            self.completed.emit()

    def show_data(self, data: Mapping[str, Any]) -> None:
        quote = data.get("deposit_quote")
        self.quote = quote if isinstance(quote, DepositQuote) else None
        self.card = card_to_charge(data)
        self.retranslateUi()

    def reset(self) -> None:
        self.quote = None
        self.card = None
        super().reset()
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self.title.setText(self.tr("Please check before you pay"))
        titles = {
            "amount": self.tr("Added to AdvanceConnect"),
            "fee": self.tr("Fee"),
            "total": self.tr("Total charged today"),
            "card": self.tr("Paid with"),
        }
        quote = self.quote
        values = {
            "amount": money(quote.amount_cents) if quote else "",
            "fee": money(quote.fee_cents) if quote else "",
            "total": money(quote.total_cents) if quote else "",
            "card": card_text(self.card) if self.card else self.tr("No card on file yet"),
        }
        self.rows.show_rows(titles, values)
        if self.card is None:
            self.pay_button.setText(self.tr("Add a card to pay"))
        else:
            self.pay_button.setText(self.tr("Pay {total}").format(total=values["total"]))
        self.pay_button.setAccessibleName(self.pay_button.text())
        self.other_card_button.setText(self.tr("Use a different card"))
        self.other_card_button.setAccessibleName(self.tr("Use a different card"))
        self.other_card_button.setVisible(self.card is not None)
        super().retranslateUi()
