"""Add a loved one, last step: who will be added, at which facility, before it is done."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.domain import FacilitySummary, ResidentMatch
from ui.screens.confirm import ConfirmScreen

ROWS = ("name", "number", "facility")


class LovedOneConfirmScreen(ConfirmScreen):
    """Signals: completed() = add them; jump_requested("resident") = search again."""

    name = "loved_one_confirm"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("resident", ROWS, parent)
        self.add_button, self.search_button = self.yes_button, self.no_button
        self.facility: FacilitySummary | None = None
        self.resident: ResidentMatch | None = None
        self.retranslateUi()

    def show_data(self, data: Mapping[str, Any]) -> None:
        facility, resident = data.get("facility"), data.get("resident")
        self.facility = facility if isinstance(facility, FacilitySummary) else None
        self.resident = resident if isinstance(resident, ResidentMatch) else None
        self.retranslateUi()

    def reset(self) -> None:
        self.facility = None
        self.resident = None
        super().reset()
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self.title.setText(self.tr("Add this loved one?"))
        titles = {
            "name": self.tr("Name"),
            "number": self.tr("ID number"),
            "facility": self.tr("Facility"),
        }
        resident, facility = self.resident, self.facility
        values = {
            "name": resident.display_name if resident else "",
            "number": resident.resident_number if resident else "",
            "facility": facility.name if facility else "",
        }
        self.rows.show_rows(titles, values)
        self.show_texts(
            self.tr("They will be on your account next to your other loved ones. Your money"
                    " and subscriptions stay as they are."),
            self.tr("Yes, add them"), self.tr("No, search again"))
        super().retranslateUi()
