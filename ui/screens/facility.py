"""Registration step 1: choose the facility where the loved one is held."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.domain import FacilitySummary
from kiosk.requests import LoadFacilities
from ui.screens.base import Screen
from ui.screens.choice_list import ChoiceList
from ui.widgets.common import touch_button


class FacilityScreen(Screen):
    """Lists the facilities the controller loaded, one large button each.

    Signals:
        request_made(LoadFacilities): "Try again" after loading failed.
        completed(): a facility was chosen (``selected_facility``).
    """

    name = "facility"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.facilities: list[FacilitySummary] = []
        self.selected_facility: FacilitySummary | None = None
        self._loading = False
        self._loaded = False
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("subtitle")
        self.subtitle.setWordWrap(True)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("status")
        self.status_label.setWordWrap(True)
        self.choices = ChoiceList(self._choose, self)
        self.retry_button = touch_button("secondaryButton", self)
        self.retry_button.clicked.connect(lambda: self.request_made.emit(LoadFacilities()))
        self.retry_button.hide()
        bottom = QHBoxLayout()
        bottom.addWidget(self.notice, 1)
        bottom.addWidget(self.retry_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(120, 16, 120, 24)
        layout.setSpacing(14)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.busy_indicator)
        layout.addWidget(self.status_label)
        layout.addWidget(self.choices, 1)
        layout.addLayout(bottom)
        self.retranslateUi()

    @property
    def facility_buttons(self) -> list[QPushButton]:
        return self.choices.buttons

    def values(self) -> dict[str, Any]:
        return {"facility": self.selected_facility}

    def request_sent(self, request: object) -> None:
        if isinstance(request, LoadFacilities):
            self.start_loading()

    def take_answer(self, request: object, answer: object) -> None:
        if isinstance(request, LoadFacilities) and isinstance(answer, list):
            self.set_facilities(answer)

    def start_loading(self) -> None:
        self._loading = True
        self.clear_problems()
        self.retry_button.hide()
        self._show_status()

    def set_facilities(self, facilities: Sequence[FacilitySummary]) -> None:
        self._loading = False
        self._loaded = True
        self.facilities = list(facilities)
        self._show_choices()
        self._show_status()

    def choose(self, facility_id: str) -> None:
        """Choose by id, as a tap on that facility's button would."""
        for index, facility in enumerate(self.facilities):
            if facility.id == facility_id:
                self._choose(index)
                return

    def _choose(self, index: int) -> None:
        self.selected_facility = self.facilities[index]
        self.completed.emit()

    def first_focus(self) -> QWidget | None:
        return self.facility_buttons[0] if self.facility_buttons else None

    def show_problem(self, code: str, field: str = "") -> None:
        self._loading = False
        self.retry_button.setVisible(not self.facilities)
        self._show_status()
        super().show_problem(code, field)

    def reset(self) -> None:
        self.facilities = []
        self.selected_facility = None
        self._loading = False
        self._loaded = False
        self.choices.clear()
        self.retry_button.hide()
        super().reset()
        self._show_status()

    def _show_choices(self) -> None:
        self.choices.set_choices(
            [
                (
                    self.tr("{name}  ·  {state}").format(name=f.name, state=f.state),
                    self.tr("{name}, in {state}").format(name=f.name, state=f.state),
                )
                for f in self.facilities
            ]
        )

    def _show_status(self) -> None:
        if self._loading:
            text = self.tr("Loading the list of facilities…")
        elif self._loaded and not self.facilities:
            text = self.tr("No facilities are available on this kiosk. Please ask staff for help.")
        else:
            text = ""
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))

    def retranslateUi(self) -> None:
        self.title.setText(self.tr("Where is your loved one?"))
        self.subtitle.setText(self.tr("Choose the facility."))
        self.retry_button.setText(self.tr("Try again"))
        self.retry_button.setAccessibleName(self.tr("Try loading the facilities again"))
        if self.facilities:
            self._show_choices()
        self._show_status()
        super().retranslateUi()
