"""What every "it is done" screen of a signed-in journey shares: a large title, a sentence of
what happened, the details as summary rows, a reference line, and "Back to my account"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.screens.base import Screen
from ui.widgets.common import touch_button
from ui.widgets.summary_rows import SummaryRows


class ReceiptScreen(Screen):
    """Signals: completed() = back to the family's account.

    Subclasses pass their row keys, keep what the journey's data holds in ``show_data()``
    and ``reset()``, and fill the texts in ``receipt_texts()``."""

    def __init__(self, rows: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title.setObjectName("heroTitle")
        self.body = QLabel(self)
        self.body.setObjectName("subtitle")
        self.body.setWordWrap(True)
        self.rows = SummaryRows(rows, self, amounts=True)
        self.reference = QLabel(self)
        self.reference.setObjectName("status")
        self.reference.setWordWrap(True)
        self.reference.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.done_button = touch_button("primaryButton", self)
        self.done_button.clicked.connect(self.completed)
        self.action_button = self.done_button
        layout = QVBoxLayout(self)
        layout.setContentsMargins(120, 24, 120, 32)
        layout.setSpacing(18)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addWidget(self.rows)
        layout.addWidget(self.reference)
        layout.addStretch(1)
        layout.addWidget(self.notice)
        layout.addWidget(self.done_button)

    def receipt_texts(self) -> tuple[str, str, Mapping[str, str], Mapping[str, str], str]:
        """(title, what happened, row titles, row values, reference); empty when nothing
        is done yet."""
        raise NotImplementedError

    def retranslateUi(self) -> None:
        title, body, titles, values, reference = self.receipt_texts()
        self.title.setText(title)
        self.body.setText(body)
        self.body.setAccessibleName(body)
        self.rows.show_rows(titles, values)
        self.rows.setVisible(bool(values))
        self.reference.setText(reference)
        self.reference.setAccessibleName(reference)
        self.reference.setVisible(bool(reference))
        back = QCoreApplication.translate("ReceiptScreen", "Back to my account")
        self.done_button.setText(back)
        self.done_button.setAccessibleName(back)
        super().retranslateUi()
