"""Insert notes one at a time (docs/cash.md): the note being checked or held in escrow,
the notes stacked with their running total, why a note came back, and "Done". In the
demo (a simulated acceptor) a row of buttons stands in for a visitor's notes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.domain import CashProgress, CashTerms
from kiosk.flows import keys as k
from kiosk.requests import InsertDemoNote
from ui.formats import money
from ui.messages import QT_TRANSLATE_NOOP
from ui.screens.base import Screen
from ui.widgets.common import touch_button

# Why a note came back (a ReturnReason value), in words for the family.
_C = "CashInsertScreen"
_RETURNED = {
    "not_recognised": QT_TRANSLATE_NOOP(
        _C, "This note could not be read. Please take it back, flatten it and try again, "
        "or try another note."),
    "suspect": QT_TRANSLATE_NOOP(_C, "This note was not accepted. Please take it back."),
    "not_accepted": QT_TRANSLATE_NOOP(
        _C, "This kiosk does not take that note. Please take it back."),
    "over_limit": QT_TRANSLATE_NOOP(
        _C, "That note would go over the most you can add in one visit. Please take it back."),
    "returned": QT_TRANSLATE_NOOP(_C, "Your note was given back. Please take it."),
    "not_confirmed": QT_TRANSLATE_NOOP(
        _C, "Your note was given back. Please take it and insert it again."),
    "taken_back": QT_TRANSLATE_NOOP(
        _C, "Your note was taken back before it was added. It was not added."),
}


def returned_text(reason: str) -> str:
    text = _RETURNED.get(reason, _RETURNED["returned"])
    return QCoreApplication.translate(_C, text)


DEMO_NOTES = ((100, "genuine"), (500, "genuine"), (1000, "genuine"), (2000, "genuine"),
              (2000, "unrecognised"), (2000, "safe_jam"))


class CashInsertScreen(Screen):
    """Signals: completed() = "Done"; request_made(InsertDemoNote) in the demo."""

    name = "cash_insert"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.progress = CashProgress()
        self.terms: CashTerms | None = None
        self.status_label = QLabel(self)
        self.status_label.setObjectName("sectionValue")
        self.status_label.setWordWrap(True)
        self.returned_label = QLabel(self)
        self.returned_label.setObjectName("notice")
        self.returned_label.setWordWrap(True)
        self.stacked_label = QLabel(self)
        self.stacked_label.setObjectName("subtitle")
        self.stacked_label.setWordWrap(True)
        self.total_label = QLabel(self)
        self.total_label.setObjectName("sectionTitle")
        self.total_label.setWordWrap(True)
        self.done_button = touch_button("primaryButton", self)
        self.done_button.clicked.connect(self.completed)
        self.action_button = self.done_button
        self.demo_buttons: list[QPushButton] = []
        demo = QHBoxLayout()
        demo.setSpacing(8)
        self.demo_label = QLabel(self)
        self.demo_label.setObjectName("status")
        demo.addWidget(self.demo_label)
        for cents, kind in DEMO_NOTES:
            button = touch_button("secondaryButton", self, focusable=False)
            button.clicked.connect(
                lambda _=False, c=cents, w=kind: self.request_made.emit(InsertDemoNote(c, w)))
            demo.addWidget(button)
            self.demo_buttons.append(button)
        demo.addStretch(1)
        # The running total and "Done" side by side, high on the screen: in large text on a
        # small screen the list of notes may scroll, never the way out.
        total = QHBoxLayout()
        total.setSpacing(24)
        total.addWidget(self.total_label, 1)
        total.addWidget(self.done_button, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(80, 16, 80, 24)
        layout.setSpacing(12)
        layout.addWidget(self.title)
        layout.addWidget(self.status_label)
        layout.addWidget(self.returned_label)
        layout.addLayout(total)
        layout.addWidget(self.busy_indicator)
        layout.addWidget(self.notice)
        layout.addWidget(self.stacked_label)
        layout.addStretch(1)
        layout.addLayout(demo)
        self.retranslateUi()

    def show_data(self, data: Mapping[str, Any]) -> None:
        self.progress = k.CASH_PROGRESS.of(data) or CashProgress()
        self.terms = k.CASH_TERMS.of(data)
        self.retranslateUi()

    def reset(self) -> None:
        self.progress = CashProgress()
        self.terms = None
        super().reset()
        self.retranslateUi()

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        self._enable_done(busy)

    def _enable_done(self, busy: bool = False) -> None:
        # Not while a note is being read or held: it would be given back half-way.
        p = self.progress
        self.done_button.setEnabled(not busy and p.held is None and not p.reading)

    def retranslateUi(self) -> None:
        p = self.progress
        self.title.setText(self.tr("Insert your notes one at a time"))
        if p.reading:
            status = self.tr("Checking your note...")
        elif p.held is not None:
            status = self.tr("{note} note accepted. Adding it...").format(note=money(p.held))
        elif p.stacked:
            status = self.tr("Insert another note, or touch Done.")
        else:
            status = self.tr("Insert a note, face up, into the slot below the screen.")
        self.status_label.setText(status)
        returned = returned_text(p.returned) if p.returned else ""
        self.returned_label.setText(returned)
        self.returned_label.setVisible(bool(returned))
        if p.stacked:
            self.stacked_label.setText(self.tr("Notes added: {notes}").format(
                notes=", ".join(money(cents) for cents in p.stacked)))
        else:
            self.stacked_label.setText(self.tr("No notes added yet."))
        self.total_label.setText(self.tr("Total added: {total}").format(
            total=money(p.total_cents)))
        self.done_button.setText(self.tr("Done"))
        self._enable_done()
        simulated = self.terms is not None and self.terms.simulated
        self.demo_label.setText(self.tr("Demo notes:"))
        self.demo_label.setVisible(simulated)
        for button, (cents, kind) in zip(self.demo_buttons, DEMO_NOTES, strict=True):
            if kind == "genuine":
                button.setText(money(cents))
            elif kind == "unrecognised":
                button.setText(self.tr("Bad note"))
            else:
                button.setText(self.tr("Jam"))
            button.setAccessibleName(button.text())
            button.setVisible(simulated)
        for label in (self.status_label, self.returned_label, self.stacked_label,
                      self.total_label, self.done_button):
            label.setAccessibleName(label.text())
        super().retranslateUi()
