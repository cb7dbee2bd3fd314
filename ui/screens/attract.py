"""The attract screen the kiosk rests on: a big invitation to touch and start."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from ui.screens.base import Screen
from ui.widgets.common import touch_button


class AttractScreen(Screen):
    """Touching anywhere (or the Start button) begins."""

    name = "attract"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title.setObjectName("heroTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.tagline = QLabel(self)
        self.tagline.setObjectName("heroText")
        self.tagline.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.tagline.setWordWrap(True)
        self.start_button = touch_button("heroButton", self)
        self.start_button.setMinimumHeight(120)
        self.start_button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.start_button.clicked.connect(self.completed)
        self.action_button = self.start_button
        layout = QVBoxLayout(self)
        # The air above and below is the stretches', which give it up on a short screen:
        # fixed margins of 40 and 60 px made large Spanish at 1024x768 with both banners
        # 58 px taller than the window, and the button under the fold (issue 19).
        layout.setContentsMargins(80, 16, 80, 16)
        layout.setSpacing(28)
        layout.addStretch(2)
        layout.addWidget(self.title)
        layout.addWidget(self.tagline)
        layout.addStretch(1)
        layout.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.retranslateUi()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.completed.emit()
        event.accept()

    def retranslateUi(self) -> None:
        self.title.setText(self.tr("Stay connected"))
        self.tagline.setText(
            self.tr("Create an account here to get calls and video visits from your loved one.")
        )
        self.start_button.setText(self.tr("Touch to start"))
        self.start_button.setAccessibleName(self.tr("Start"))
        super().retranslateUi()
