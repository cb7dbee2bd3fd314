"""Plan advisor, step 1: the family's own estimate of a month, on the keypad."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.validation import InvalidInput, Problem
from ui.screens.form import KEYPAD, FormScreen

FIELDS = ("calls_per_month", "average_minutes", "video_sessions_per_month")


def _count(field: str, text: str, *, low: int, high: int) -> int:
    digits = text.strip()
    if not digits:
        raise InvalidInput(field, Problem.REQUIRED)
    if not digits.isascii() or not digits.isdigit() or not low <= int(digits) <= high:
        raise InvalidInput(field, Problem.COUNT_INVALID)
    return int(digits)


class AdvisorEstimateScreen(FormScreen):
    """Signals: completed() with the three counts in ``values()``."""

    name = "advisor_estimate"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__([[f] for f in FIELDS], dict.fromkeys(FIELDS, KEYPAD), parent=parent)
        for field in FIELDS:
            self.line_edit(field).setMaxLength(3)
        self.counts: dict[str, int] | None = None
        self.retranslateUi()

    def validate_fields(self) -> bool:
        calls = self.check(lambda: _count("calls_per_month", self.line_edit(
            "calls_per_month").text(), low=0, high=999))
        minutes = self.check(lambda: _count("average_minutes", self.line_edit(
            "average_minutes").text(), low=1, high=600))
        video = self.check(lambda: _count("video_sessions_per_month", self.line_edit(
            "video_sessions_per_month").text(), low=0, high=999))
        if calls is None or minutes is None or video is None:
            self.counts = None
            return False
        self.counts = {"calls_per_month": calls, "average_minutes": minutes,
                       "video_sessions_per_month": video}
        return True

    def values(self) -> dict[str, Any]:
        return dict(self.counts) if self.counts else {}

    def reset(self) -> None:
        self.counts = None
        super().reset()

    def retranslate_form(self) -> None:
        self.title.setText(self.tr("What costs you least?"))
        self.subtitle.setText(self.tr("A usual month; nothing is bought here."))
