"""Staff: the notes in doubt (docs/cash.md, "Notes in doubt, for staff"): notes the kiosk
recorded in escrow whose stacking it could not confirm, each with when, its value, and the
family's account and visit. Choosing one opens ``staff_cash_doubt_settle``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from kiosk.domain import NoteInDoubt
from kiosk.flows import keys as k
from kiosk.requests import LoadNotesInDoubt, SettleNoteInDoubt
from ui.formats import day, money, time_of_day
from ui.screens.staff_list import StaffListScreen


def note_text(note: NoteInDoubt) -> str:
    at = note.at.isoformat()
    return QCoreApplication.translate(
        "StaffCashDoubt", "{amount} note, {day} {time}, cash box {cassette}\n"
        "Account {account}, visit {visit}").format(
            amount=money(note.cents), day=day(at), time=time_of_day(at),
            cassette=note.cassette, account=note.account_id or "-", visit=note.visit)


class StaffCashDoubtScreen(StaffListScreen):
    """Signals: completed() with ``values()["note_in_doubt"]``;
    request_made(LoadNotesInDoubt)."""

    name = "staff_cash_doubt"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.notes: list[NoteInDoubt] | None = None
        self.chosen: NoteInDoubt | None = None
        self.retranslateUi()

    def show_data(self, data: Mapping[str, Any]) -> None:
        notes = k.NOTES_IN_DOUBT.of(data)
        self.set_notes(notes if isinstance(notes, list) else None)

    def take_answer(self, request: object, answer: object) -> None:
        if isinstance(request, LoadNotesInDoubt | SettleNoteInDoubt) and isinstance(
                answer, list):
            self.set_notes(answer)

    def set_notes(self, notes: list[NoteInDoubt] | None) -> None:
        self.notes = notes
        self.rows.set_choices([(note_text(n), note_text(n)) for n in notes or []])
        self._summarize()

    def _summarize(self) -> None:
        notes = self.notes
        if notes is None:
            text = self.tr("Loading the notes in doubt…")
        elif not notes:
            text = self.tr("No notes are in doubt.")
        else:
            text = self.tr(
                "{count} notes the kiosk could not confirm were stacked. Count the cash box,"
                " then choose a note to credit it or mark it not found.").format(
                    count=len(notes))
        self.summary.setText(text)
        self.summary.setAccessibleName(text)

    def _chosen(self, index: int) -> None:
        if self.notes is not None and 0 <= index < len(self.notes):
            self.chosen = self.notes[index]
            self.completed.emit()

    def values(self) -> dict[str, Any]:
        return {} if self.chosen is None else {k.NOTE_IN_DOUBT: self.chosen}

    def reload(self) -> None:
        self.request_made.emit(LoadNotesInDoubt())

    def reset(self) -> None:
        self.chosen = None
        self.set_notes(None)
        super().reset()

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        self.reload_button.setEnabled(not busy)

    def retranslateUi(self) -> None:
        self.title.setText(self.tr("Notes in doubt"))
        if hasattr(self, "notes"):
            self.set_notes(self.notes)  # the rows' words are translated too
        super().retranslateUi()
