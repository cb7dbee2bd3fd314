"""A screen's notice line: a refusal or a problem not tied to one field."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QMouseEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from ui.widgets.banners import MORE


class Notice(QLabel):
    """Said whole, wrapped, as a rule. On a screen short of room (``set_compact``: a
    staff reason under a long refusal in large text at 1024x768, issue 19) it is one
    line, its first words and "More ⓘ", so the field, the button and the keyboard keep
    their room; a tap shows the whole text, another folds it again. Its accessible name
    is always the whole text, for Read aloud and screen readers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notice")
        self.setWordWrap(True)
        self.whole = ""
        self.compact = False
        self.expanded = False
        self._wrapped_policy = self.sizePolicy()

    def set_whole(self, text: str) -> None:
        self.whole = text
        self.expanded = False
        self.setAccessibleName(text)
        self._show_words()

    def set_compact(self, compact: bool) -> None:
        if compact != self.compact:
            self.compact = compact
            self.expanded = False
            self._show_words()

    def one_line(self) -> bool:
        """Whether it says its first words only (compact, not tapped open, too long)."""
        return self.compact and not self.expanded and bool(self.whole)

    def more_text(self) -> str:
        return QCoreApplication.translate("Notice", "More") + " " + MORE

    def whole_height(self, width: int) -> int:
        """The height its whole text needs wrapped at ``width`` (what it takes when it is
        not compact), whatever it shows now."""
        margins = self.contentsMargins()
        inner = max(1, width - margins.left() - margins.right() - 2 * self.margin())
        flags = int(Qt.TextFlag.TextWordWrap) | int(self.alignment())
        rect = self.fontMetrics().boundingRect(0, 0, inner, 1 << 20, flags, self.whole)
        return rect.height() + margins.top() + margins.bottom() + 2 * self.margin()

    def _show_words(self) -> None:
        if not self.one_line():
            if not self.wordWrap():
                self.setWordWrap(True)
                self.setSizePolicy(self._wrapped_policy)
            self.setText(self.whole)
            return
        if self.wordWrap():
            self.setWordWrap(False)
            # One line never asks for more width than its column gives it.
            self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        margins = self.contentsMargins()
        room = self.width() - margins.left() - margins.right() - 2 * self.margin()
        metrics = self.fontMetrics()
        if metrics.horizontalAdvance(self.whole) <= room:
            self.setText(self.whole)
            return
        more = "  " + self.more_text()
        words = metrics.elidedText(self.whole, Qt.TextElideMode.ElideRight,
                                   max(0, room - metrics.horizontalAdvance(more) - 2))
        self.setText(words + more)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.one_line():
            self._show_words()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.compact and self.whole:
            self.expanded = not self.expanded
            self._show_words()
        super().mousePressEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange) and self.one_line():
            self._show_words()  # large text: fewer words fit
