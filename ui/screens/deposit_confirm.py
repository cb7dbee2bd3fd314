"""Fund AdvanceConnect, step 2: the server's quote in plain words (amount, fee, total) and
the card it will be charged to, before anything is paid."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.domain import CardView, DepositQuote
from kiosk.flows import keys as k
from kiosk.flows.money import card_to_charge
from kiosk.flows.reader import may_type_card
from ui.card_text import card_text
from ui.formats import money
from ui.screens.base import Screen
from ui.widgets.common import touch_button
from ui.widgets.summary_rows import SummaryRows

ROWS = ("amount", "fee", "total", "card")


class DepositConfirmScreen(Screen):
    """Signals: completed() = pay, with the card on file or (``pay_on_reader``) on the card
    reader's screen next; jump_requested("card_entry") = staff type a card number."""

    name = "deposit_confirm"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.quote: DepositQuote | None = None
        self.card: CardView | None = None
        self.may_type = False
        self._on_reader = False
        sheet = SummaryRows(ROWS, self, amounts=True)
        self.rows = sheet
        self.row_titles, self.row_values = sheet.titles, sheet.values
        self.pay_button = touch_button("primaryButton", self)
        self.pay_button.clicked.connect(self._pay)
        # Another card is paid on the card reader; typing a number is for staff only.
        self.other_card_button = touch_button("secondaryButton", self)
        self.other_card_button.clicked.connect(lambda: self._finish(on_reader=True))
        self.type_button = touch_button("secondaryButton", self)
        self.type_button.clicked.connect(lambda: self.jump_requested.emit("card_entry"))
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
        layout.addWidget(self.type_button)
        self.retranslateUi()

    def _pay(self) -> None:
        # Nothing on file to charge: the card reader takes the payment.
        self._finish(on_reader=self.card is None)

    def _finish(self, *, on_reader: bool) -> None:
        self._on_reader = on_reader
        self.completed.emit()

    def values(self) -> dict[str, Any]:
        return {k.PAY_ON_READER: self._on_reader}

    def show_data(self, data: Mapping[str, Any]) -> None:
        quote = data.get("deposit_quote")
        self.quote = quote if isinstance(quote, DepositQuote) else None
        card = card_to_charge(data)
        if card != self.card:
            # Another card now: what the bank said about the last one no longer holds.
            self.clear_problems()
        self.card = card
        self.may_type = may_type_card(data)
        self.retranslateUi()

    def reset(self) -> None:
        self.quote = None
        self.card = None
        self.may_type = False
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
            "card": card_text(self.card) if self.card else self.tr("The card reader"),
        }
        self.rows.show_rows(titles, values)
        if self.card is None:
            self.pay_button.setText(
                self.tr("Pay {total} on the card reader").format(total=values["total"]))
        else:
            self.pay_button.setText(self.tr("Pay {total}").format(total=values["total"]))
        self.pay_button.setAccessibleName(self.pay_button.text())
        self.other_card_button.setText(self.tr("Pay on the card reader instead"))
        self.other_card_button.setAccessibleName(self.other_card_button.text())
        self.other_card_button.setVisible(self.card is not None)
        self.type_button.setText(self.tr("Type a card number (staff)"))
        self.type_button.setAccessibleName(self.type_button.text())
        self.type_button.setVisible(self.may_type)
        super().retranslateUi()
