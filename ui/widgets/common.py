"""Small helpers every kiosk widget uses: touch-sized buttons and style re-polishing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget

TOUCH_MIN = 64  # px: the smallest target a finger can hit reliably


def touch_button(
    object_name: str, parent: QWidget | None = None, *, focusable: bool = True
) -> QPushButton:
    """A push button at least ``TOUCH_MIN`` px tall, styled by its object name."""
    button = QPushButton(parent)
    button.setObjectName(object_name)
    button.setMinimumHeight(TOUCH_MIN)
    button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    if not focusable:
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setAutoDefault(False)
    return button


def repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property used in a selector changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()
