"""Fund AdvanceConnect, step 1: a preset amount with one touch, or another amount on the
keypad, within the limits the server's quote reported."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

from kiosk.cards import whole_dollars
from kiosk.domain import DepositQuote, Refusal
from kiosk.flows.money import PRESET_CENTS
from ui.formats import money
from ui.screens.form import KEYPAD, FormScreen
from ui.widgets.common import touch_button


class DepositAmountScreen(FormScreen):
    """Signals: completed() with ``values()["amount_cents"]``."""

    name = "deposit_amount"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__([["deposit_other"]], {"deposit_other": KEYPAD}, parent=parent)
        self.other = self.line_edit("deposit_other")
        self.other.setMaxLength(6)
        self.amount_cents: int | None = None
        self.quote: DepositQuote | None = None
        self.preset_buttons: dict[int, QPushButton] = {}
        presets = QGridLayout()
        presets.setSpacing(12)
        for index, cents in enumerate(PRESET_CENTS):
            button = touch_button("choiceButton", self)
            button.setMinimumHeight(80)
            button.clicked.connect(lambda _=False, c=cents: self.choose(c))
            presets.addWidget(button, index // 2, index % 2)
            self.preset_buttons[cents] = button
        self.column.insertLayout(self.column.indexOf(self.subtitle) + 1, presets)
        self.retranslateUi()

    def choose(self, cents: int) -> None:
        """A preset was touched: that is the family's one decision here."""
        if not self.next_button.isEnabled():
            return
        self.clear_problems()
        self.amount_cents = cents
        self.completed.emit()

    def show_data(self, data: Mapping[str, Any]) -> None:
        quote = data.get("deposit_quote")
        self.quote = quote if isinstance(quote, DepositQuote) else None
        self.retranslateUi()

    def take_answer(self, request: object, answer: object) -> None:
        if isinstance(answer, DepositQuote):
            self.quote = answer
            self.retranslateUi()

    def validate_fields(self) -> bool:
        self.amount_cents = self.check(lambda: whole_dollars(self.other.text()))
        return self.amount_cents is not None

    def values(self) -> dict[str, Any]:
        return {} if self.amount_cents is None else {"amount_cents": self.amount_cents}

    def show_refusal(self, refusal: Refusal) -> None:
        if refusal.field == "amount_cents" or refusal.code == "amount_out_of_range":
            self.fields["deposit_other"].set_problem("amount_out_of_range")
        else:
            super().show_refusal(refusal)

    def reset(self) -> None:
        self.amount_cents = None
        self.quote = None
        super().reset()
        self.retranslateUi()

    def retranslate_form(self) -> None:
        self.title.setText(self.tr("How much do you want to add?"))
        if self.quote is not None:
            self.subtitle.setText(
                self.tr("From {low} to {high}. You will see the fee and the total before you pay.")
                .format(low=money(self.quote.minimum_cents), high=money(self.quote.maximum_cents))
            )
        else:
            self.subtitle.setText(self.tr("You will see the fee and the total before you pay."))
        for cents, button in self.preset_buttons.items():
            allowed = self.quote is None or (
                self.quote.minimum_cents <= cents <= self.quote.maximum_cents
            )
            button.setVisible(allowed)
            button.setText(money(cents))
            button.setAccessibleName(self.tr("Add {amount}").format(amount=money(cents)))
