"""Registration step: mobile phone number (keypad) and email address (keyboard)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from kiosk.validation import normalize_email, normalize_phone
from ui.screens.form import KEYBOARD, KEYPAD, FormScreen
from ui.widgets.common import touch_button


class RegisterContactScreen(FormScreen):
    """Phone with the numeric keypad, email with the keyboard; both validated here."""

    name = "register_contact"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [["phone"], ["email"]], {"phone": KEYPAD, "email": KEYBOARD}, parent=parent
        )
        self.phone = self.line_edit("phone")
        self.phone.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
        self.phone.setMaxLength(20)
        self.email = self.line_edit("email")
        self.email.setInputMethodHints(Qt.InputMethodHint.ImhEmailCharactersOnly)
        self.email.setMaxLength(254)
        self.cleaned: tuple[str, str] | None = None
        # Shown when the server says this phone already has an account.
        self.sign_in_button = touch_button("secondaryButton", self)
        self.sign_in_button.clicked.connect(lambda: self.jump_requested.emit("sign_in:"))
        self.sign_in_button.hide()
        self.add_way_on(self.sign_in_button)
        self.retranslateUi()

    def show_problem(self, code: str, field: str = "") -> None:
        super().show_problem(code, field)
        if code == "phone_registered":
            self.sign_in_button.show()

    def clear_problems(self) -> None:
        super().clear_problems()
        self.sign_in_button.hide()

    def validate_fields(self) -> bool:
        phone = self.check(lambda: normalize_phone(self.phone.text()))
        email = self.check(lambda: normalize_email(self.email.text()))
        self.cleaned = (phone, email) if phone is not None and email is not None else None
        return self.cleaned is not None

    def values(self) -> dict[str, Any]:
        if self.cleaned is None:
            return {}
        return {"phone": self.cleaned[0], "email": self.cleaned[1]}

    def reset(self) -> None:
        self.cleaned = None
        super().reset()

    def retranslate_form(self) -> None:
        self.title.setText(self.tr("How can we reach you?"))
        self.subtitle.setText(self.tr("Your loved one's calls will come to this phone."))
        self.sign_in_button.setText(self.tr("Sign in instead"))
        self.sign_in_button.setAccessibleName(self.tr("Sign in instead with this phone number"))
