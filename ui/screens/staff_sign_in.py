"""Staff sign-in: badge number and PIN on the keypad, checked by the server with its
lockout (tries left, locked until), or offline by the short-lived cached check."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kiosk.validation import InvalidInput, Problem
from ui.screens.id_pin import IdPinScreen

BADGE_MAX = 32


def _badge(text: str) -> str:
    badge = text.strip()
    if not badge:
        raise InvalidInput("badge", Problem.REQUIRED)
    return badge


class StaffSignInScreen(IdPinScreen):
    """Signals: completed() with badge and PIN checked for shape."""

    name = "staff_sign_in"
    announce_pin_refusal = True

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(("badge", "staff_pin"), ("badge", "staff_pin"), parent=parent)
        self.badge = self.identifier
        self.badge.setMaxLength(BADGE_MAX)
        self.retranslateUi()

    def clean_id(self, text: str) -> str:
        return _badge(text)

    def locked_text(self, time: str) -> str:
        return self.tr("Staff sign-in for this badge is locked until {time}.").format(time=time)

    def one_more_text(self) -> str:
        return self.tr("One more wrong try and this badge locks for 15 minutes.")

    def more_text(self, count: int) -> str:
        return self.tr("{count} more wrong tries and this badge locks for 15 minutes."
                       ).format(count=count)

    def retranslate_form(self) -> None:
        self.title.setText(self.tr("Staff sign-in"))
        self.subtitle.setText(self.tr("Enter your badge number and your staff PIN."))
        self._show_detail()

    def retranslateUi(self) -> None:
        super().retranslateUi()
        self.next_button.setText(self.tr("Sign in"))
        self.next_button.setAccessibleName(self.tr("Sign in to staff mode"))
