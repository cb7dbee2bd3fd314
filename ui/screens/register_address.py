"""Registration step: the postal address (street, optional unit, city, state, ZIP)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.domain import Address
from kiosk.validation import NAME_MAX, clean_text, normalize_postal_code, normalize_state
from ui.screens.form import KEYBOARD, KEYPAD, FormScreen


class RegisterAddressScreen(FormScreen):
    """Street, unit, city and state with the keyboard; ZIP code with the keypad."""

    name = "register_address"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [["line1"], ["line2"], ["city"], ["state", "postal_code"]],
            {
                "line1": KEYBOARD,
                "line2": KEYBOARD,
                "city": KEYBOARD,
                "state": KEYBOARD,
                "postal_code": KEYPAD,
            },
            parent=parent,
        )
        self.line1 = self.line_edit("line1")
        self.line2 = self.line_edit("line2")
        self.city = self.line_edit("city")
        self.state = self.line_edit("state")
        # Room for a whole state name: a family typing "Texas" sees it and is told to use
        # the 2-letter code, instead of the field silently keeping "Te".
        self.state.setMaxLength(30)
        self.postal_code = self.line_edit("postal_code")
        self.postal_code.setMaxLength(10)
        for edit in (self.line1, self.line2, self.city):
            edit.setMaxLength(NAME_MAX + 20)
        self.cleaned: Address | None = None
        self.retranslateUi()

    def validate_fields(self) -> bool:
        # An address line follows the same rules as a name: required, at most NAME_MAX.
        line1 = self.check(lambda: clean_text(self.line1.text(), "line1"))
        line2 = " ".join(self.line2.text().split())
        city = self.check(lambda: clean_text(self.city.text(), "city"))
        state = self.check(lambda: normalize_state(self.state.text()))
        postal_code = self.check(lambda: normalize_postal_code(self.postal_code.text()))
        if line1 is None or city is None or state is None or postal_code is None:
            self.cleaned = None
            return False
        self.cleaned = Address(
            line1=line1, line2=line2, city=city, state=state, postal_code=postal_code
        )
        return True

    def values(self) -> dict[str, Any]:
        return {} if self.cleaned is None else {"address": self.cleaned}

    def reset(self) -> None:
        self.cleaned = None
        super().reset()

    def retranslate_form(self) -> None:
        self.title.setText(self.tr("What is your address?"))
        # No subtitle: five fields already fill the column on a 800 px tall screen.
        self.subtitle.clear()
