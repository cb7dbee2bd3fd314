"""The staff home: helping a family sign up or use their account, sign-up conflicts, and
this kiosk's outbox; the note acceptor's alert and which card reader the kiosk has."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.domain import Refusal
from kiosk.flows.staff import CARD_READER
from kiosk.requests import CardReaderInfo, LoadCardReader
from ui import formats
from ui.screens.base import Screen
from ui.screens.staff_cash_box import alert_text
from ui.widgets.common import WrappingButton


class StaffHomeScreen(Screen):
    """Signals: completed() with ``values()["staff_choice"]`` naming the next step."""

    name = "staff_home"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choice = ""
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("subtitle")
        self.subtitle.setWordWrap(True)
        self.conflicts_button = self._choice_button("staff_conflicts")
        self.outbox_button = self._choice_button("staff_outbox")
        self.help_button = self._choice_button("staff_photo_id")
        self.family_button = self._choice_button("sign_in:")
        self.cash_button = self._choice_button("staff_cash_box")
        self.doubt_button = self._choice_button("staff_cash_doubt")
        self.alert_label = QLabel(self)
        self.alert_label.setObjectName("notice")
        self.alert_label.setWordWrap(True)
        self.alert_label.hide()
        # The card reader the server has registered to this kiosk (asked on each showing).
        self.reader_label = QLabel(self)
        self.reader_label.setObjectName("status")
        self.reader_label.setWordWrap(True)
        self._reader: CardReaderInfo | str | None = "asking"  # or "unknown"
        self.action_button = self.help_button
        layout = QVBoxLayout(self)
        layout.setContentsMargins(120, 16, 120, 16)
        layout.setSpacing(12)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.alert_label)
        for button in (self.help_button, self.family_button, self.conflicts_button,
                       self.outbox_button, self.cash_button, self.doubt_button):
            layout.addWidget(button)
        layout.addStretch(1)
        layout.addWidget(self.reader_label)
        layout.addWidget(self.notice)
        self.retranslateUi()

    def _choice_button(self, step: str) -> WrappingButton:
        button = WrappingButton("choiceButton", self)
        button.setMinimumHeight(80)
        button.clicked.connect(lambda: self._choose(step))
        return button

    def _choose(self, step: str) -> None:
        self._choice = step
        self.completed.emit()

    def show_device_state(self, cash_available: bool, cash_alert: str) -> None:
        # The note acceptor's staff alert (a jam, a full cashbox, ...), until it is well.
        text = alert_text(cash_alert)
        self.alert_label.setText(text)
        self.alert_label.setAccessibleName(text)
        self.alert_label.setVisible(bool(text))

    def show_data(self, data: Mapping[str, Any]) -> None:
        self._reader = CARD_READER.of(data) if CARD_READER in data else "asking"
        self._show_reader()

    def show_refusal(self, refusal: Refusal) -> None:
        # Only the reader's question is asked from here: the central API did not answer it
        # (offline, or staff signed in offline). The buttons still work.
        self._reader = "unknown"
        self._show_reader()

    def take_answer(self, request: object, answer: object) -> None:
        if isinstance(request, LoadCardReader):
            self._reader = answer if isinstance(answer, CardReaderInfo) else None
            self._show_reader()

    def _show_reader(self) -> None:
        reader = self._reader
        if isinstance(reader, CardReaderInfo):
            text = self.tr("Card reader: {reader}, registered {day}.").format(
                reader=reader.label or reader.reader_ref,
                day=formats.day(reader.registered_at.isoformat()))
        elif reader is None:
            text = self.tr("No card reader is registered to this kiosk: families cannot pay "
                           "on a reader. A supervisor registers one.")
        elif reader == "unknown":
            text = self.tr("Card reader: not known now (the central API did not answer).")
        else:
            text = self.tr("Card reader: asking the central API…")
        self.reader_label.setText(text)
        self.reader_label.setAccessibleName(text)

    def values(self) -> dict[str, Any]:
        return {"staff_choice": self._choice}

    def reset(self) -> None:
        self._choice = ""
        super().reset()

    def retranslateUi(self) -> None:
        self.title.setText(self.tr("Staff"))
        self.subtitle.setText(self.tr("What do you need to do?"))
        for button, text in (
            (self.help_button, self.tr("Help a family sign up")),
            (self.family_button, self.tr("Help a family who has an account")),
            (self.conflicts_button, self.tr("Sign-up conflicts")),
            (self.outbox_button, self.tr("This kiosk's outbox")),
            (self.cash_button, self.tr("Cash box")),
            (self.doubt_button, self.tr("Notes in doubt")),
        ):
            button.setText(text)
            button.setAccessibleName(text)
        self._show_reader()
        super().retranslateUi()
