"""Add money with cash, before the first note (docs/cash.md): which notes this kiosk takes
(read from the acceptor itself), the most one visit may add, no fee, and that cash cannot
be refunded at a kiosk."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.domain import CashTerms
from kiosk.flows import keys as k
from ui.formats import money
from ui.screens.base import Screen
from ui.widgets.common import touch_button


def notes_text(notes: tuple[int, ...]) -> str:
    return ", ".join(money(cents) for cents in notes)


class CashIntroScreen(Screen):
    """Signals: completed() = start taking notes."""

    name = "cash_intro"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.terms: CashTerms | None = None
        self.notes_label = QLabel(self)
        self.notes_label.setObjectName("subtitle")
        self.notes_label.setWordWrap(True)
        self.limits_label = QLabel(self)
        self.limits_label.setObjectName("status")
        self.limits_label.setWordWrap(True)
        self.no_refund_label = QLabel(self)
        self.no_refund_label.setObjectName("sectionValue")
        self.no_refund_label.setWordWrap(True)
        self.start_button = touch_button("primaryButton", self)
        self.start_button.clicked.connect(self.completed)
        self.action_button = self.start_button
        layout = QVBoxLayout(self)
        layout.setContentsMargins(120, 24, 120, 32)
        layout.setSpacing(18)
        layout.addWidget(self.title)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.limits_label)
        layout.addWidget(self.no_refund_label)
        layout.addStretch(1)
        layout.addWidget(self.notice)
        layout.addWidget(self.busy_indicator)
        layout.addWidget(self.start_button)
        self.retranslateUi()

    def show_data(self, data: Mapping[str, Any]) -> None:
        self.terms = k.CASH_TERMS.of(data)
        self.retranslateUi()

    def reset(self) -> None:
        self.terms = None
        super().reset()
        self.retranslateUi()

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        self.start_button.setEnabled(not busy and self.terms is not None)

    def retranslateUi(self) -> None:
        self.title.setText(self.tr("Add money with cash"))
        terms = self.terms
        if terms is None:
            self.notes_label.setText(self.tr("Checking the note acceptor..."))
            self.limits_label.clear()
        else:
            self.notes_label.setText(self.tr("This kiosk takes these notes: {notes}.").format(
                notes=notes_text(terms.notes)))
            self.limits_label.setText(self.tr(
                "You can add up to {maximum} in one visit. There is no fee for cash. "
                "Coins are not taken.").format(maximum=money(terms.maximum_cents)))
        self.no_refund_label.setText(self.tr(
            "Cash cannot be refunded at a kiosk. Your balance can be refunded on request."))
        self.start_button.setText(self.tr("Start: I will insert my notes"))
        self.start_button.setEnabled(terms is not None)
        for label in (self.notes_label, self.limits_label, self.no_refund_label,
                      self.start_button):
            label.setAccessibleName(label.text())
        super().retranslateUi()
