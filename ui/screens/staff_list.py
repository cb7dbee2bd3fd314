"""A staff list: a title, a line saying what is there (or that nothing is), a scrolling
column of rows to choose from, and an optional action below it."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui.screens.base import Screen
from ui.screens.choice_list import ChoiceList
from ui.widgets.common import touch_button


class StaffListScreen(Screen):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel(self)
        self.summary.setObjectName("subtitle")
        self.summary.setWordWrap(True)
        self.rows = ChoiceList(self._chosen, self)
        self.reload_button = touch_button("secondaryButton", self)
        self.reload_button.clicked.connect(self.reload)
        self.action_button = self.reload_button
        # The buttons in a row of their own widget, after a stretch: the screen's footer
        # keeps them and the notice in view under the list (issue 19: a refusal in large
        # Spanish at 1024x768 put "Retry now" under the fold).
        buttons = QWidget(self)
        buttons.setObjectName("staffListButtons")
        self.buttons = QHBoxLayout(buttons)
        self.buttons.setContentsMargins(0, 0, 0, 0)
        self.buttons.setSpacing(16)
        self.buttons.addWidget(self.reload_button)
        self.buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 16, 48, 24)
        layout.setSpacing(12)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.rows, 1)
        layout.addStretch(0)  # no room of its own: the list takes it (stretch 1)
        layout.addWidget(self.notice)
        layout.addWidget(self.busy_indicator)
        layout.addWidget(buttons)

    def _chosen(self, index: int) -> None:
        raise NotImplementedError

    def reload(self) -> None:
        raise NotImplementedError

    def retranslateUi(self) -> None:
        # Named context: self.tr() here would look under the subclass's name.
        self.reload_button.setText(QCoreApplication.translate("StaffListScreen", "Refresh"))
        self.reload_button.setAccessibleName(
            QCoreApplication.translate("StaffListScreen", "Refresh the list"))
        super().retranslateUi()
