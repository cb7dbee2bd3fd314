"""Staff sign-in: badge number and PIN on the keypad, checked by the server with its
lockout (tries left, locked until), or offline by the short-lived cached check."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from kiosk.domain import Refusal
from kiosk.validation import PIN_MAX_DIGITS, PIN_MIN_DIGITS, InvalidInput, Problem
from ui.formats import time_of_day
from ui.screens.form import KEYPAD, FormScreen

BADGE_MAX = 32


def _badge(text: str) -> str:
    badge = text.strip()
    if not badge:
        raise InvalidInput("badge", Problem.REQUIRED)
    return badge


def _pin(pin: str) -> str:
    if not pin:
        raise InvalidInput("staff_pin", Problem.REQUIRED)
    if not pin.isdigit():
        raise InvalidInput("staff_pin", Problem.PIN_NOT_DIGITS)
    if not PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS:
        raise InvalidInput("staff_pin", Problem.PIN_LENGTH)
    return pin


class StaffSignInScreen(FormScreen):
    """Signals: completed() with badge and PIN checked for shape."""

    name = "staff_sign_in"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [["badge"], ["staff_pin"]],
            {"badge": KEYPAD, "staff_pin": KEYPAD},
            secret=frozenset({"staff_pin"}),
            parent=parent,
        )
        self.badge = self.line_edit("badge")
        self.badge.setMaxLength(BADGE_MAX)
        self.pin = self.line_edit("staff_pin")
        self.pin.setMaxLength(PIN_MAX_DIGITS)
        self.cleaned: tuple[str, str] | None = None
        self.refusal: Refusal | None = None
        self.detail = QLabel(self)
        self.detail.setObjectName("status")
        self.detail.setWordWrap(True)
        self.detail.hide()
        self.column.insertWidget(self.column.indexOf(self.notice), self.detail)
        self.retranslateUi()

    def validate_fields(self) -> bool:
        badge = self.check(lambda: _badge(self.badge.text()))
        pin = self.check(lambda: _pin(self.pin.text()))
        self.cleaned = (badge, pin) if badge is not None and pin is not None else None
        return self.cleaned is not None

    def values(self) -> dict[str, Any]:
        if self.cleaned is None:
            return {}
        values = {"badge": self.cleaned[0], "staff_pin": self.cleaned[1]}
        self.cleaned = None  # the PIN is not kept on the screen once handed over
        return values

    def show_refusal(self, refusal: Refusal) -> None:
        self.pin.clear()
        self.refusal = refusal
        if refusal.code in ("pin_incorrect", "account_locked"):
            self.fields["staff_pin"].set_problem(refusal.code)
            self.problem_shown.emit(self.fields["staff_pin"].error_text())
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
            text = self.tr("Staff sign-in for this badge is locked until {time}.").format(
                time=time_of_day(refusal.locked_until))
        elif refusal is not None and refusal.attempts_remaining == 1:
            text = self.tr("One more wrong try and this badge locks for 15 minutes.")
        elif refusal is not None and refusal.attempts_remaining is not None:
            text = self.tr("{count} more wrong tries and this badge locks for 15 minutes."
                           ).format(count=refusal.attempts_remaining)
        self.detail.setText(text)
        self.detail.setAccessibleName(text)
        self.detail.setVisible(bool(text))

    def retranslate_form(self) -> None:
        self.title.setText(self.tr("Staff sign-in"))
        self.subtitle.setText(self.tr("Enter your badge number and your staff PIN."))
        self._show_detail()

    def retranslateUi(self) -> None:
        super().retranslateUi()
        self.next_button.setText(self.tr("Sign in"))
        self.next_button.setAccessibleName(self.tr("Sign in to staff mode"))
