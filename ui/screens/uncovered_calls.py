"""Calls a subscription does not cover: interstate and international calls are paid from
AdvanceConnect or as a Single Call, at the facility's rates per minute."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from kiosk.domain import RateView
from kiosk.requests import LoadRates
from ui.formats import money
from ui.screens.base import Screen
from ui.widgets.common import touch_button

DESTINATIONS = ("in_state", "interstate", "international")
KINDS = ("audio", "video")


def _destination(name: str) -> str:
    labels = {
        "in_state": QCoreApplication.translate("UncoveredCallsScreen", "In-state"),
        "interstate": QCoreApplication.translate("UncoveredCallsScreen", "Another state"),
        "international": QCoreApplication.translate("UncoveredCallsScreen", "Another country"),
    }
    return labels.get(name, name)


class UncoveredCallsScreen(Screen):
    """Signals: completed() = back to the account."""

    name = "uncovered_calls"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rates: list[RateView] = []
        self.body = QLabel(self)
        self.body.setObjectName("subtitle")
        self.body.setWordWrap(True)
        sheet = QFrame(self)
        sheet.setObjectName("reviewSheet")
        grid = QGridLayout(sheet)
        grid.setContentsMargins(24, 12, 24, 12)
        grid.setHorizontalSpacing(32)
        grid.setVerticalSpacing(8)
        self.headers: dict[str, QLabel] = {}
        self.cells: dict[tuple[str, str], QLabel] = {}
        self.row_names: dict[str, QLabel] = {}
        for column, kind in enumerate(KINDS, start=1):
            header = QLabel(sheet)
            header.setObjectName("sectionTitle")
            grid.addWidget(header, 0, column, Qt.AlignmentFlag.AlignRight)
            self.headers[kind] = header
        for row, destination in enumerate(DESTINATIONS, start=1):
            name = QLabel(sheet)
            name.setObjectName("sectionTitle")
            grid.addWidget(name, row, 0)
            self.row_names[destination] = name
            for column, kind in enumerate(KINDS, start=1):
                cell = QLabel(sheet)
                cell.setObjectName("sectionValue")
                grid.addWidget(cell, row, column, Qt.AlignmentFlag.AlignRight)
                self.cells[(destination, kind)] = cell
        self.done_button = touch_button("primaryButton", self)
        self.done_button.clicked.connect(self.completed)
        self.action_button = self.done_button
        layout = QVBoxLayout(self)
        layout.setContentsMargins(120, 16, 120, 24)
        layout.setSpacing(16)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addWidget(self.busy_indicator)
        layout.addWidget(sheet)
        layout.addStretch(1)
        layout.addWidget(self.notice)
        layout.addWidget(self.done_button)
        self.retranslateUi()

    def show_data(self, data: Mapping[str, Any]) -> None:
        rates = data.get("rates")
        listed = rates if isinstance(rates, list) else []
        self.rates = [r for r in listed if isinstance(r, RateView)]
        self.retranslateUi()

    def take_answer(self, request: object, answer: object) -> None:
        if isinstance(request, LoadRates) and isinstance(answer, list):
            self.show_data({"rates": answer})

    def reset(self) -> None:
        self.rates = []
        super().reset()
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self.title.setText(self.tr("Calls your subscription does not cover"))
        self.body.setText(
            self.tr(
                "A Call Subscription covers in-state calls only. Calls to another state or"
                " country, and calls without a subscription, are paid from your AdvanceConnect"
                " balance, or one at a time as a Single Call, at these prices per minute:"
            )
        )
        self.body.setAccessibleName(self.body.text())
        self.headers["audio"].setText(self.tr("Phone call"))
        self.headers["video"].setText(self.tr("Video call"))
        found = {(r.destination, r.kind): r.cents_per_minute for r in self.rates}
        for destination, label in self.row_names.items():
            label.setText(_destination(destination))
            for kind in KINDS:
                cents = found.get((destination, kind))
                text = self.tr("{price}/min").format(price=money(cents)) if cents else "—"
                cell = self.cells[(destination, kind)]
                cell.setText(text)
                cell.setAccessibleName(f"{label.text()}, {self.headers[kind].text()}: {text}")
        self.done_button.setText(self.tr("Back to my account"))
        self.done_button.setAccessibleName(self.tr("Back to my account"))
        super().retranslateUi()
