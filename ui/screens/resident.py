"""Registration step 2: find the loved one at the chosen facility by name or ID number."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain import FacilitySummary, ResidentMatch
from kiosk.requests import SearchResidents
from ui.screens.base import Screen
from ui.screens.choice_list import ChoiceList
from ui.widgets.common import (
    NARROW_WIDTH,
    TOUCH_MIN,
    room_for,
    side_by_side_or_stacked,
    touch_button,
)
from ui.widgets.keyboard import OnScreenKeyboard
from ui.widgets.screen_stack import VerticalScroll

MIN_QUERY = 2


class ResidentScreen(Screen):
    """Search box with the keyboard, and the matches as large buttons.

    Signals:
        request_made(SearchResidents): the family asked to search at the chosen facility.
        completed(): a match was chosen (``selected_resident``).
    """

    name = "resident"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.matches: list[ResidentMatch] = []
        self.selected_resident: ResidentMatch | None = None
        self._searched = False
        self.facility_label = QLabel(self)
        self.facility_label.setObjectName("subtitle")
        self.facility_label.setWordWrap(True)
        self._facility_name = ""
        self._facility_id = ""
        self.query_label = QLabel(self)
        self.query_label.setObjectName("fieldLabel")
        self.query_label.setWordWrap(True)
        self.query = QLineEdit(self)
        self.query.setObjectName("query")
        self.query.setMinimumHeight(TOUCH_MIN)
        self.query.setMaxLength(60)
        self.query.returnPressed.connect(self.search)
        self.query_label.setBuddy(self.query)
        self.search_button = touch_button("primaryButton", self)
        self.search_button.clicked.connect(self.search)
        # As tall as the field beside it: a fixed-height button would cap the row's height
        # and squeeze the field's large text.
        self.search_button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.action_button = self.search_button
        self.status_label = QLabel(self)
        self.status_label.setObjectName("status")
        self.status_label.setWordWrap(True)
        self.results = ChoiceList(self._choose, self)
        self.keyboard = OnScreenKeyboard(lambda: self.query, self)
        search_row = self._search_row = QHBoxLayout()
        search_row.addWidget(self.query, 1)
        search_row.addWidget(self.search_button)
        left = QVBoxLayout()
        left.setSpacing(12)
        left.addWidget(self.title)
        left.addWidget(self.facility_label)
        left.addWidget(self.query_label)
        left.addLayout(search_row)
        left.addWidget(self.busy_indicator)
        left.addWidget(self.notice)
        left.addWidget(self.status_label)
        left.addWidget(self.results, 1)
        right = QVBoxLayout()
        right.addStretch(1)
        right.addWidget(self.keyboard)
        layout = self._layout = QHBoxLayout(self)
        layout.setContentsMargins(32, 16, 32, 24)
        layout.setSpacing(32)
        # Only the column scrolls (large text, 768 px tall): the keyboard stays in view.
        column = QWidget(self)
        column.setObjectName("formColumn")
        column.setLayout(left)
        self.column_scroll = VerticalScroll(self)
        self.column_scroll.setObjectName("formScroll")
        self.column_scroll.setWidget(column)
        # Room for two matches at least, whatever else the column holds.
        self.results.setMinimumHeight(2 * 80 + 12)
        layout.addWidget(self.column_scroll, 5)
        layout.addLayout(right, 6)
        self.retranslateUi()

    def resizeEvent(self, event: QResizeEvent) -> None:
        # On a narrow screen the keyboard's ten 64 px keys take most of the width: smaller
        # margins, and the Search button goes under the field instead of beside it.
        room = room_for(self)
        narrow = room < NARROW_WIDTH
        self._search_row.setDirection(
            QBoxLayout.Direction.TopToBottom if narrow else QBoxLayout.Direction.LeftToRight
        )
        self._layout.setContentsMargins(*((12, 12, 12, 16) if narrow else (32, 16, 32, 24)))
        self._layout.setSpacing(16 if narrow else 32)
        side_by_side_or_stacked(self._layout, room, (5, 6))
        super().resizeEvent(event)

    @property
    def result_buttons(self) -> list[QPushButton]:
        return self.results.buttons

    def set_facility_name(self, name: str) -> None:
        self._facility_name = name
        self.retranslateUi()

    def show_data(self, data: Mapping[str, Any]) -> None:
        facility = data.get("facility")
        if not isinstance(facility, FacilitySummary):
            return
        if facility.id != self._facility_id:
            # Residents belong to a facility: a new facility means finding them again there.
            self.reset()
            self._facility_id = facility.id
        self.set_facility_name(facility.name)

    def values(self) -> dict[str, Any]:
        return {"resident": self.selected_resident}

    def take_answer(self, request: object, answer: object) -> None:
        if isinstance(request, SearchResidents) and isinstance(answer, list):
            self.set_matches(answer)

    def search(self) -> None:
        if not self.search_button.isEnabled():
            return
        text = " ".join(self.query.text().split())
        self.clear_problems()
        if len(text) < MIN_QUERY:
            self._searched = False
            self.set_matches([])
            self.status_label.setText(
                self.tr("Type at least 2 letters of their name, or their ID number.")
            )
            self.status_label.show()
            self.query.setFocus()
            return
        self.request_made.emit(SearchResidents(self._facility_id, text))

    def set_matches(self, matches: Sequence[ResidentMatch]) -> None:
        self._searched = True
        self.matches = list(matches)
        self._show_matches()

    def _choose(self, index: int) -> None:
        self.selected_resident = self.matches[index]
        self.completed.emit()

    def first_focus(self) -> QWidget | None:
        return self.query

    def reset(self) -> None:
        self._facility_id = ""
        self.query.clear()
        self.matches = []
        self.selected_resident = None
        self._searched = False
        self.results.clear()
        self.keyboard.reset()
        super().reset()
        self._show_matches()

    def _show_matches(self) -> None:
        self.results.set_choices(
            [
                (
                    self.tr("{name}\nID {number}").format(
                        name=m.display_name, number=m.resident_number
                    ),
                    self.tr("{name}, ID number {number}").format(
                        name=m.display_name, number=m.resident_number
                    ),
                )
                for m in self.matches
            ]
        )
        if self._searched and not self.matches:
            text = self.tr("No one found. Check the spelling, or try their ID number.")
        elif self.matches:
            text = self.tr("Touch the right person:")
        else:
            text = ""
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))

    def retranslateUi(self) -> None:
        self.title.setText(self.tr("Who do you want to stay in touch with?"))
        if self._facility_name:
            self.facility_label.setText(
                self.tr("At {facility}").format(facility=self._facility_name)
            )
        else:
            self.facility_label.clear()
        self.query_label.setText(self.tr("Their name or ID number"))
        self.query.setAccessibleName(self.tr("Their name or ID number"))
        self.search_button.setText(self.tr("Search"))
        self.search_button.setAccessibleName(self.tr("Search"))
        self._show_matches()
        super().retranslateUi()
