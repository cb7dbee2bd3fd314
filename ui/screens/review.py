"""Last registration step: everything the family entered, in plain words, with an Edit
button per section and "Create account"."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.domain import FacilitySummary, Registration, ResidentMatch
from kiosk.flows.registration import registration_from
from ui.formats import phone
from ui.screens.base import Screen
from ui.widgets.common import NARROW_WIDTH, room_for, touch_button

# Section key -> the screen its Edit button opens.
SECTIONS = ("resident", "register_name", "register_contact", "register_address", "register_pin")


@dataclass(frozen=True, slots=True)
class ReviewSummary:
    """What the review screen shows; names come from the facility and resident chosen."""

    registration: Registration
    facility_name: str
    resident_name: str


class ReviewScreen(Screen):
    """Signals:
    edit_requested(str): the name of the screen whose section the family wants to change.
    completed(): "Create account" was pressed.
    """

    name = "review"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary: ReviewSummary | None = None
        self.section_titles: dict[str, QLabel] = {}
        self.section_values: dict[str, QLabel] = {}
        self.edit_buttons: dict[str, QPushButton] = {}
        sheet = QFrame(self)
        sheet.setObjectName("reviewSheet")
        grid = self._grid = QGridLayout(sheet)
        grid.setContentsMargins(24, 12, 24, 12)
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(8)
        grid.setColumnStretch(1, 1)
        for row, section in enumerate(SECTIONS):
            title = QLabel(sheet)
            title.setObjectName("sectionTitle")
            title.setWordWrap(True)
            value = QLabel(sheet)
            value.setObjectName("sectionValue")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            edit = touch_button("secondaryButton", sheet)
            edit.clicked.connect(lambda _=False, s=section: self.edit_requested.emit(s))
            grid.addWidget(title, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, row, 1)
            grid.addWidget(edit, row, 2)
            self.section_titles[section] = title
            self.section_values[section] = value
            self.edit_buttons[section] = edit
        self.create_button = touch_button("primaryButton", self)
        self.create_button.clicked.connect(self.completed)
        self.action_button = self.create_button
        layout = self._layout = QVBoxLayout(self)
        layout.setContentsMargins(64, 12, 64, 20)
        layout.setSpacing(12)
        layout.addWidget(self.title)
        layout.addWidget(sheet)
        layout.addStretch(1)
        layout.addWidget(self.notice)
        layout.addWidget(self.busy_indicator)
        layout.addWidget(self.create_button)
        self.retranslateUi()

    def resizeEvent(self, event: QResizeEvent) -> None:
        # Narrow screen, large text: a long e-mail address needs the room margins took.
        narrow = room_for(self) < NARROW_WIDTH
        side = 8 if narrow else 64
        self._layout.setContentsMargins(side, 12, side, 20)
        self._grid.setContentsMargins(*((8, 8, 8, 8) if narrow else (24, 12, 24, 12)))
        self._grid.setHorizontalSpacing(8 if narrow else 24)
        super().resizeEvent(event)

    def show_data(self, data: Mapping[str, Any]) -> None:
        registration = registration_from(data)
        facility = data.get("facility")
        resident = data.get("resident")
        if (
            registration is None
            or not isinstance(facility, FacilitySummary)
            or not isinstance(resident, ResidentMatch)
        ):
            self.reset()
            return
        self.set_summary(ReviewSummary(registration, facility.name, resident.display_name))

    def set_summary(self, summary: ReviewSummary) -> None:
        self.summary = summary
        self._show_values()

    def reset(self) -> None:
        self.summary = None
        super().reset()
        self._show_values()

    def _show_values(self) -> None:
        values = dict.fromkeys(SECTIONS, "")
        if self.summary is not None:
            r = self.summary.registration
            a = r.address
            street = f"{a.line1}, {a.line2}" if a.line2 else a.line1
            values = {
                "resident": self.tr("{resident} at {facility}").format(
                    resident=self.summary.resident_name, facility=self.summary.facility_name
                ),
                "register_name": f"{r.first_name} {r.last_name}",
                "register_contact": f"{phone(r.phone_e164)}\n{r.email}",
                "register_address": f"{street}\n{a.city}, {a.state} {a.postal_code}",
                "register_pin": self.tr("Chosen (hidden for your privacy)"),
            }
        for section, text in values.items():
            self.section_values[section].setText(text)
            self.section_values[section].setAccessibleName(
                f"{self.section_titles[section].text()}: {text}"
            )

    def retranslateUi(self) -> None:
        self.title.setText(self.tr("Please check your details"))
        titles = {
            "resident": self.tr("Your loved one"),
            "register_name": self.tr("Your name"),
            "register_contact": self.tr("Phone and email"),
            "register_address": self.tr("Address"),
            "register_pin": self.tr("PIN"),
        }
        for section, text in titles.items():
            self.section_titles[section].setText(text)
            self.edit_buttons[section].setText(self.tr("Edit"))
            self.edit_buttons[section].setAccessibleName(
                self.tr("Edit: {section}").format(section=text)
            )
        self.create_button.setText(self.tr("Create account"))
        self.create_button.setAccessibleName(self.tr("Create account"))
        self._show_values()
        super().retranslateUi()
