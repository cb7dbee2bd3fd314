"""The in-app QWERTY keyboard: letters, digits, @ . - _ space, backspace and shift."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QGridLayout, QPushButton, QSizePolicy, QWidget

from ui.widgets.common import TOUCH_MIN
from ui.widgets.typing import TypingTarget, usable

ROWS = ("1234567890", "qwertyuiop", "asdfghjkl@", "zxcvbnm.-_")


class OnScreenKeyboard(QWidget):
    """Types into the line edit ``target()`` returns, using the line edit's own methods.

    Keys never take focus, so the field being typed into keeps it. Shift applies to the
    next letter only. ``keys`` maps a key's lower-case character (or ``"space"``,
    ``"backspace"``, ``"shift"``) to its button.
    """

    def __init__(self, target: TypingTarget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyboard")
        self._target = target
        self._shifted = False
        self.keys: dict[str, QPushButton] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        for row, characters in enumerate(ROWS):
            for column, character in enumerate(characters):
                button = self._key(character)
                button.clicked.connect(lambda _=False, c=character: self._type_character(c))
                grid.addWidget(button, row, column)
        shift = self._key("shift", "keyWide")
        shift.setCheckable(True)
        shift.toggled.connect(self._set_shifted)
        space = self._key("space")
        space.clicked.connect(lambda: self._insert(" "))
        backspace = self._key("backspace", "keyWide")
        backspace.setAutoRepeat(True)
        backspace.clicked.connect(self._backspace)
        last = len(ROWS)
        grid.addWidget(shift, last, 0, 1, 2)
        grid.addWidget(space, last, 2, 1, 6)
        grid.addWidget(backspace, last, 8, 1, 2)
        # Ten keys a row must always fit; the form column beside it gives way instead.
        self.setMinimumWidth(10 * TOUCH_MIN + 9 * grid.horizontalSpacing())
        self.retranslateUi()

    def _key(self, name: str, style: str = "key") -> QPushButton:
        button = QPushButton(self)
        button.setObjectName(style)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setAutoDefault(False)
        button.setMinimumSize(TOUCH_MIN, TOUCH_MIN)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.keys[name] = button
        return button

    def _insert(self, text: str) -> None:
        edit = usable(self._target())
        if edit is not None:
            edit.insert(text)

    def _type_character(self, character: str) -> None:
        self._insert(character.upper() if self._shifted else character)
        if self._shifted and character.isalpha():
            self.keys["shift"].setChecked(False)

    def _backspace(self) -> None:
        edit = usable(self._target())
        if edit is not None:
            edit.backspace()

    def _set_shifted(self, shifted: bool) -> None:
        self._shifted = shifted
        for character in "".join(ROWS):
            if character.isalpha():
                self.keys[character].setText(character.upper() if shifted else character)

    def reset(self) -> None:
        self.keys["shift"].setChecked(False)

    def retranslateUi(self) -> None:
        for character in "".join(ROWS):
            button = self.keys[character]
            button.setText(
                character.upper() if self._shifted and character.isalpha() else character
            )
            button.setAccessibleName(character)
        names = {
            "shift": (self.tr("Shift"), self.tr("Capital letter")),
            "space": (self.tr("Space"), self.tr("Space")),
            "backspace": (self.tr("⌫ Delete"), self.tr("Delete last character")),
        }
        for key, (text, accessible) in names.items():
            self.keys[key].setText(text)
            self.keys[key].setAccessibleName(accessible)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)
