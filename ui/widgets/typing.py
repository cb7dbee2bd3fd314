"""What the keyboard and keypad type into: the focused line edit of their screen."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLineEdit

TypingTarget = Callable[[], QLineEdit | None]


def usable(edit: QLineEdit | None) -> QLineEdit | None:
    """``edit`` if a key may type into it now, else None."""
    if edit is None or not edit.isEnabled() or edit.isReadOnly():
        return None
    return edit
