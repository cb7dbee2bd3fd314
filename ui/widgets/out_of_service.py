"""The notice that covers the whole window while an operator has taken this kiosk out of
service (docs/deployment.md, "Fleet"): nothing under it can be touched."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget


class OutOfServiceOverlay(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outOfServiceOverlay")
        self.reason = ""
        self.panel = QFrame(self)
        self.panel.setObjectName("countdownPanel")
        self.panel.setFixedWidth(820)  # as the countdown's: wrapped lines get their height
        self.title = QLabel(self.panel)
        self.title.setObjectName("title")
        self.body = QLabel(self.panel)
        self.body.setObjectName("countdownText")
        self.reason_label = QLabel(self.panel)
        self.reason_label.setObjectName("subtitle")
        panel_layout = QVBoxLayout(self.panel)
        panel_layout.setContentsMargins(40, 32, 40, 32)
        panel_layout.setSpacing(20)
        for label in (self.title, self.body, self.reason_label):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            panel_layout.addWidget(label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addStretch(1)
        layout.addWidget(self.panel, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        self.hide()
        self.retranslateUi()

    def set_reason(self, reason: str) -> None:
        self.reason = reason
        self.retranslateUi()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0, 200))
        super().paintEvent(event)

    def retranslateUi(self) -> None:
        self.title.setText(self.tr("This kiosk is out of service"))
        self.body.setText(self.tr("Please use another kiosk, or ask staff for help."))
        # The operator's reason is shown as they wrote it, for staff.
        self.reason_label.setText(self.reason)
        self.reason_label.setVisible(bool(self.reason))
        self.setAccessibleName(f"{self.title.text()} {self.body.text()}")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)
