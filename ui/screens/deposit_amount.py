"""Fund AdvanceConnect, step 1: a preset amount with one touch, or another amount on the
keypad, within the limits the server's quote reported."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

from kiosk.cards import typed_amount
from kiosk.domain import DepositQuote, Refusal
from kiosk.flows.money import PRESET_CENTS
from ui.formats import money
from ui.screens.form import KEYPAD, FormScreen
from ui.widgets.common import touch_button


class DepositAmountScreen(FormScreen):
    """Signals: completed() with ``values()["amount_cents"]``."""

    name = "deposit_amount"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__([["deposit_other"]], {"deposit_other": KEYPAD}, parent=parent,
                         point=True)
        self.other = self.line_edit("deposit_other")
        self.other.setMaxLength(10)  # "$300000.00"
        self.amount_cents: int | None = None
        self.quote: DepositQuote | None = None
        self.preset_buttons: dict[int, QPushButton] = {}
        # The amounts over the field, two a row; in one row when the keypad is under the
        # fields (the column has the window's width), so the field keeps its room under
        # them at 1024x768 in large text (issue 19). Their width never decides whether
        # the keypad fits beside the fields.
        self.presets = QWidget(self)
        self.presets.setObjectName("depositPresets")
        self._presets = QGridLayout(self.presets)
        self._presets.setContentsMargins(0, 0, 0, 0)
        self._presets.setSpacing(12)
        self._across = 0
        for cents in PRESET_CENTS:
            button = touch_button("choiceButton", self.presets)
            button.setMinimumHeight(80)
            button.clicked.connect(lambda _=False, c=cents: self.choose(c))
            self.preset_buttons[cents] = button
        self._lay_presets(2)
        self.column.insertWidget(self.column.indexOf(self.heading) + 1, self.presets)
        self.retranslateUi()

    def _lay_presets(self, across: int) -> None:
        if across == self._across:
            return
        self._across = across
        for index, button in enumerate(self.preset_buttons.values()):
            self._presets.removeWidget(button)
            self._presets.addWidget(button, index // across, index % across)

    def _fit(self) -> None:
        # As wide as two a row need, however many are in a row.
        widest = max(b.minimumSizeHint().width() for b in self.preset_buttons.values())
        self.presets.setMinimumWidth(2 * widest + self._presets.horizontalSpacing())
        super()._fit()
        across = 2 if self._beside_pad() else len(PRESET_CENTS)
        if across != self._across:
            self._lay_presets(across)
            self._presets.invalidate()
            self.presets.updateGeometry()
            super()._fit()

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
        # Dollars and cents; outside the limits the server's quote gave, said at once
        # (with the limits) rather than after a trip to the server.
        self.amount_cents = self.check(lambda: typed_amount(self.other.text()))
        quote, cents = self.quote, self.amount_cents
        if (cents is not None and quote is not None
                and not quote.minimum_cents <= cents <= quote.maximum_cents):
            self.show_problem("amount_out_of_range", "deposit_other")
            self.amount_cents = None
        return self.amount_cents is not None

    def values(self) -> dict[str, Any]:
        return {} if self.amount_cents is None else {"amount_cents": self.amount_cents}

    def show_refusal(self, refusal: Refusal) -> None:
        if refusal.field == "amount_cents" or refusal.code == "amount_out_of_range":
            self.show_problem("amount_out_of_range", "deposit_other")
        else:
            super().show_refusal(refusal)

    def show_problem(self, code: str, field: str = "") -> None:
        # An amount refused says again what may be added (issue 19).
        if (field == "deposit_other" and code in ("amount_out_of_range", "amount_invalid")
                and self._quiet_problems is None):
            self.fields[field].set_problem(code, self._limits())
            self.problem_shown.emit(self.fields[field].error_text())
        else:
            super().show_problem(code, field)

    def _limits(self) -> str:
        if self.quote is None:
            return ""
        return self.tr("You can add from {low} to {high}.").format(
            low=money(self.quote.minimum_cents), high=money(self.quote.maximum_cents))

    def reset(self) -> None:
        self.amount_cents = None
        self.quote = None
        super().reset()
        self.retranslateUi()

    def retranslate_form(self) -> None:
        other = self.fields["deposit_other"]
        code = other.problem_code()
        if code in ("amount_out_of_range", "amount_invalid"):
            other.set_problem(code, self._limits())  # the limits in the new language
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
