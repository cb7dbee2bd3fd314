"""The in-app QWERTY keyboard: letters, apostrophe (O'Neil), @ . - space, backspace, shift,
".com", an accent key for Spanish names (María, Núñez), and a numbers layer with digits
and '#' (apartment numbers), which the lobby's families need to type."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QGridLayout, QPushButton, QSizePolicy, QWidget

from ui.widgets.common import TOUCH_MIN
from ui.widgets.typing import TypingTarget, usable

ROWS = ("qwertyuiop", "asdfghjkl'", "zxcvbnm-.@")
# The numbers layer, in the same places as the letters; a character already on the
# letters layer is ``keys["num:<character>"]``.
NUMBER_ROWS = ("1234567890", "#-.@_/&,+'", "()!?:;$%*=")
# What a letter key types while the accent key is on.
ACCENTED = {"a": "á", "e": "é", "i": "í", "o": "ó", "u": "ú", "n": "ñ"}


class OnScreenKeyboard(QWidget):
    """Types into the line edit ``target()`` returns, using the line edit's own methods.

    Keys never take focus, so the field being typed into keeps it. Shift applies to the
    next letter only, and so does the accent key (a -> á, n -> ñ). ``keys`` maps a key's
    lower-case character (or ``"space"``, ``"backspace"``, ``"shift"``, ``"accent"``,
    ``"dotcom"``, ``"numbers"``) to its button. Every key is at least ``TOUCH_MIN`` square.
    """

    def __init__(self, target: TypingTarget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyboard")
        self._target = target
        self._shifted = False
        self._accented = False
        self.keys: dict[str, QPushButton] = {}
        self.wide = False
        grid = self._grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        self._letter_keys: list[QPushButton] = []
        self._number_keys: list[QPushButton] = []
        for rows, layer in ((ROWS, self._letter_keys), (NUMBER_ROWS, self._number_keys)):
            for row, characters in enumerate(rows):
                for column, character in enumerate(characters):
                    name = character if character not in self.keys else f"num:{character}"
                    button = self._key(name)
                    button.clicked.connect(lambda _=False, c=character: self._type_character(c))
                    # A grid of 30 columns, three a letter: the command keys may then
                    # share one row six abreast (``set_wide``).
                    grid.addWidget(button, row, column * 3, 1, 3)
                    layer.append(button)
        shift = self._key("shift", "keyWide")
        shift.setCheckable(True)
        shift.toggled.connect(self._set_shifted)
        accent = self._key("accent", "keyWide")
        accent.setCheckable(True)
        accent.toggled.connect(self._set_accented)
        space = self._key("space")
        space.clicked.connect(lambda: self._insert(" "))
        backspace = self._key("backspace", "keyWide")
        backspace.setAutoRepeat(True)
        backspace.clicked.connect(self._backspace)
        numbers = self._key("numbers", "keyWide")
        numbers.setCheckable(True)
        numbers.toggled.connect(self._show_numbers)
        dotcom = self._key("dotcom", "keyWide")
        dotcom.clicked.connect(lambda: self._insert(".com"))
        self._place_commands()
        for column in range(30):
            grid.setColumnStretch(column, 1)
        # Ten keys a row must always fit; the form column beside it gives way instead.
        self.setMinimumWidth(10 * TOUCH_MIN + 9 * grid.horizontalSpacing())
        self._show_numbers(False)
        self.retranslateUi()

    COMMANDS = ("shift", "accent", "backspace", "numbers", "space", "dotcom")
    # Their columns (of 30) in one row: Delete and Space are the longest words.
    WIDE_SPANS = (5, 4, 7, 4, 6, 4)

    def _place_commands(self) -> None:
        """The command keys in two rows under the letters, or in one row (``wide``)."""
        last = len(ROWS)
        if self.wide:
            starts = [sum(self.WIDE_SPANS[:i]) for i in range(6)]
            places = [(last, start, span) for start, span in zip(starts, self.WIDE_SPANS,
                                                                   strict=True)]
        else:
            places = [(last, 0, 9), (last, 9, 9), (last, 18, 12),
                      (last + 1, 0, 9), (last + 1, 9, 12), (last + 1, 21, 9)]
        for name, (row, column, span) in zip(self.COMMANDS, places, strict=True):
            self._grid.removeWidget(self.keys[name])
            self._grid.addWidget(self.keys[name], row, column, 1, span)

    def commands_need(self) -> int:
        """The width the six command keys need in one row."""
        spacing = self._grid.horizontalSpacing()
        # Each gets its columns' share of the row: the key short of most room decides.
        column = max(max(TOUCH_MIN, self.keys[name].sizeHint().width()) / span
                     for name, span in zip(self.COMMANDS, self.WIDE_SPANS, strict=True))
        return int(30 * column) + 1 + 5 * spacing

    def set_wide(self, wide: bool) -> None:
        """The six command keys in one row, when the keyboard is under the fields across
        a screen wide enough for them (issue 19): a fifth row of keys took a field's
        height from the form at 768 px. Beside the fields, two rows as usual."""
        if wide != self.wide:
            self.wide = wide
            self._place_commands()

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

    def _letter(self, character: str) -> str:
        """What the key for ``character`` types (and shows) right now."""
        if self._accented:
            character = ACCENTED.get(character, character)
        return character.upper() if self._shifted and character.isalpha() else character

    def _type_character(self, character: str) -> None:
        self._insert(self._letter(character))
        if character.isalpha():
            self.keys["shift"].setChecked(False)
            self.keys["accent"].setChecked(False)

    def _backspace(self) -> None:
        edit = usable(self._target())
        if edit is not None:
            edit.backspace()

    def _show_numbers(self, numbers: bool) -> None:
        for button in self._letter_keys:
            button.setVisible(not numbers)
        for button in self._number_keys:
            button.setVisible(numbers)
        self.retranslateUi()

    def _set_shifted(self, shifted: bool) -> None:
        self._shifted = shifted
        self._relabel()

    def _set_accented(self, accented: bool) -> None:
        self._accented = accented
        self._relabel()

    def _relabel(self) -> None:
        for character in "".join(ROWS):
            if character.isalpha():
                self.keys[character].setText(self._letter(character))
                self.keys[character].setAccessibleName(self._letter(character))

    def reset(self) -> None:
        self.keys["shift"].setChecked(False)
        self.keys["accent"].setChecked(False)
        self.keys["numbers"].setChecked(False)

    def retranslateUi(self) -> None:
        self._relabel()
        spoken = {
            "'": self.tr("Apostrophe"),
            "-": self.tr("Hyphen"),
            ".": self.tr("Period"),
            "@": self.tr("At sign"),
            "#": self.tr("Number sign"),
            "_": self.tr("Underscore"),
        }
        for rows in (ROWS, NUMBER_ROWS):
            for character in "".join(rows):
                if character.isalpha():
                    continue
                for name in (character, f"num:{character}"):
                    if name in self.keys:
                        self.keys[name].setText(character)
                        self.keys[name].setAccessibleName(spoken.get(character, character))
        names = {
            "shift": (self.tr("Shift"), self.tr("Capital letter")),
            "accent": (self.tr("á é ñ"), self.tr("Accented letter")),
            "space": (self.tr("Space"), self.tr("Space")),
            "backspace": (self.tr("⌫ Delete"), self.tr("Delete last character")),
            "numbers": (self.tr("123 #"), self.tr("Numbers and symbols")),
            "dotcom": (".com", ".com"),
        }
        for key, (text, accessible) in names.items():
            self.keys[key].setText(text)
            self.keys[key].setAccessibleName(accessible)
        if self.keys["numbers"].isChecked():
            self.keys["numbers"].setText(self.tr("abc"))
            self.keys["numbers"].setAccessibleName(self.tr("Letters"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)
