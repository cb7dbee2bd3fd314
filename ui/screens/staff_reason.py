"""A reason typed on the on-screen keyboard, for a staff action that needs one (resolving
a sign-up conflict, discarding an outbox entry); the subclass says what it is for."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from kiosk.validation import InvalidInput, Problem
from ui.screens.form import KEYBOARD, FormScreen

REASON_MAX = 500


def _reason(text: str) -> str:
    reason = " ".join(text.split())
    if not reason:
        raise InvalidInput("staff_reason", Problem.REQUIRED)
    return reason


class StaffReasonScreen(FormScreen):
    """Signals: completed() with a non-empty reason."""

    # At 1024 px the reason, what the step asks and a refusal take the window's width,
    # over the keyboard: beside it they had 270 px, and the hint scrolled mid-sentence.
    stack_when_narrow = True

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__([["staff_reason"]], {"staff_reason": KEYBOARD}, parent=parent)
        self.reason = self.line_edit("staff_reason")
        self.reason.setMaxLength(REASON_MAX)
        self.about = QLabel(self)
        self.about.setObjectName("summaryValue")
        self.about.setWordWrap(True)
        # Under the title and what it asks: read-only, it scrolls with them when the reason
        # and the button would not fit under it (issue 19).
        self._heading_layout.addWidget(self.about)
        self.cleaned: str | None = None

    def validate_fields(self) -> bool:
        self.cleaned = self.check(lambda: _reason(self.reason.text()))
        return self.cleaned is not None

    def values(self) -> dict[str, Any]:
        return {} if self.cleaned is None else {"staff_reason": self.cleaned}

    def reset(self) -> None:
        self.cleaned = None
        super().reset()

    def action_text(self) -> str:
        raise NotImplementedError

    def retranslateUi(self) -> None:
        super().retranslateUi()
        self.next_button.setText(self.action_text())
        self.next_button.setAccessibleName(self.action_text())
