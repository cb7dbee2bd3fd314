"""Staff: the cash box in the note acceptor (docs/cash.md, "The cash box"): its notes by
denomination so far, the acceptor's alert if it has one, and "Cash box removed", which
closes the count and sends it to the server."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.domain import CashBoxCount
from kiosk.flows import keys as k
from ui.formats import money
from ui.messages import QT_TRANSLATE_NOOP
from ui.screens.base import Screen
from ui.widgets.common import touch_button

_C = "StaffCashBoxScreen"
ALERTS = {
    "offline": QT_TRANSLATE_NOOP(_C, "The note acceptor is offline: check its cable and power."),
    "jammed": QT_TRANSLATE_NOOP(_C, "The note acceptor is jammed: clear the note path."),
    "full": QT_TRANSLATE_NOOP(_C, "The cash box is full: empty it."),
    "taken_back": QT_TRANSLATE_NOOP(
        _C, "A note was pulled back out of the acceptor: check it is not being tampered with."),
}


def alert_text(code: str) -> str:
    """The acceptor's staff alert in words ("" when it is well)."""
    return QCoreApplication.translate(_C, ALERTS[code]) if code in ALERTS else ""


def count_lines(box: CashBoxCount) -> str:
    lines = [QCoreApplication.translate(_C, "{count} x {note}").format(
        count=count, note=money(cents)) for cents, count in box.notes]
    if not lines:
        lines = [QCoreApplication.translate(_C, "No notes.")]
    lines.append(QCoreApplication.translate(_C, "Total: {total} in {count} notes").format(
        total=money(box.total_cents), count=box.note_count))
    if box.in_doubt:
        lines.append(QCoreApplication.translate(
            _C, "Notes in doubt (not credited, see the audit trail): {count}").format(
                count=box.in_doubt))
    return "\n".join(lines)


class StaffCashBoxScreen(Screen):
    """Signals: completed() = "Cash box removed"."""

    name = "staff_cash_box"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box: CashBoxCount | None = None
        self.alert_label = QLabel(self)
        self.alert_label.setObjectName("notice")
        self.alert_label.setWordWrap(True)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("subtitle")
        self.count_label.setWordWrap(True)
        self.hint_label = QLabel(self)
        self.hint_label.setObjectName("status")
        self.hint_label.setWordWrap(True)
        self.removed_button = touch_button("primaryButton", self)
        self.removed_button.clicked.connect(self.completed)
        self.action_button = self.removed_button
        layout = QVBoxLayout(self)
        layout.setContentsMargins(120, 24, 120, 32)
        layout.setSpacing(16)
        layout.addWidget(self.title)
        layout.addWidget(self.alert_label)
        layout.addWidget(self.count_label)
        layout.addWidget(self.hint_label)
        layout.addStretch(1)
        layout.addWidget(self.notice)
        layout.addWidget(self.busy_indicator)
        layout.addWidget(self.removed_button)
        self.retranslateUi()

    def show_data(self, data: Mapping[str, Any]) -> None:
        self.box = k.CASH_BOX.of(data)
        self.retranslateUi()

    def reset(self) -> None:
        self.box = None
        super().reset()
        self.retranslateUi()

    def retranslateUi(self) -> None:
        box = self.box
        if box is None:
            self.title.setText(self.tr("Cash box"))
            self.count_label.clear()
        else:
            self.title.setText(self.tr("Cash box {number}").format(number=box.cassette))
            self.count_label.setText(count_lines(box))
        alert = alert_text(box.acceptor) if box is not None else ""
        self.alert_label.setText(alert)
        self.alert_label.setVisible(bool(alert))
        self.hint_label.setText(self.tr(
            "Take the cash box out of the acceptor, then touch the button: the count is "
            "closed and sent. The next notes go into the next cash box."))
        self.removed_button.setText(self.tr("Cash box removed"))
        self.removed_button.setEnabled(box is not None)
        for label in (self.alert_label, self.count_label, self.hint_label,
                      self.removed_button):
            label.setAccessibleName(label.text())
        super().retranslateUi()
