"""The home screen: choose a language, then sign in or create an account."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.domain import Language
from ui.screens.base import Screen
from ui.widgets.common import NARROW_WIDTH, room_for, side_by_side_or_stacked, touch_button


class HomeScreen(Screen):
    """Signals:
    language_chosen(Language): English or Español was pressed here.
    completed(): a journey was chosen (``values()["choice"]`` names it).
    """

    name = "home"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choice = ""
        self.question = QLabel(self)
        self.question.setObjectName("subtitle")
        self.question.setWordWrap(True)
        self.create_account_button = touch_button("heroButton", self)
        self.create_account_button.setMinimumHeight(110)
        self.create_account_button.clicked.connect(lambda: self._choose("register"))
        self.sign_in_button = touch_button("heroButton", self)
        self.sign_in_button.setMinimumHeight(110)
        self.sign_in_button.clicked.connect(lambda: self._choose("sign_in"))
        self.action_button = self.create_account_button
        self.language_label = QLabel(self)
        self.language_label.setObjectName("subtitle")
        self.english_button = touch_button("bigLanguageButton", self)
        self.spanish_button = touch_button("bigLanguageButton", self)
        self.english_button.clicked.connect(lambda: self.language_chosen.emit(Language.ENGLISH))
        self.spanish_button.clicked.connect(lambda: self.language_chosen.emit(Language.SPANISH))
        languages = QHBoxLayout()
        languages.setSpacing(20)
        languages.addWidget(self.english_button)
        languages.addWidget(self.spanish_button)
        layout = self._layout = QVBoxLayout(self)
        layout.setContentsMargins(120, 40, 120, 40)
        layout.setSpacing(24)
        layout.addWidget(self.title)
        layout.addWidget(self.question)
        choices = self._choices = QHBoxLayout()
        choices.setSpacing(20)
        choices.addWidget(self.sign_in_button)
        choices.addWidget(self.create_account_button)
        layout.addLayout(choices)
        layout.addStretch(1)
        layout.addWidget(self.language_label)
        layout.addLayout(languages)
        layout.addStretch(1)
        layout.addWidget(self.notice)
        for label in (self.title, self.question, self.language_label):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.retranslateUi()

    def _choose(self, journey: str) -> None:
        self._choice = journey
        self.completed.emit()

    def values(self) -> dict[str, Any]:
        return {"choice": self._choice}

    def reset(self) -> None:
        self._choice = ""
        super().reset()

    def resizeEvent(self, event: QResizeEvent) -> None:
        # Large text on a narrow screen: the two big buttons go one above the other.
        room = room_for(self)
        side = 120 if room >= NARROW_WIDTH else 24
        self._layout.setContentsMargins(side, 40, side, 40)
        side_by_side_or_stacked(self._choices, room - 2 * side, (1, 1))
        super().resizeEvent(event)

    def retranslateUi(self) -> None:
        self.title.setText(self.tr("Welcome"))
        self.question.setText(self.tr("What would you like to do?"))
        self.create_account_button.setText(self.tr("Create an account"))
        self.create_account_button.setAccessibleName(self.tr("Create an account"))
        self.sign_in_button.setText(self.tr("Sign in"))
        self.sign_in_button.setAccessibleName(self.tr("Sign in with your phone and PIN"))
        self.language_label.setText(self.tr("Choose your language"))
        # Language names stay in their own language so everyone can find theirs.
        self.english_button.setText("English")
        self.english_button.setAccessibleName("English")
        self.spanish_button.setText("Español")
        self.spanish_button.setAccessibleName("Español")
        super().retranslateUi()
