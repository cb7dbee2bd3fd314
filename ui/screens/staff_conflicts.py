"""Sign-up conflicts at this facility (offline sign-ups whose phone already had an
account), from the server; choosing one opens its resolution."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.requests import LoadSignUpConflicts
from kiosk.staff import SignUpConflict
from ui.formats import phone, time_of_day
from ui.screens.staff_list import StaffListScreen


class StaffConflictsScreen(StaffListScreen):
    """Signals: completed() with ``values()["conflict"]``; request_made(LoadSignUpConflicts)."""

    name = "staff_conflicts"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.conflicts: list[SignUpConflict] | None = None
        self.chosen: SignUpConflict | None = None
        self.retranslateUi()

    def show_data(self, data: Mapping[str, Any]) -> None:
        found = data.get("conflicts")
        self.set_conflicts(found if isinstance(found, list) else None)

    def take_answer(self, request: object, answer: object) -> None:
        if isinstance(request, LoadSignUpConflicts) and isinstance(answer, list):
            self.set_conflicts(answer)

    def set_conflicts(self, conflicts: list[SignUpConflict] | None) -> None:
        self.conflicts = conflicts
        self.rows.set_choices([(self._row(c), self._row(c)) for c in conflicts or []])
        self._summarize()

    def _row(self, c: SignUpConflict) -> str:
        return self.tr("{name}  ·  {phone}  ·  {email}  ·  signed up at {time}").format(
            name=c.first_name, phone=phone(c.phone), email=c.email,
            time=time_of_day(c.signed_up_at.isoformat()))

    def _summarize(self) -> None:
        if self.conflicts is None:
            text = self.tr("Loading the conflicts…")
        elif not self.conflicts:
            text = self.tr("No open sign-up conflicts.")
        else:
            text = self.tr("A sign-up made offline found an account with the same phone."
                           " Choose one to resolve it.")
        self.summary.setText(text)
        self.summary.setAccessibleName(text)

    def _chosen(self, index: int) -> None:
        if self.conflicts is not None and 0 <= index < len(self.conflicts):
            self.chosen = self.conflicts[index]
            self.completed.emit()

    def values(self) -> dict[str, Any]:
        return {} if self.chosen is None else {"conflict": self.chosen}

    def reload(self) -> None:
        self.request_made.emit(LoadSignUpConflicts())

    def reset(self) -> None:
        self.chosen = None
        self.set_conflicts(None)
        super().reset()

    def retranslateUi(self) -> None:
        self.title.setText(self.tr("Sign-up conflicts"))
        if hasattr(self, "conflicts"):
            self.set_conflicts(self.conflicts)  # the rows' words are translated too
        super().retranslateUi()
