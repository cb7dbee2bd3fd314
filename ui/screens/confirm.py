"""What every "are you sure?" screen shares: a title, what would be done as summary rows
(optional), what happens in plain words, then Yes (the step is done) and No (back to the
step the family came from)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.screens.base import Screen
from ui.widgets.common import touch_button
from ui.widgets.summary_rows import SummaryRows


class ConfirmScreen(Screen):
    """Signals: completed() = yes; jump_requested(``back_to``) = no."""

    def __init__(
        self,
        back_to: str,
        rows: Sequence[str] = (),
        parent: QWidget | None = None,
        *,
        amounts: bool = False,
    ) -> None:
        super().__init__(parent)
        self.rows = SummaryRows(rows, self, amounts=amounts)
        self.rows.setVisible(bool(rows))
        self.body = QLabel(self)
        self.body.setObjectName("subtitle")
        self.body.setWordWrap(True)
        self.yes_button = touch_button("primaryButton", self)
        self.yes_button.clicked.connect(self.completed)
        self.no_button = touch_button("secondaryButton", self)
        self.no_button.clicked.connect(lambda: self.jump_requested.emit(back_to))
        self.action_button = self.yes_button
        layout = QVBoxLayout(self)
        layout.setContentsMargins(120, 24, 120, 32)
        layout.setSpacing(18)
        layout.addWidget(self.title)
        layout.addWidget(self.rows)
        layout.addWidget(self.body)
        layout.addStretch(1)
        layout.addWidget(self.notice)
        layout.addWidget(self.busy_indicator)
        layout.addWidget(self.yes_button)
        layout.addWidget(self.no_button)

    def show_texts(self, body: str, yes: str, no: str) -> None:
        """The plain words, and what the two buttons say (each read out as shown)."""
        self.body.setText(body)
        self.body.setAccessibleName(body)
        self.yes_button.setText(yes)
        self.yes_button.setAccessibleName(yes)
        self.no_button.setText(no)
        self.no_button.setAccessibleName(no)
