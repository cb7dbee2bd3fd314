"""The "Are you still there?" overlay shown before an idle kiosk wipes what was typed."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from ui.widgets.common import touch_button

PANEL_WIDTH = 900  # px
PANEL_MARGIN = 48  # px: room on each side on a narrow screen


class CountdownOverlay(QWidget):
    """Covers its parent with a dimmed layer and a centred panel.

    Signals:
        more_time_requested(): the family pressed "I need more time".
    """

    more_time_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("countdownOverlay")
        self._seconds = 0
        self.panel = QFrame(self)
        self.panel.setObjectName("countdownPanel")
        self.panel.setFixedWidth(PANEL_WIDTH)
        self.title = QLabel(self.panel)
        self.title.setObjectName("title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        self.remaining_label = QLabel(self.panel)
        self.remaining_label.setObjectName("countdownText")
        self.remaining_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # Large text in Spanish is wider than the panel on a 1024 px screen: it wraps.
        self.remaining_label.setWordWrap(True)
        self.erase_label = QLabel(self.panel)
        self.erase_label.setObjectName("countdownText")
        self.erase_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.erase_label.setWordWrap(True)
        self.more_time_button = touch_button("primaryButton", self.panel)
        self.more_time_button.clicked.connect(self.more_time_requested)
        panel_layout = QVBoxLayout(self.panel)
        panel_layout.setContentsMargins(32, 28, 32, 28)
        panel_layout.setSpacing(20)
        panel_layout.addWidget(self.title)
        panel_layout.addWidget(self.remaining_label)
        panel_layout.addWidget(self.erase_label)
        panel_layout.addWidget(self.more_time_button)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.panel, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        self.hide()
        self.retranslateUi()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._fit_panel()
        super().resizeEvent(event)

    def _fit_panel(self) -> None:
        """Never wider than the window (a 1024 px screen with its margins), and as tall as
        its wrapped lines need (a centred panel is not given its height-for-width)."""
        width = max(320, min(PANEL_WIDTH, self.width() - 2 * PANEL_MARGIN))
        self.panel.setFixedWidth(width)
        layout = self.panel.layout()
        if layout is not None:
            layout.activate()
            self.panel.setFixedHeight(max(layout.totalHeightForWidth(width),
                                          layout.totalMinimumSize().height()))

    def showEvent(self, event: QShowEvent) -> None:
        self._fit_panel()  # large text or another language since it was last shown
        super().showEvent(event)

    def set_remaining(self, seconds: int) -> None:
        self._seconds = seconds
        self._show_remaining()

    def remaining_text(self) -> str:
        return self.remaining_label.text()

    def _show_remaining(self) -> None:
        if self._seconds == 1:
            text = self.tr("Returning to the start in 1 second.")
        else:
            text = self.tr("Returning to the start in {seconds} seconds.").format(
                seconds=self._seconds
            )
        self.remaining_label.setText(text)
        self.remaining_label.setAccessibleName(text)
        self._fit_panel()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0, 150))
        super().paintEvent(event)

    def retranslateUi(self) -> None:
        self.title.setText(self.tr("Are you still there?"))
        self.erase_label.setText(self.tr("What you typed will be erased."))
        self.erase_label.setAccessibleName(self.erase_label.text())
        self.more_time_button.setText(self.tr("I need more time"))
        self.more_time_button.setAccessibleName(self.tr("I need more time"))
        self._show_remaining()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)
