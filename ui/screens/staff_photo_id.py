"""Before staff sign a family up on their behalf: confirm the photo ID was checked. The
confirmation goes into the audit trail with the staff member's id."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.screens.base import Screen
from ui.widgets.common import WrappingButton, touch_button


class StaffPhotoIdScreen(Screen):
    """Signals: completed() once "Photo ID checked" is ticked and Continue pressed."""

    name = "staff_photo_id"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("subtitle")
        self.subtitle.setWordWrap(True)
        self.checked_button = WrappingButton("choiceButton", self)
        self.checked_button.setCheckable(True)
        self.checked_button.setMinimumHeight(80)
        self.checked_button.toggled.connect(self._toggled)
        self.continue_button = touch_button("primaryButton", self)
        self.continue_button.clicked.connect(self._continue)
        self.continue_button.setEnabled(False)
        self.action_button = self.checked_button
        layout = QVBoxLayout(self)
        layout.setContentsMargins(120, 16, 120, 16)
        layout.setSpacing(12)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.checked_button)
        layout.addStretch(1)
        layout.addWidget(self.notice)
        layout.addWidget(self.busy_indicator)
        layout.addWidget(self.continue_button)
        self.retranslateUi()

    def _toggled(self, _on: bool) -> None:
        self.continue_button.setEnabled(self.checked_button.isChecked())
        self.retranslateUi()

    def _continue(self) -> None:
        if self.checked_button.isChecked():
            self.completed.emit()

    def values(self) -> dict[str, Any]:
        return {"photo_id_checked": self.checked_button.isChecked()}

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        self.continue_button.setEnabled(not busy and self.checked_button.isChecked())

    def reset(self) -> None:
        self.checked_button.setChecked(False)
        super().reset()

    def retranslateUi(self) -> None:
        self.title.setText(self.tr("Help a family sign up"))
        self.subtitle.setText(self.tr(
            "Check the photo ID of the person you are signing up. Then you fill in the"
            " sign-up for them, and they choose their own PIN."))
        # A tick box's look, so it reads as something to confirm, not a statement.
        text = (self.tr("☑  Photo ID checked") if self.checked_button.isChecked()
                else self.tr("☐  Photo ID checked"))
        self.checked_button.setText(text)
        self.checked_button.setAccessibleName(self.tr("Photo ID checked"))
        self.continue_button.setText(self.tr("Continue to sign-up ›"))
        self.continue_button.setAccessibleName(self.tr("Continue to sign-up"))
        super().retranslateUi()
