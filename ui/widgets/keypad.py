"""The in-app numeric keypad: 0-9, backspace and clear, for phone numbers and PINs."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import QGridLayout, QPushButton, QSizePolicy, QWidget

from ui.widgets.common import TOUCH_MIN
from ui.widgets.typing import TypingTarget, usable

LAYOUT = (("1", "2", "3"), ("4", "5", "6"), ("7", "8", "9"), ("clear", "0", "backspace"))


KEY_MIN = QSize(TOUCH_MIN + 56, TOUCH_MIN + 8)


class PadKey(QPushButton):
    """A keypad key as big as the keypad's biggest key: every column and row is even,
    and the longest label (a translation, large text) always fits."""

    def natural_size(self) -> QSize:
        return super().sizeHint()

    def sizeHint(self) -> QSize:
        pad = self.parentWidget()
        return pad.key_size() if isinstance(pad, NumericKeypad) else self.natural_size()

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()


class NumericKeypad(QWidget):
    """Types digits into the line edit ``target()`` returns; its keys never take focus.

    ``keys`` maps ``"0"``..``"9"``, ``"backspace"`` and ``"clear"`` to their buttons.
    The two command keys may have two-line labels (a translation puts a line break in).
    """

    def __init__(self, target: TypingTarget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keypad")
        self._target = target
        self.keys: dict[str, QPushButton] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        for row, names in enumerate(LAYOUT):
            for column, name in enumerate(names):
                button = PadKey(self)
                button.setObjectName("keypadKey" if name.isdigit() else "keypadCommand")
                button.setMinimumHeight(TOUCH_MIN)  # its width: the widest label (sizeHint)
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                button.setAutoDefault(False)
                button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
                button.clicked.connect(lambda _=False, n=name: self._press(n))
                self.keys[name] = button
                grid.addWidget(button, row, column)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        self.keys["backspace"].setAutoRepeat(True)
        self.retranslateUi()

    def key_size(self) -> QSize:
        """The size of every key: the largest any key's label needs, at least ``KEY_MIN``."""
        size = QSize(KEY_MIN)
        for key in self.keys.values():
            if isinstance(key, PadKey):
                size = size.expandedTo(key.natural_size())
        return size

    def _press(self, name: str) -> None:
        edit = usable(self._target())
        if edit is None:
            return
        if name == "backspace":
            edit.backspace()
        elif name == "clear":
            edit.clear()
        else:
            edit.insert(name)

    def retranslateUi(self) -> None:
        for digit in "0123456789":
            self.keys[digit].setText(digit)
            self.keys[digit].setAccessibleName(digit)
        self.keys["backspace"].setText(self.tr("⌫ Delete"))
        self.keys["backspace"].setAccessibleName(self.tr("Delete last number"))
        self.keys["clear"].setText(self.tr("Clear"))
        self.keys["clear"].setAccessibleName(self.tr("Clear the whole entry"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)
