"""Registration step: choosing a numeric PIN and typing it again, masked, on the keypad."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.validation import PIN_MAX_DIGITS, InvalidInput, Problem, check_pin
from ui.screens.form import KEYPAD, FormScreen


def _pin_and_confirmation(pin: str, confirmation: str) -> str:
    checked = check_pin(pin)
    if not confirmation:
        raise InvalidInput("pin_confirm", Problem.REQUIRED)
    return check_pin(checked, confirmation)


class RegisterPinScreen(FormScreen):
    """PIN and confirmation; the digits are never shown or kept after ``reset()``."""

    name = "register_pin"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [["pin"], ["pin_confirm"]],
            {"pin": KEYPAD, "pin_confirm": KEYPAD},
            secret=frozenset({"pin", "pin_confirm"}),
            parent=parent,
        )
        self.pin = self.line_edit("pin")
        self.pin_confirm = self.line_edit("pin_confirm")
        for edit in (self.pin, self.pin_confirm):
            edit.setMaxLength(PIN_MAX_DIGITS)
        self.cleaned: str | None = None
        self.retranslateUi()

    def validate_fields(self) -> bool:
        self.cleaned = self.check(
            lambda: _pin_and_confirmation(self.pin.text(), self.pin_confirm.text())
        )
        return self.cleaned is not None

    def values(self) -> dict[str, Any]:
        return {} if self.cleaned is None else {"pin": self.cleaned}

    def reset(self) -> None:
        self.cleaned = None
        super().reset()

    def retranslate_form(self) -> None:
        self.title.setText(self.tr("Choose a PIN"))
        self.subtitle.setText(
            self.tr("You will use it with your phone number to sign in. Keep it secret.")
        )
