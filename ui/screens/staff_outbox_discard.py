"""Discard one failed or conflicting outbox entry, with the reason staff type."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.staff import OutboxRow
from ui.screens.staff_outbox import row_text
from ui.screens.staff_reason import StaffReasonScreen


class StaffOutboxDiscardScreen(StaffReasonScreen):
    name = "staff_outbox_discard"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row: OutboxRow | None = None
        self.retranslateUi()

    def show_data(self, data: Mapping[str, Any]) -> None:
        row = data.get("outbox_row")
        self.row = row if isinstance(row, OutboxRow) else None
        self._describe()

    def _describe(self) -> None:
        self.about.setText("" if self.row is None else row_text(self.row))
        self.about.setVisible(self.row is not None)

    def action_text(self) -> str:
        return self.tr("Discard")

    def retranslate_form(self) -> None:
        self.title.setText(self.tr("Discard an outbox entry"))
        self.subtitle.setText(self.tr(
            "It will not be sent again. Say why, for example: the family signed up again."))
        self._describe()
