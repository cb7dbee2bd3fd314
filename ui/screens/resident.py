"""Registration step 2: find the loved one at the chosen facility by name or ID number."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject
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
    SCROLL_BAR,
    TOUCH_MIN,
    room_for,
    touch_button,
)
from ui.widgets.keyboard import OnScreenKeyboard
from ui.widgets.screen_stack import ShrinkingScroll

MIN_QUERY = 2


COLUMN_MIN_WIDTH = 420  # px


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
        # Under the column (a narrow or large-text screen) there is no room for the
        # keyboard and the matches both (issue 19): the keyboard while the family types,
        # the matches once a search found some; touching the field brings the keyboard.
        self._typing = True
        self.query.installEventFilter(self)
        search_row = self._search_row = QHBoxLayout()
        search_row.addWidget(self.query, 1)
        search_row.addWidget(self.search_button)
        # The question and the facility scroll on their own when the field, the keyboard
        # or the matches need the room (large text under the keyboard, issue 19).
        self.heading = QWidget(self)
        self.heading.setObjectName("residentHeading")
        heading = QVBoxLayout(self.heading)
        heading.setContentsMargins(0, 0, 0, 0)
        heading.setSpacing(12)
        heading.addWidget(self.title)
        heading.addWidget(self.facility_label)
        self.heading_scroll = ShrinkingScroll(self)
        self.heading_scroll.setObjectName("residentHeadingScroll")
        self.heading_scroll.setWidget(self.heading)
        left = QVBoxLayout()
        left.setSpacing(12)
        left.addWidget(self.heading_scroll, 1)
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
        # The search field and its button never scroll away (issue 19): only the list of
        # matches scrolls, in its own room between them and the keyboard. Narrower than
        # this, the title would wrap a word a line: the keyboard goes under the column.
        column = self._column = QWidget(self)
        column.setObjectName("formColumn")
        column.setLayout(left)
        column.setMinimumWidth(COLUMN_MIN_WIDTH)
        # Room for one match at least, whatever else the column holds.
        self.results.setMinimumHeight(80 + 12)
        layout.addWidget(column, 5)
        layout.addLayout(right, 6)
        self.retranslateUi()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._arrange()
        super().resizeEvent(event)

    def event(self, event: QEvent) -> bool:
        # Large text or a language switched on this screen: its sizes changed, not the
        # window's; the keyboard may no longer fit beside the column (or now fit).
        if event.type() == QEvent.Type.LayoutRequest:
            self._arrange()
        return super().event(event)

    def _arrange(self) -> None:
        # On a narrow screen the keyboard's ten 64 px keys take most of the width: smaller
        # margins, and beside the keyboard the Search button goes under the field instead
        # of beside it (under the keyboard the column has the window's width).
        room = room_for(self)
        narrow = room < NARROW_WIDTH
        self._layout.setContentsMargins(*((12, 12, 12, 16) if narrow else (32, 16, 32, 24)))
        self._layout.setSpacing(16 if narrow else 32)
        self._side_by_side_or_stacked(room)
        under = narrow and self._beside_keyboard()
        self._search_row.setDirection(
            QBoxLayout.Direction.TopToBottom if under else QBoxLayout.Direction.LeftToRight
        )
        self._show_mode()
        # Never taller than the heading: where there is room the rest goes to the matches.
        self.heading_scroll.setMaximumHeight(self._heading_height(room))

    def _column_width(self, room: int, beside: bool) -> int:
        margins = self._layout.contentsMargins()
        width = room - margins.left() - margins.right() - SCROLL_BAR
        if beside:
            width = max(self._column.minimumWidth(),
                        (width - self._layout.spacing()) * 5 // 11)
        return width

    def _heading_height(self, room: int) -> int:
        layout = self.heading.layout()
        width = self._column_width(room, self._beside_keyboard())
        if layout is None or not layout.hasHeightForWidth():
            return self.heading.sizeHint().height()
        return layout.heightForWidth(width)

    def _side_by_side_or_stacked(self, room: int) -> None:
        """``side_by_side_or_stacked`` with the keyboard's width whether it shows or not:
        hidden while the matches show, it must not then fit beside the column (the
        keyboard would come back beside it, squeezing the column)."""
        layout = self._layout
        margins = layout.contentsMargins()
        need = (margins.left() + margins.right() + layout.spacing()
                + (self._column.minimumWidth() or self._column.minimumSizeHint().width())
                + self.keyboard.minimumSizeHint().width())
        beside = need + SCROLL_BAR <= room and self._column_fits_beside(room)
        direction = (QBoxLayout.Direction.LeftToRight if beside
                     else QBoxLayout.Direction.TopToBottom)
        if layout.direction() != direction:
            layout.setDirection(direction)
            beside = direction == QBoxLayout.Direction.LeftToRight
            for index, stretch in enumerate((5, 6) if beside else (1, 0)):
                layout.setStretch(index, stretch)

    def _column_fits_beside(self, room: int) -> bool:
        """Whether the column, in its share of the width beside the keyboard, is no
        taller than the window (large text at 1280x800 wrapped its title to four lines
        there, and the whole screen scrolled): else the keyboard goes under it, where the
        family has the keyboard or the matches."""
        viewport = self.parentWidget()
        height = viewport.height() if viewport is not None else self.height()
        margins = self._layout.contentsMargins()
        width = self._column_width(room, True)
        column = self._column.layout()
        heading = self.heading.layout()
        if column is None or not column.hasHeightForWidth() or heading is None:
            return True
        # The heading whole: beside the keyboard it is not to scroll.
        tall = (column.heightForWidth(width) - self.heading_scroll.sizeHint().height()
                + heading.heightForWidth(width))
        if self.results.isHidden():  # beside the keyboard the matches show too
            tall += self.results.minimumHeight() + column.spacing()
        return tall <= height - margins.top() - margins.bottom()

    def _beside_keyboard(self) -> bool:
        return self._layout.direction() == QBoxLayout.Direction.LeftToRight

    def _show_mode(self) -> None:
        """Beside the keyboard, the matches under the field as always; under it, the
        keyboard while typing and the matches once found (``_typing``)."""
        picking = bool(self.matches) and not self._typing
        beside = self._beside_keyboard()
        self.keyboard.setVisible(beside or not picking)
        self.results.setVisible(beside or picking)
        text = self.status_label.text()
        self.status_label.setVisible(bool(text) and (beside or picking or not self.matches))

    def _type(self) -> None:
        if not self._typing:
            self._typing = True
            self._show_mode()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.query and event.type() in (
                QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress):
            self._type()
        return super().eventFilter(watched, event)

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
        self._typing = not self.matches  # none found: the family types again
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
        self._typing = True
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
        self._show_mode()

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
