"""Add a loved one while the kiosk is offline: the family confirms with their PIN, and the
loved one is added when the kiosk reconnects (docs/offline.md, "A loved one added
offline"). The session is gone by then; the PIN is what signs them in again."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.domain import ResidentMatch
from kiosk.validation import PIN_MAX_DIGITS
from ui.screens.form import KEYPAD, FormScreen
from ui.screens.id_pin import entered_pin


class LovedOnePinScreen(FormScreen):
    """Signals: completed() with the PIN checked for shape (the server checks it later)."""

    name = "loved_one_pin"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__([["current_pin"]], {"current_pin": KEYPAD},
                         secret=frozenset({"current_pin"}), parent=parent)
        self.pin = self.line_edit("current_pin")
        self.pin.setMaxLength(PIN_MAX_DIGITS)
        self.resident: ResidentMatch | None = None
        self.cleaned: str | None = None
        self.retranslateUi()

    def show_data(self, data: Mapping[str, Any]) -> None:
        resident = data.get("resident")
        self.resident = resident if isinstance(resident, ResidentMatch) else None
        self.retranslateUi()

    def validate_fields(self) -> bool:
        self.cleaned = self.check(lambda: entered_pin(self.pin.text(), "current_pin"))
        return self.cleaned is not None

    def values(self) -> dict[str, Any]:
        if self.cleaned is None:
            return {}
        values = {"link_pin": self.cleaned}
        self.cleaned = None  # the PIN is not kept on the screen once handed over
        return values

    def reset(self) -> None:
        self.cleaned = None
        self.resident = None
        super().reset()
        self.retranslateUi()

    def retranslate_form(self) -> None:
        self.title.setText(self.tr("Confirm with your PIN"))
        name = self.resident.display_name if self.resident else ""
        self.subtitle.setText(self.tr(
            "Enter your PIN. We'll add {name} when the kiosk is back online,"
            " or e-mail you if we can't."
        ).format(name=name))

    def retranslateUi(self) -> None:
        super().retranslateUi()
        text = self.tr("Add when the kiosk reconnects")
        self.next_button.setText(text)
        self.next_button.setAccessibleName(text)
