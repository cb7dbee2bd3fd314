"""Plan advisor, first: price the options on the family's own calls so far, or on their own
estimate of a month."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from ui.screens.base import Screen
from ui.widgets.common import touch_button

BASES = ("history", "estimate")


class AdvisorBasisScreen(Screen):
    """Signals: completed() with ``values()["advisor_basis"]`` = "history" or "estimate"."""

    name = "advisor_basis"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.basis = ""
        self.body = QLabel(self)
        self.body.setObjectName("subtitle")
        self.body.setWordWrap(True)
        self.basis_buttons: dict[str, QPushButton] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(120, 24, 120, 32)
        layout.setSpacing(18)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        for basis in BASES:
            button = touch_button("choiceButton", self)
            button.setMinimumHeight(96)
            button.clicked.connect(lambda _=False, b=basis: self._choose(b))
            layout.addWidget(button)
            self.basis_buttons[basis] = button
        layout.addStretch(1)
        layout.addWidget(self.notice)
        self.action_button = self.basis_buttons["history"]
        self.retranslateUi()

    def _choose(self, basis: str) -> None:
        self.basis = basis
        self.completed.emit()

    def values(self) -> dict[str, Any]:
        return {"advisor_basis": self.basis} if self.basis else {}

    def reset(self) -> None:
        self.basis = ""
        super().reset()

    def retranslateUi(self) -> None:
        self.title.setText(self.tr("Which plan costs you least?"))
        self.body.setText(self.tr(
            "We can price every option on the calls you made in your last full months,"
            " or on your own guess of a usual month."))
        self.body.setAccessibleName(self.body.text())
        texts = {
            "history": self.tr("From my calls so far"),
            "estimate": self.tr("From my own estimate"),
        }
        for basis, button in self.basis_buttons.items():
            button.setText(texts[basis])
            button.setAccessibleName(texts[basis])
        super().retranslateUi()
