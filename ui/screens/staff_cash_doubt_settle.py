"""Staff settle one note in doubt after counting the cash box (docs/cash.md): credit it to
the family (once: its deposit goes to the server under the note's own key) or mark it not
found; either with a reason, typed on the keyboard, for the audit trail."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.domain import NoteInDoubt
from kiosk.flows import keys as k
from ui.screens.staff_cash_doubt import note_text
from ui.screens.staff_reason import StaffReasonScreen
from ui.widgets.common import touch_button


class StaffCashDoubtSettleScreen(StaffReasonScreen):
    """Signals: completed() with the reason and ``values()["note_credit"]``: True from
    *Credit this note*, False from *Not found*."""

    name = "staff_cash_doubt_settle"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.note: NoteInDoubt | None = None
        self.credit: bool | None = None
        self.next_button.clicked.disconnect(self.submit)
        self.next_button.clicked.connect(lambda: self.settle(credit=True))
        self.not_found_button = touch_button("secondaryButton", self)
        self.not_found_button.clicked.connect(lambda: self.settle(credit=False))
        # In the credit's row: a line of its own took the room the reason needs at
        # 1024x768 in large text (issue 19).
        self.add_way_on(self.not_found_button, beside_next=True)
        self.retranslateUi()

    def show_data(self, data: Mapping[str, Any]) -> None:
        self.note = k.NOTE_IN_DOUBT.of(data)
        # Left disabled by the last settlement's request when this screen was left.
        self.not_found_button.setEnabled(self.next_button.isEnabled())
        self._describe()

    def _describe(self) -> None:
        self.about.setText("" if self.note is None else note_text(self.note))
        self.about.setVisible(self.note is not None)

    def settle(self, *, credit: bool) -> None:
        if not self.next_button.isEnabled():
            return
        self.credit = credit
        super().submit()

    def submit(self) -> None:
        """Enter in the reason settles nothing: money is credited only by its button."""

    def values(self) -> dict[str, Any]:
        values = super().values()
        if not values or self.credit is None:
            return {}
        return {**values, k.NOTE_CREDIT: self.credit}

    def reset(self) -> None:
        self.credit = None
        super().reset()

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        self.not_found_button.setEnabled(not busy)

    def action_text(self) -> str:
        return self.tr("Credit this note")

    def retranslate_form(self) -> None:
        self.title.setText(self.tr("Settle a note in doubt"))
        self.subtitle.setText(self.tr("Count the cash box first, then say what you found."))
        if hasattr(self, "not_found_button"):
            self.not_found_button.setText(self.tr("Not found"))
            self.not_found_button.setAccessibleName(self.tr("The note was not found"))
        self._describe()
