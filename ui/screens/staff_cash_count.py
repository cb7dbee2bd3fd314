"""Staff: the count of the cash box just taken out, by denomination, as it was sent to
the server (docs/cash.md, "The cash box")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.domain import CashBoxCount
from kiosk.flows import keys as k
from kiosk.requests import PrintReceipt
from ui.formats import money
from ui.i18n import office_language, office_text
from ui.messages import QT_TRANSLATE_NOOP
from ui.screens.base import Screen
from ui.screens.staff_cash_box import count_lines
from ui.widgets.common import touch_button

# The slip's words are this screen's, in its context in the catalog.
_CONTEXT = "StaffCashCountScreen"


class StaffCashCountScreen(Screen):
    """Signals: completed() = back to the staff home."""

    name = "staff_cash_count"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box: CashBoxCount | None = None
        self._paper_for: CashBoxCount | None = None
        self.count_label = QLabel(self)
        self.count_label.setObjectName("subtitle")
        self.count_label.setWordWrap(True)
        self.sent_label = QLabel(self)
        self.sent_label.setObjectName("status")
        self.sent_label.setWordWrap(True)
        self.back_button = touch_button("primaryButton", self)
        self.back_button.clicked.connect(self.completed)
        self.action_button = self.back_button
        layout = QVBoxLayout(self)
        layout.setContentsMargins(120, 24, 120, 32)
        layout.setSpacing(16)
        layout.addWidget(self.title)
        layout.addWidget(self.count_label)
        layout.addWidget(self.sent_label)
        layout.addStretch(1)
        layout.addWidget(self.notice)
        layout.addWidget(self.back_button)
        self.retranslateUi()

    def show_data(self, data: Mapping[str, Any]) -> None:
        self.box = k.CASH_BOX.of(data)
        self.retranslateUi()

    def take_paper_receipt(self) -> PrintReceipt | None:
        """The count slip that goes in the bag with the cash box taken out (docs/cash.md,
        "The cash box"), once per removal: the notes by denomination, the total, and lines
        for the two people who count it at the office. In the office's language (the
        ``office_language`` setting, English by default), whatever staff mode shows."""
        box = self.box
        if box is None or not box.removed or box is self._paper_for:
            return None
        self._paper_for = box
        office = office_language()

        def words(source: str) -> str:
            return office_text(_CONTEXT, source)

        lines = tuple((words(QT_TRANSLATE_NOOP(_CONTEXT, "{note} notes")).format(
            note=money(cents, office)), str(count)) for cents, count in box.notes)
        footer = [words(QT_TRANSLATE_NOOP(
            _CONTEXT, "Notes in doubt (not credited, see the audit trail): {count}"))
            .format(count=box.in_doubt)] if box.in_doubt else []
        footer += [words(QT_TRANSLATE_NOOP(_CONTEXT, "Counted by: ____________________")),
                   words(QT_TRANSLATE_NOOP(_CONTEXT, "Checked by: ____________________"))]
        return PrintReceipt(
            heading=words(QT_TRANSLATE_NOOP(_CONTEXT, "Cash box {number} count")).format(
                number=box.cassette),
            reference=words(QT_TRANSLATE_NOOP(_CONTEXT, "Cash box {number}")).format(
                number=box.cassette),
            lines=lines,
            total=(words(QT_TRANSLATE_NOOP(_CONTEXT, "Total")),
                   words(QT_TRANSLATE_NOOP(_CONTEXT, "{total} in {count} notes")).format(
                       total=money(box.total_cents, office), count=box.note_count)),
            footer=tuple(footer),
        )

    def reset(self) -> None:
        self.box = None
        super().reset()
        self.retranslateUi()

    def retranslateUi(self) -> None:
        box = self.box
        number = box.cassette if box is not None else 0
        self.title.setText(self.tr("Cash box {number} taken out").format(number=number))
        self.count_label.setText(count_lines(box) if box is not None else "")
        self.sent_label.setText(self.tr(
            "This count was sent to the central office with this kiosk's other records. "
            "Put an empty cash box in."))
        self.back_button.setText(self.tr("Back to staff home"))
        for label in (self.count_label, self.sent_label, self.back_button):
            label.setAccessibleName(label.text())
        super().retranslateUi()
