"""A horizontal bar chart painted with QPainter: one bar per option, its label and amount
beside it, the recommended one in the accent colour. No chart library needed."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

BAR = QColor("#9fb3c8")
ACCENT = QColor("#1d7f5c")


class BarChart(QWidget):
    """``set_bars([(label, value, amount text, highlighted), ...])``; repaints itself."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("barChart")
        self.bars: list[tuple[str, int, str, bool]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_bars(self, bars: Sequence[tuple[str, int, str, bool]]) -> None:
        self.bars = list(bars)
        self.setAccessibleName("; ".join(f"{label}: {text}" for label, _v, text, _h in bars))
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(600, max(1, len(self.bars)) * self._row_height())

    def _row_height(self) -> int:
        return int(self.fontMetrics().height() * 2.4)

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.bars:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        text_color = self.palette().color(QPalette.ColorRole.WindowText)
        row = min(self._row_height(), self.height() // len(self.bars))
        label_width = min(self.width() // 2, max(metrics.horizontalAdvance(b[0]) for b in self.bars)
                          + 16)
        amount_width = max(metrics.horizontalAdvance(b[2]) for b in self.bars) + 16
        track = max(10, self.width() - label_width - amount_width)
        top_value = max(1, max(b[1] for b in self.bars))
        for index, (label, value, amount, highlighted) in enumerate(self.bars):
            y = index * row
            painter.setPen(text_color)
            painter.drawText(QRectF(0, y, label_width - 12, row),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                             metrics.elidedText(label, Qt.TextElideMode.ElideRight,
                                                label_width - 12))
            width = max(4, track * value / top_value)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(ACCENT if highlighted else BAR)
            painter.drawRoundedRect(QRectF(label_width, y + row * 0.2, width, row * 0.6), 6, 6)
            painter.setPen(text_color)
            painter.drawText(QRectF(label_width + width + 8, y, amount_width, row),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, amount)
        painter.end()
