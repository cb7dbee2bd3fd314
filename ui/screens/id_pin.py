"""What the family sign-in and the staff sign-in share: an identifier (a phone number, a
badge number) and a PIN on the keypad, checked for shape only, then the server's answer:
a wrong PIN says how many tries are left, a lockout says until when. The subclass names
the fields and says the words."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from kiosk.domain import Refusal
from kiosk.validation import PIN_MAX_DIGITS, PIN_MIN_DIGITS, InvalidInput, Problem
from ui.formats import time_of_day
from ui.screens.form import KEYPAD, FormScreen

# The refusals that are about the PIN: shown at the PIN's field, with the detail line.
PIN_REFUSALS = ("pin_incorrect", "account_locked")


def entered_pin(pin: str, field: str) -> str:
    """``pin`` if it has a PIN's shape; whether it is the right PIN is the server's answer."""
    if not pin:
        raise InvalidInput(field, Problem.REQUIRED)
    if not pin.isdigit():
        raise InvalidInput(field, Problem.PIN_NOT_DIGITS)
    if not PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS:
        raise InvalidInput(field, Problem.PIN_LENGTH)
    return pin


class IdPinScreen(FormScreen):
    """Signals: completed() with the identifier and the PIN checked for shape.

    ``fields``: the form's field names (identifier, PIN); ``keys``: the data keys they are
    handed over as. The subclass cleans the identifier (``clean_id``) and words the detail
    line (``locked_text``, ``one_more_text``, ``more_text``)."""

    # Whether a refused PIN is also announced (read aloud) as the screen's problem.
    announce_pin_refusal = False

    def __init__(self, fields: tuple[str, str], keys: tuple[str, str],
                 parent: QWidget | None = None) -> None:
        id_field, pin_field = fields
        super().__init__(
            [[id_field], [pin_field]],
            {id_field: KEYPAD, pin_field: KEYPAD},
            secret=frozenset({pin_field}),
            parent=parent,
        )
        self._pin_field = pin_field
        self._keys = keys
        self.identifier: QLineEdit = self.line_edit(id_field)
        self.pin = self.line_edit(pin_field)
        self.pin.setMaxLength(PIN_MAX_DIGITS)
        self.cleaned: tuple[str, str] | None = None
        self.refusal: Refusal | None = None
        self.detail = QLabel(self)
        self.detail.setObjectName("status")
        self.detail.setWordWrap(True)
        self.detail.hide()
        # Beside the keypad under the heading when there is room, so the fields keep the
        # column's height when a wrong PIN says how many tries are left.
        aside = self.aside.layout()
        assert aside is not None
        aside.addWidget(self.detail)

    def clean_id(self, text: str) -> str:
        raise NotImplementedError

    def locked_text(self, time: str) -> str:
        raise NotImplementedError

    def one_more_text(self) -> str:
        raise NotImplementedError

    def more_text(self, count: int) -> str:
        raise NotImplementedError

    def validate_fields(self) -> bool:
        ident = self.check(lambda: self.clean_id(self.identifier.text()))
        pin = self.check(lambda: entered_pin(self.pin.text(), self._pin_field))
        self.cleaned = (ident, pin) if ident is not None and pin is not None else None
        return self.cleaned is not None

    def values(self) -> dict[str, Any]:
        if self.cleaned is None:
            return {}
        values = dict(zip(self._keys, self.cleaned, strict=True))
        self.cleaned = None  # the PIN is not kept on the screen once handed over
        return values

    def show_refusal(self, refusal: Refusal) -> None:
        self.pin.clear()
        self.refusal = refusal
        if refusal.code in PIN_REFUSALS:
            self.fields[self._pin_field].set_problem(refusal.code)
            if self.announce_pin_refusal:
                self.problem_shown.emit(self.fields[self._pin_field].error_text())
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
            text = self.locked_text(time_of_day(refusal.locked_until))
        elif refusal is not None and refusal.attempts_remaining == 1:
            text = self.one_more_text()
        elif refusal is not None and refusal.attempts_remaining is not None:
            text = self.more_text(refusal.attempts_remaining)
        self.detail.setText(text)
        self.detail.setAccessibleName(text)
        self.detail.setVisible(bool(text))
