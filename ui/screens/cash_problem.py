"""A cash visit stopped by the acceptor (docs/cash.md): jammed, cashbox full, a note pulled
back, or the acceptor offline. Each says what happened to the family's money (every note
stacked is added), that staff were told, and offers "Done" with what was added; after a
note pulled back, or once the acceptor works again, the family may go on inserting."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.domain import CashProgress
from kiosk.flows import keys as k
from ui.formats import money
from ui.screens.base import Screen
from ui.widgets.common import touch_button


class CashProblemScreen(Screen):
    """Signals: completed() = finish with what was added; jump_requested("cash_insert")
    = insert more notes."""

    name = "cash_problem"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.progress = CashProgress()
        self.title.setObjectName("heroTitle")
        self.body = QLabel(self)
        self.body.setObjectName("subtitle")
        self.body.setWordWrap(True)
        self.added_label = QLabel(self)
        self.added_label.setObjectName("sectionValue")
        self.added_label.setWordWrap(True)
        self.staff_label = QLabel(self)
        self.staff_label.setObjectName("status")
        self.staff_label.setWordWrap(True)
        self.more_button = touch_button("secondaryButton", self)
        self.more_button.clicked.connect(lambda: self.jump_requested.emit("cash_insert"))
        self.done_button = touch_button("primaryButton", self)
        self.done_button.clicked.connect(self.completed)
        self.action_button = self.done_button
        layout = QVBoxLayout(self)
        layout.setContentsMargins(120, 24, 120, 32)
        layout.setSpacing(16)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addWidget(self.added_label)
        layout.addWidget(self.staff_label)
        layout.addStretch(1)
        layout.addWidget(self.notice)
        layout.addWidget(self.busy_indicator)
        layout.addWidget(self.more_button)
        layout.addWidget(self.done_button)
        self.retranslateUi()

    def show_data(self, data: Mapping[str, Any]) -> None:
        self.progress = k.CASH_PROGRESS.of(data) or CashProgress()
        self.retranslateUi()

    def reset(self) -> None:
        self.progress = CashProgress()
        super().reset()
        self.retranslateUi()

    def _texts(self) -> tuple[str, str]:
        problem = self.progress.problem
        if problem == "jammed":
            return self.tr("A note is stuck"), self.tr(
                "The note acceptor is jammed. Please do not try to pull the note out. "
                "Staff will clear it; a note that was taken is added to your account.")
        if problem == "full":
            return self.tr("The cash box is full"), self.tr(
                "This kiosk cannot take more notes until staff empty it.")
        if problem == "offline":
            return self.tr("The note acceptor stopped working"), self.tr(
                "No more notes can be taken right now. Every note that was taken is added "
                "to your account.")
        if problem == "taken_back":
            return self.tr("Your note was pulled back"), self.tr(
                "The note came back out before it was taken, so it was not added. You can "
                "insert it again.")
        return self.tr("The note acceptor works again"), self.tr(
            "You can insert more notes, or finish now.")

    def retranslateUi(self) -> None:
        title, body = self._texts()
        self.title.setText(title)
        self.body.setText(body)
        self.added_label.setText(self.tr("Added so far: {total}").format(
            total=money(self.progress.total_cents)))
        self.staff_label.setText(self.tr("Staff have been told. Please ask them if you "
                                         "need help."))
        self.staff_label.setVisible(self.progress.problem != "")
        self.more_button.setText(self.tr("Insert more notes"))
        self.more_button.setVisible(self.progress.problem in ("", "taken_back"))
        self.done_button.setText(self.tr("Done: finish with what was added"))
        for label in (self.body, self.added_label, self.staff_label, self.more_button,
                      self.done_button):
            label.setAccessibleName(label.text())
        super().retranslateUi()
