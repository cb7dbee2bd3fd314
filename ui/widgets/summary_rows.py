"""A sheet of "title: value" rows, the way the kiosk shows what a family is about to pay,
has paid or is about to change (a quote, its terms, a receipt, a refund, a new loved one)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget


class SummaryRows(QFrame):
    """One row per key, in the order given. ``amounts`` puts the values on the right in the
    large value style (money to compare at a glance); otherwise values are text that wraps.
    ``compact`` packs the rows closer, for a screen with more to show below."""

    def __init__(
        self,
        keys: Sequence[str],
        parent: QWidget | None = None,
        *,
        amounts: bool = False,
        compact: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reviewSheet")
        self.keys = tuple(keys)
        grid = QGridLayout(self)
        if compact:
            grid.setContentsMargins(20, 10, 20, 10)
            grid.setHorizontalSpacing(20)
            grid.setVerticalSpacing(6)
        else:
            grid.setContentsMargins(24, 16, 24, 16)
            grid.setHorizontalSpacing(24)
            grid.setVerticalSpacing(10)
        grid.setColumnStretch(1, 1)
        self.titles: dict[str, QLabel] = {}
        self.values: dict[str, QLabel] = {}
        for row, key in enumerate(self.keys):
            title = QLabel(self)
            title.setObjectName("sectionTitle")
            title.setWordWrap(True)
            value = QLabel(self)
            value.setObjectName("sectionValue" if amounts else "status")
            value.setWordWrap(True)
            if amounts:
                value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                grid.addWidget(title, row, 0)
            else:
                grid.addWidget(title, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, row, 1)
            self.titles[key] = title
            self.values[key] = value

    def show_rows(self, titles: Mapping[str, str], values: Mapping[str, str]) -> None:
        """Set every row's title and value (a missing value shows empty); each value is read
        out with its title."""
        for key in self.keys:
            title, value = titles.get(key, ""), values.get(key, "")
            self.titles[key].setText(title)
            self.values[key].setText(value)
            self.values[key].setAccessibleName(f"{title}: {value}")
