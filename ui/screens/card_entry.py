"""The kiosk's own card keypad: number, expiry, security code and ZIP. The card goes to the
gateway's tokenize route at once; the number and code leave the fields as soon as they are
handed over, and are never shown again (only the brand and last four)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from kiosk.cards import card_cvc, card_digits, card_expiry, card_zip
from kiosk.domain import Refusal
from ui.screens.form import KEYPAD, FormScreen

# The gateway names its fields after its own API; the screen after what the family sees.
SERVER_FIELDS = {
    "number": "card_number",
    "exp_month": "card_expiry",
    "exp_year": "card_expiry",
    "cvc": "card_cvc",
}


class CardEntryScreen(FormScreen):
    """Signals: completed() with the checked card in ``values()`` (taken once)."""

    name = "card_entry"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [["card_number"], ["card_expiry", "card_cvc"], ["card_zip"]],
            dict.fromkeys(("card_number", "card_expiry", "card_cvc", "card_zip"), KEYPAD),
            secret=frozenset({"card_cvc"}),
            parent=parent,
        )
        self.number = self.line_edit("card_number")
        self.number.setMaxLength(23)
        self.expiry = self.line_edit("card_expiry")
        self.expiry.setMaxLength(7)
        self.cvc = self.line_edit("card_cvc")
        self.cvc.setMaxLength(4)
        self.zip = self.line_edit("card_zip")
        self.zip.setMaxLength(10)
        for edit in (self.number, self.cvc):
            # Never offered to an input method's dictionary or prediction.
            edit.setInputMethodHints(
                Qt.InputMethodHint.ImhDigitsOnly | Qt.InputMethodHint.ImhSensitiveData
                | Qt.InputMethodHint.ImhNoPredictiveText
            )
        self._card: dict[str, Any] | None = None
        self.retranslateUi()

    def validate_fields(self) -> bool:
        number = self.check(lambda: card_digits(self.number.text()))
        expiry = self.check(lambda: card_expiry(self.expiry.text(), date.today()))
        cvc = self.check(lambda: card_cvc(self.cvc.text()))
        # The ZIP is checked for its shape only: the gateway route takes no address.
        postal = self.check(lambda: card_zip(self.zip.text()))
        if number is None or expiry is None or cvc is None or postal is None:
            self._card = None
            return False
        self._card = {"card_number": number, "card_expiry": expiry, "card_cvc": cvc,
                      "card_zip": postal}
        return True

    def values(self) -> dict[str, Any]:
        card, self._card = self._card, None
        # Handed over: the number and the code leave the widgets at once.
        self.number.clear()
        self.cvc.clear()
        return card or {}

    def show_refusal(self, refusal: Refusal) -> None:
        field = SERVER_FIELDS.get(refusal.field, refusal.field)
        if field in self.fields:
            self.fields[field].set_problem(refusal.code)
        else:
            super().show_refusal(refusal)

    def reset(self) -> None:
        self._card = None
        super().reset()

    def retranslate_form(self) -> None:
        self.title.setText(self.tr("Add a card"))
        self.subtitle.setText(
            self.tr("We keep only its last 4 numbers.")
        )
