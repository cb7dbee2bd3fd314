"""The in-app numeric keypad: 0-9, backspace and clear, for phone numbers and PINs; for an
amount, a decimal point instead of clear (dollars and cents)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import QGridLayout, QPushButton, QSizePolicy, QWidget

from ui.widgets.common import TOUCH_MIN
from ui.widgets.typing import TypingTarget, usable

LAYOUT = (("1", "2", "3"), ("4", "5", "6"), ("7", "8", "9"), ("clear", "0", "backspace"))
# An amount's keypad: "12.50" needs the point more than "clear" (Delete repeats).
AMOUNT_LAYOUT = (*LAYOUT[:3], ("point", "0", "backspace"))


KEY_MIN = QSize(TOUCH_MIN + 56, TOUCH_MIN + 8)


class PadKey(QPushButton):
    """A keypad key as big as the keypad's biggest key: every column and row is even,
    and the longest label (a translation, large text) always fits."""

    def natural_size(self) -> QSize:
        return super().sizeHint()

    def sizeHint(self) -> QSize:
        pad = self.parentWidget()
        return pad.key_size(self) if isinstance(pad, NumericKeypad) else self.natural_size()

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()


class NumericKeypad(QWidget):
    """Types digits into the line edit ``target()`` returns; its keys never take focus.

    ``keys`` maps ``"0"``..``"9"``, ``"backspace"`` and ``"clear"`` (or, with ``point``,
    ``"point"``) to their buttons. The command keys may have two-line labels (a
    translation puts a line break in).
    """

    def __init__(self, target: TypingTarget, parent: QWidget | None = None, *,
                 point: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("keypad")
        self._target = target
        self.keys: dict[str, QPushButton] = {}
        self.wide = False
        self._rows = AMOUNT_LAYOUT if point else LAYOUT
        grid = self._grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        for row, names in enumerate(self._rows):
            for column, name in enumerate(names):
                button = PadKey(self)
                digit_like = name.isdigit() or name == "point"
                button.setObjectName("keypadKey" if digit_like else "keypadCommand")
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

    def key_size(self, key: QPushButton | None = None) -> QSize:
        """The size of every key: the largest any key's label needs, at least ``KEY_MIN``.
        In a row (``set_wide``) the keys are as tall, and each is as wide as the widest of
        its kind (digits, or the command keys) needs."""
        size = QSize(KEY_MIN)
        for other in self.keys.values():
            if isinstance(other, PadKey):
                size = size.expandedTo(other.natural_size())
        if not self.wide or key is None:
            return size
        kind = [other for other in self.keys.values() if isinstance(other, PadKey)
                and (other.objectName() == key.objectName())]
        width = max([TOUCH_MIN, *(other.natural_size().width() for other in kind)])
        return QSize(width, size.height())

    def set_wide(self, wide: bool) -> None:
        """Lay the keys in two rows, the ten digits then the command keys, when the
        keypad is under the fields across the whole screen (issue 19): four rows of keys
        as big as large text's "Delete" took most of a 768 px screen's height, and the
        fields scrolled. Beside the fields it is the usual three columns."""
        if wide == self.wide:
            return
        self.wide = wide
        for key in self.keys.values():
            self._grid.removeWidget(key)
        if wide:
            digits = [name for row in self._rows for name in row if name.isdigit()]
            commands = [name for row in self._rows for name in row if not name.isdigit()]
            for column, name in enumerate(digits):
                self._grid.addWidget(self.keys[name], 0, column)
            span = len(digits) // len(commands)
            for index, name in enumerate(commands):
                self._grid.addWidget(self.keys[name], 1, index * span, 1, span)
        else:
            for row, names in enumerate(self._rows):
                for column, name in enumerate(names):
                    self._grid.addWidget(self.keys[name], row, column)
        for column in range(10):
            self._grid.setColumnStretch(column, 1 if wide or column < 3 else 0)
        for key in self.keys.values():
            key.updateGeometry()

    def minimumSizeHint(self) -> QSize:
        # As narrow as the three columns, in a row too: whether the pad fits beside the
        # fields is decided by its three columns (a row goes only under the fields), so
        # the choice never flips with the row.
        hint = super().minimumSizeHint()
        key = self.key_size()
        spacing = self._grid.horizontalSpacing()
        return QSize(3 * key.width() + 2 * spacing, hint.height())

    def _press(self, name: str) -> None:
        edit = usable(self._target())
        if edit is None:
            return
        if name == "backspace":
            edit.backspace()
        elif name == "clear":
            edit.clear()
        elif name == "point":
            edit.insert(".")
        else:
            edit.insert(name)

    def retranslateUi(self) -> None:
        for digit in "0123456789":
            self.keys[digit].setText(digit)
            self.keys[digit].setAccessibleName(digit)
        self.keys["backspace"].setText(self.tr("⌫ Delete"))
        self.keys["backspace"].setAccessibleName(self.tr("Delete last number"))
        if "clear" in self.keys:
            self.keys["clear"].setText(self.tr("Clear"))
            self.keys["clear"].setAccessibleName(self.tr("Clear the whole entry"))
        if "point" in self.keys:
            self.keys["point"].setText(".")
            self.keys["point"].setAccessibleName(self.tr("Decimal point"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)
