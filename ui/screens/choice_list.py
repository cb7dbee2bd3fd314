"""A scrollable column of large buttons, one per choice (facilities, search results)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QFrame, QPushButton, QScrollArea, QVBoxLayout, QWidget

from ui.widgets.common import WrappingButton


class ChoiceList(QScrollArea):
    """Holds ``buttons``; pressing one calls ``on_choice(index)``."""

    def __init__(self, on_choice: Callable[[int], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("choiceList")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._on_choice = on_choice
        self.buttons: list[QPushButton] = []
        self._body = QWidget(self)
        self._body.setObjectName("choiceBody")
        self._column = QVBoxLayout(self._body)
        self._column.setContentsMargins(0, 0, 8, 0)
        self._column.setSpacing(12)
        self._column.addStretch(1)
        self.setWidget(self._body)

    def set_choices(self, labels: Sequence[tuple[str, str]]) -> None:
        """Replace the buttons: one per ``(text, accessible name)``."""
        self.clear()
        for index, (text, accessible) in enumerate(labels):
            button = WrappingButton("choiceButton", self._body)
            button.setText(text)
            button.setAccessibleName(accessible)
            button.setAutoDefault(True)
            button.clicked.connect(lambda _=False, i=index: self._on_choice(i))
            self._column.insertWidget(index, button)
            self.buttons.append(button)
        self._fit_buttons()

    def _fit_buttons(self) -> None:
        # Never squeezed: the buttons' labels wrap and take the height they need.
        for button in self.buttons:
            button.ensurePolished()
            button.setMinimumHeight(80)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self._fit_buttons()
        super().changeEvent(event)

    def clear(self) -> None:
        for button in self.buttons:
            self._column.removeWidget(button)
            button.hide()  # deleteLater alone leaves it painted until the next loop turn
            button.deleteLater()
        self.buttons = []
