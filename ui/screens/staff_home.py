"""The staff home: helping a family sign up or use their account, sign-up conflicts, and
this kiosk's outbox."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.screens.base import Screen
from ui.widgets.common import WrappingButton


class StaffHomeScreen(Screen):
    """Signals: completed() with ``values()["staff_choice"]`` naming the next step."""

    name = "staff_home"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choice = ""
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("subtitle")
        self.subtitle.setWordWrap(True)
        self.conflicts_button = self._choice_button("staff_conflicts")
        self.outbox_button = self._choice_button("staff_outbox")
        self.help_button = self._choice_button("staff_photo_id")
        self.family_button = self._choice_button("sign_in:")
        self.action_button = self.help_button
        layout = QVBoxLayout(self)
        layout.setContentsMargins(120, 16, 120, 16)
        layout.setSpacing(12)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        for button in (self.help_button, self.family_button, self.conflicts_button,
                       self.outbox_button):
            layout.addWidget(button)
        layout.addStretch(1)
        layout.addWidget(self.notice)
        self.retranslateUi()

    def _choice_button(self, step: str) -> WrappingButton:
        button = WrappingButton("choiceButton", self)
        button.setMinimumHeight(80)
        button.clicked.connect(lambda: self._choose(step))
        return button

    def _choose(self, step: str) -> None:
        self._choice = step
        self.completed.emit()

    def values(self) -> dict[str, Any]:
        return {"staff_choice": self._choice}

    def reset(self) -> None:
        self._choice = ""
        super().reset()

    def retranslateUi(self) -> None:
        self.title.setText(self.tr("Staff"))
        self.subtitle.setText(self.tr("What do you need to do?"))
        for button, text in (
            (self.help_button, self.tr("Help a family sign up")),
            (self.family_button, self.tr("Help a family who has an account")),
            (self.conflicts_button, self.tr("Sign-up conflicts")),
            (self.outbox_button, self.tr("This kiosk's outbox")),
        ):
            button.setText(text)
            button.setAccessibleName(text)
        super().retranslateUi()
