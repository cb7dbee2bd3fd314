"""Sign in: mobile number and PIN on the keypad; a wrong PIN says how many tries are left,
a lockout says until when, and "Forgot your PIN?" says what staff can do."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from kiosk.validation import normalize_phone
from ui import formats
from ui.screens.id_pin import IdPinScreen
from ui.widgets.common import touch_button


class SignInScreen(IdPinScreen):
    """Signals: completed() with phone and PIN checked; jump_requested("forgot_pin")."""

    name = "sign_in"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(("phone", "current_pin"), ("phone", "pin"), parent=parent)
        self.phone = self.identifier
        self.phone.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
        self.phone.setMaxLength(20)
        self.forgot_button = touch_button("secondaryButton", self)
        self.forgot_button.clicked.connect(lambda: self.jump_requested.emit("forgot_pin"))
        self.add_way_on(self.forgot_button, after_next=True)
        self.retranslateUi()

    def show_data(self, data: Mapping[str, Any]) -> None:
        # Coming from "sign in instead" at sign-up: the number is already known.
        phone = data.get("phone")
        if isinstance(phone, str) and not self.phone.text() and phone.startswith("+1"):
            self.phone.setText(formats.phone(phone))

    def clean_id(self, text: str) -> str:
        return normalize_phone(text)

    def locked_text(self, time: str) -> str:
        return self.tr(
            "For your safety, signing in is locked until {time}. Please try again then,"
            " or ask staff for help."
        ).format(time=time)

    def one_more_text(self) -> str:
        return self.tr("One more wrong try and signing in locks for 15 minutes.")

    def more_text(self, count: int) -> str:
        return self.tr("{count} more wrong tries and signing in locks for 15 minutes.").format(
            count=count
        )

    def retranslate_form(self) -> None:
        self.title.setText(self.tr("Sign in"))
        self.subtitle.setText(self.tr("Enter your mobile phone number and your PIN."))
        self.forgot_button.setText(self.tr("Forgot your PIN?"))
        self.forgot_button.setAccessibleName(self.tr("Forgot your PIN?"))
        self._show_detail()
