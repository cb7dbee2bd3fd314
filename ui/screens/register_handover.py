"""Staff helping a family sign up hand the screen over before the PIN (issue 19, item 10):
the family chooses their own PIN, and staff never see or type it (docs/staff-mode.md)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.screens.base import Screen
from ui.widgets.common import touch_button


class RegisterHandoverScreen(Screen):
    """Signals: completed() when the family member, now at the screen, goes on to the PIN."""

    name = "register_handover"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title.setObjectName("heroTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = QLabel(self)
        self.body.setObjectName("heroText")
        self.body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.setWordWrap(True)
        self.continue_button = touch_button("heroButton", self)
        self.continue_button.setMinimumHeight(100)
        self.continue_button.clicked.connect(self._continue)
        self.action_button = self.continue_button
        layout = QVBoxLayout(self)
        layout.setContentsMargins(100, 40, 100, 40)
        layout.setSpacing(28)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addStretch(1)
        layout.addWidget(self.notice)
        layout.addWidget(self.busy_indicator)
        layout.addWidget(self.continue_button)
        self.retranslateUi()

    def _continue(self) -> None:
        if self.continue_button.isEnabled():
            self.completed.emit()

    def retranslateUi(self) -> None:
        self.title.setText(self.tr("Please hand the screen to the family"))
        self.body.setText(self.tr(
            "The next step is the PIN. The family member chooses it and types it; staff do"
            " not watch or type it. Staff: step aside until the PIN is done."))
        self.body.setAccessibleName(self.body.text())
        self.continue_button.setText(self.tr("Choose my PIN"))
        self.continue_button.setAccessibleName(
            self.tr("I am the family member: choose my PIN"))
        super().retranslateUi()
