"""What to do about a forgotten PIN: the kiosk cannot show or reset it; staff can help."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.screens.base import Screen
from ui.widgets.common import touch_button


class ForgotPinScreen(Screen):
    """Plain words and one button back to signing in (``completed``)."""

    name = "forgot_pin"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.body = QLabel(self)
        # Subtitle size: three short paragraphs must fit in Spanish with large text.
        self.body.setObjectName("subtitle")
        self.body.setWordWrap(True)
        self.body.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.back_button = touch_button("primaryButton", self)
        self.back_button.clicked.connect(self.completed)
        self.action_button = self.back_button
        layout = QVBoxLayout(self)
        layout.setContentsMargins(120, 32, 120, 40)
        layout.setSpacing(24)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addStretch(1)
        layout.addWidget(self.back_button)
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self.title.setText(self.tr("Forgot your PIN?"))
        self.body.setText(
            self.tr(
                "For your safety, nobody can see your PIN, and it can't be changed at this"
                " kiosk.\n\nPlease go to the front desk with a photo ID: staff can check who"
                " you are and help you get back into your account.\n\nAfter 5 wrong PINs,"
                " signing in is paused for 15 minutes."
            )
        )
        self.body.setAccessibleName(self.body.text())
        self.back_button.setText(self.tr("Back to sign in"))
        self.back_button.setAccessibleName(self.tr("Back to sign in"))
        super().retranslateUi()
