"""Buy a subscription, step 2: renew automatically (with the card on file) or by hand."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.screens.base import Screen
from ui.widgets.common import touch_button


class BuyRenewalScreen(Screen):
    """Signals: completed() with ``values()["renewal_mode"]`` ("auto" or "manual")."""

    name = "buy_renewal"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = ""
        self.explain = QLabel(self)
        self.explain.setObjectName("subtitle")
        self.explain.setWordWrap(True)
        self.auto_button = touch_button("heroButton", self)
        self.auto_button.setMinimumHeight(100)
        self.auto_button.clicked.connect(lambda: self.choose("auto"))
        self.manual_button = touch_button("choiceButton", self)
        self.manual_button.setMinimumHeight(100)
        self.manual_button.clicked.connect(lambda: self.choose("manual"))
        self.action_button = self.auto_button
        layout = QVBoxLayout(self)
        layout.setContentsMargins(120, 24, 120, 32)
        layout.setSpacing(20)
        layout.addWidget(self.title)
        layout.addWidget(self.explain)
        layout.addWidget(self.auto_button)
        layout.addWidget(self.manual_button)
        layout.addStretch(1)
        layout.addWidget(self.notice)
        layout.addWidget(self.busy_indicator)
        self.retranslateUi()

    def choose(self, mode: str) -> None:
        if not self.auto_button.isEnabled():
            return
        self.mode = mode
        self.completed.emit()

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        self.manual_button.setEnabled(not busy)

    def values(self) -> dict[str, Any]:
        return {"renewal_mode": self.mode} if self.mode else {}

    def reset(self) -> None:
        self.mode = ""
        super().reset()

    def retranslateUi(self) -> None:
        self.title.setText(self.tr("How should it renew?"))
        self.explain.setText(
            self.tr(
                "Automatic renewal charges your card on file each month until you cancel."
                " By hand, it ends at the end of the month unless you renew it here."
            )
        )
        self.auto_button.setText(self.tr("Renew automatically"))
        self.auto_button.setAccessibleName(self.tr("Renew automatically with my card"))
        self.manual_button.setText(self.tr("I will renew it myself"))
        self.manual_button.setAccessibleName(self.tr("I will renew it myself"))
        super().retranslateUi()
