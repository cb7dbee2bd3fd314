"""Registration step: the family member's first and last name."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.validation import clean_name
from ui.screens.form import KEYBOARD, FormScreen


class RegisterNameScreen(FormScreen):
    """First and last name, typed with the on-screen keyboard."""

    name = "register_name"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [["first_name"], ["last_name"]],
            {"first_name": KEYBOARD, "last_name": KEYBOARD},
            parent=parent,
        )
        self.first_name = self.line_edit("first_name")
        self.last_name = self.line_edit("last_name")
        self.cleaned: tuple[str, str] | None = None
        self.retranslateUi()

    def validate_fields(self) -> bool:
        first = self.check(lambda: clean_name(self.first_name.text(), "first_name"))
        last = self.check(lambda: clean_name(self.last_name.text(), "last_name"))
        self.cleaned = (first, last) if first is not None and last is not None else None
        return self.cleaned is not None

    def values(self) -> dict[str, Any]:
        if self.cleaned is None:
            return {}
        return {"first_name": self.cleaned[0], "last_name": self.cleaned[1]}

    def reset(self) -> None:
        self.cleaned = None
        super().reset()

    def retranslate_form(self) -> None:
        self.title.setText(self.tr("What is your name?"))
        self.subtitle.setText(self.tr("Use the name on your photo ID."))
