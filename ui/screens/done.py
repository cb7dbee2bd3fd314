"""The end of registration: the account is ready, or saved to finish when back online."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.domain import RegistrationOutcome, RegistrationResult
from ui.screens.base import Screen
from ui.widgets.common import touch_button


class DoneScreen(Screen):
    """Shows the outcome; "Finish" (``completed``) wipes everything and returns to start."""

    name = "done"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: RegistrationResult | None = None
        self.title.setObjectName("heroTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = QLabel(self)
        self.body.setObjectName("heroText")
        self.body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.setWordWrap(True)
        self.finish_button = touch_button("heroButton", self)
        self.finish_button.setMinimumHeight(100)
        self.finish_button.clicked.connect(self.completed)
        self.action_button = self.finish_button
        layout = QVBoxLayout(self)
        layout.setContentsMargins(100, 40, 100, 60)
        layout.setSpacing(28)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addStretch(1)
        layout.addWidget(self.finish_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        self.retranslateUi()

    def show_data(self, data: Mapping[str, Any]) -> None:
        result = data.get("registration")
        if isinstance(result, RegistrationResult):
            self.set_result(result)

    def set_result(self, result: RegistrationResult) -> None:
        self.result = result
        self.retranslateUi()

    def reset(self) -> None:
        self.result = None
        super().reset()
        self.retranslateUi()

    def retranslateUi(self) -> None:
        if self.result is not None and self.result.outcome is RegistrationOutcome.QUEUED:
            self.title.setText(self.tr("Saved"))
            self.body.setText(
                self.tr(
                    "This kiosk is offline, so your sign-up will be checked when it reconnects."
                    " If there is a problem (for example, this phone number already has an"
                    " account), we will e-mail you. You can sign in once it is set up."
                )
            )
        else:
            self.title.setText(self.tr("Your account is ready"))
            self.body.setText(
                self.tr("Use your phone number and PIN to sign in next time. Thank you!")
            )
        self.body.setAccessibleName(self.body.text())
        self.finish_button.setText(self.tr("Finish"))
        self.finish_button.setAccessibleName(self.tr("Finish and return to the start"))
        super().retranslateUi()
