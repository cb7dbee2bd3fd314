"""Close one sign-up conflict with what staff did about it (the family signed in, or why
it was dropped), typed on the keyboard."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.staff import SignUpConflict
from ui.formats import phone, time_of_day
from ui.screens.staff_reason import StaffReasonScreen


class StaffConflictResolveScreen(StaffReasonScreen):
    name = "staff_conflict_resolve"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.conflict: SignUpConflict | None = None
        self.retranslateUi()

    def show_data(self, data: Mapping[str, Any]) -> None:
        conflict = data.get("conflict")
        self.conflict = conflict if isinstance(conflict, SignUpConflict) else None
        self._describe()

    def _describe(self) -> None:
        c = self.conflict
        # No e-mail address here: one long word would widen the column past the screen.
        self.about.setText("" if c is None else self.tr(
            "{name}, {phone}, signed up at {time}").format(
                name=c.first_name, phone=phone(c.phone),
                time=time_of_day(c.signed_up_at.isoformat())))
        self.about.setVisible(c is not None)

    def action_text(self) -> str:
        return self.tr("Resolve")

    def retranslate_form(self) -> None:
        self.title.setText(self.tr("Resolve a sign-up conflict"))
        self.subtitle.setText(self.tr(
            "Say what was done, for example: the family signed in with their PIN."))
        self._describe()
