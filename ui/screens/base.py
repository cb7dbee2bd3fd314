"""What every screen shares: a title, a notice line for problems, a busy indicator, the
signals the router listens to, ``reset()`` and live re-translation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QWidget

from ui.widgets.notice import Notice

if TYPE_CHECKING:
    # Named in annotations only: the attract screen, on the kiosk's first frame, needs
    # neither the request table nor the messages (docs/performance.md).
    from kiosk.domain import Refusal
    from kiosk.requests import PrintReceipt


class Screen(QWidget):
    """Base of all screens. Subclasses build their widgets, then call ``retranslateUi()``.

    A screen renders one step of any journey: it reads the journey's data in
    ``show_data()``, hands back what the family entered in ``values()``, and knows nothing
    of what comes before or after it.

    Signals:
        completed(): the screen's one decision is made; the router moves on.
        request_made(object): a ``kiosk.requests`` request for this screen (search, reload).
        jump_requested(str): go to another step or "journey:" (a button to another journey).
        edit_requested(str): change an earlier step, then come back here.
        language_chosen(Language): a language was chosen on this screen.
        problem_shown(str): an error message appeared (Read aloud says it).
    """

    completed = Signal()
    request_made = Signal(object)
    jump_requested = Signal(str)
    edit_requested = Signal(str)
    language_chosen = Signal(object)
    problem_shown = Signal(str)
    name = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"screen_{self.name}")
        self._notice_problem: tuple[str, str] | None = None
        self.action_button: QPushButton | None = None
        self.title = QLabel(self)
        self.title.setObjectName("title")
        self.title.setWordWrap(True)
        self.notice = Notice(self)
        self.notice.hide()
        self.busy_indicator = QProgressBar(self)
        self.busy_indicator.setObjectName("busy")
        self.busy_indicator.setRange(0, 0)
        self.busy_indicator.setTextVisible(False)
        self.busy_indicator.setFixedHeight(12)
        self.busy_indicator.hide()

    # -- what the main window calls -------------------------------------------------------

    def on_enter(self) -> None:
        """Called each time the screen is shown; puts the focus on the first control."""
        first = self.first_focus()
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def first_focus(self) -> QWidget | None:
        return self.action_button

    def back_within_step(self) -> bool:
        """Back was asked for: True when the screen went back within its own step (a form
        shown a page of fields at a time, on a later page), False to leave the step."""
        return False

    def show_data(self, data: Mapping[str, Any]) -> None:
        """Called before ``on_enter()`` with the journey's data so far."""

    def values(self) -> dict[str, Any]:
        """What the family entered or chose here, for the journey's data."""
        return {}

    def request_sent(self, request: object) -> None:
        """A request for this screen is on its way (show that it is loading)."""

    def show_device_state(self, cash_available: bool, cash_alert: str) -> None:
        """Called on entering, and when the note acceptor's state changes: whether cash can
        be taken, and its alert for staff ("" when it is well)."""

    def take_paper_receipt(self) -> PrintReceipt | None:
        """What to print on entering, where a receipt printer is configured: a payment's
        receipt, the cash box's count slip; None (the default) prints nothing."""
        return None

    def take_answer(self, request: object, answer: object) -> None:
        """The answer to a request this screen's step sent."""

    def take_device_event(self, event: object) -> None:
        """A device's news (the card reader's, ``kiosk.devices.reader_events``) while this
        screen is on show; only a screen that started a payment listens."""

    def show_refusal(self, refusal: Refusal) -> None:
        """A request for this screen was refused; the default shows its message."""
        self.show_problem(refusal.code, refusal.field)

    def reset(self) -> None:
        """Forget everything the family entered or chose here."""
        self.clear_problems()
        self.set_busy(False)

    def set_busy(self, busy: bool) -> None:
        self.busy_indicator.setVisible(busy)
        if self.action_button is not None:
            self.action_button.setEnabled(not busy)

    def owns_field(self, field: str) -> bool:
        return False

    def show_problem(self, code: str, field: str = "") -> None:
        """Show a problem next to ``field`` if this screen has it, else in the notice line."""
        self._notice_problem = (code, field)
        self._show_notice()
        self.problem_shown.emit(self.notice_text())

    def clear_problems(self) -> None:
        self._notice_problem = None
        self._show_notice()

    def notice_text(self) -> str:
        return self.notice.whole if self._notice_problem is not None else ""

    # -- translation ----------------------------------------------------------------------

    def retranslateUi(self) -> None:
        """Subclasses set their texts here, then call ``super().retranslateUi()``."""
        self.busy_indicator.setAccessibleName(
            QCoreApplication.translate("Screen", "Working, please wait")
        )
        self.title.setAccessibleName(self.title.text())
        self._show_notice()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def _show_notice(self) -> None:
        if self._notice_problem is None:
            self.notice.set_whole("")
            self.notice.hide()
            return
        from ui.messages import message_for

        text = message_for(*self._notice_problem)
        self.notice.set_whole(text)
        self.notice.show()
