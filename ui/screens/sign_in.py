"""Sign in: mobile number and PIN on the keypad; a wrong PIN says how many tries are left,
a lockout says until when, and "Forgot your PIN?" says what staff can do."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.domain import Refusal
from kiosk.validation import (
    PIN_MAX_DIGITS,
    PIN_MIN_DIGITS,
    InvalidInput,
    Problem,
    normalize_phone,
)
from ui.formats import time_of_day
from ui.screens.form import KEYPAD, FormScreen
from ui.widgets.common import touch_button


def entered_pin(pin: str) -> str:
    # Only the shape is checked here: whether it is the right PIN is the server's answer.
    if not pin:
        raise InvalidInput("current_pin", Problem.REQUIRED)
    if not pin.isdigit():
        raise InvalidInput("current_pin", Problem.PIN_NOT_DIGITS)
    if not PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS:
        raise InvalidInput("current_pin", Problem.PIN_LENGTH)
    return pin


class SignInScreen(FormScreen):
    """Signals: completed() with phone and PIN checked; jump_requested("forgot_pin")."""

    name = "sign_in"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [["phone"], ["current_pin"]],
            {"phone": KEYPAD, "current_pin": KEYPAD},
            secret=frozenset({"current_pin"}),
            parent=parent,
        )
        self.phone = self.line_edit("phone")
        self.phone.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
        self.phone.setMaxLength(20)
        self.pin = self.line_edit("current_pin")
        self.pin.setMaxLength(PIN_MAX_DIGITS)
        self.cleaned: tuple[str, str] | None = None
        self.refusal: Refusal | None = None
        self.detail = QLabel(self)
        self.detail.setObjectName("status")
        self.detail.setWordWrap(True)
        self.detail.hide()
        self.forgot_button = touch_button("secondaryButton", self)
        self.forgot_button.clicked.connect(lambda: self.jump_requested.emit("forgot_pin"))
        self.column.insertWidget(self.column.indexOf(self.notice), self.detail)
        self.column.insertWidget(self.column.indexOf(self.next_button) + 1, self.forgot_button)
        self.retranslateUi()

    def show_data(self, data: Mapping[str, Any]) -> None:
        # Coming from "sign in instead" at sign-up: the number is already known.
        phone = data.get("phone")
        if isinstance(phone, str) and not self.phone.text() and phone.startswith("+1"):
            self.phone.setText(phone[2:])

    def validate_fields(self) -> bool:
        phone = self.check(lambda: normalize_phone(self.phone.text()))
        pin = self.check(lambda: entered_pin(self.pin.text()))
        self.cleaned = (phone, pin) if phone is not None and pin is not None else None
        return self.cleaned is not None

    def values(self) -> dict[str, Any]:
        if self.cleaned is None:
            return {}
        values = {"phone": self.cleaned[0], "pin": self.cleaned[1]}
        self.cleaned = None  # the PIN is not kept on the screen once handed over
        return values

    def show_refusal(self, refusal: Refusal) -> None:
        self.pin.clear()
        self.refusal = refusal
        if refusal.code in ("pin_incorrect", "account_locked"):
            self.fields["current_pin"].set_problem(refusal.code)
        else:
            super().show_refusal(refusal)
        self._show_detail()

    def clear_problems(self) -> None:
        self.refusal = None
        super().clear_problems()
        self._show_detail()

    def reset(self) -> None:
        self.cleaned = None
        self.refusal = None
        super().reset()
        self._show_detail()

    def _show_detail(self) -> None:
        refusal = self.refusal
        text = ""
        if refusal is not None and refusal.code == "account_locked":
            text = self.tr(
                "For your safety, signing in is locked until {time}. Please try again then,"
                " or ask staff for help."
            ).format(time=time_of_day(refusal.locked_until))
        elif refusal is not None and refusal.attempts_remaining == 1:
            text = self.tr("One more wrong try and signing in locks for 15 minutes.")
        elif refusal is not None and refusal.attempts_remaining is not None:
            text = self.tr("{count} more wrong tries and signing in locks for 15 minutes.").format(
                count=refusal.attempts_remaining
            )
        self.detail.setText(text)
        self.detail.setAccessibleName(text)
        self.detail.setVisible(bool(text))

    def retranslate_form(self) -> None:
        self.title.setText(self.tr("Sign in"))
        self.subtitle.setText(self.tr("Enter your mobile phone number and your PIN."))
        self.forgot_button.setText(self.tr("Forgot your PIN?"))
        self.forgot_button.setAccessibleName(self.tr("Forgot your PIN?"))
        self._show_detail()
