"""This kiosk's outbox as staff see it: each entry's state, tries and last error;
"Retry now" sends what waits; a failed or conflicting entry can be discarded."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from kiosk.requests import DiscardOutboxEntry, LoadOutbox, RetryOutbox
from kiosk.staff import OutboxRow
from ui.formats import time_of_day
from ui.messages import known_message
from ui.screens.staff_list import StaffListScreen
from ui.widgets.common import touch_button


def _state(state: str) -> str:
    names = {
        "pending": QCoreApplication.translate("StaffOutbox", "Waiting"),
        "sent": QCoreApplication.translate("StaffOutbox", "Sent"),
        "conflict": QCoreApplication.translate("StaffOutbox", "Conflict"),
        "failed": QCoreApplication.translate("StaffOutbox", "Failed"),
        "discarded": QCoreApplication.translate("StaffOutbox", "Discarded"),
    }
    return names.get(state, state)


def _operation(operation: str) -> str:
    names = {
        "create_account": QCoreApplication.translate("StaffOutbox", "Sign-up"),
        "report_sign_up_conflict": QCoreApplication.translate("StaffOutbox", "Conflict report"),
        "record_audit_event": QCoreApplication.translate("StaffOutbox", "Staff action record"),
        "link_resident": QCoreApplication.translate("StaffOutbox", "Loved one to add"),
        "report_link_conflict": QCoreApplication.translate("StaffOutbox",
                                                           "Loved one report"),
    }
    return names.get(operation, operation)


def row_text(row: OutboxRow) -> str:
    text = QCoreApplication.translate(
        "StaffOutbox", "#{id} {operation} at {time}: {state}, {attempts} tries").format(
            id=row.id, operation=_operation(row.operation),
            time=time_of_day(row.created_at.isoformat()), state=_state(row.state),
            attempts=row.attempts)
    if row.last_error:
        text += QCoreApplication.translate("StaffOutbox", " (last error: {error})").format(
            # In the language on screen when the kiosk knows the code; else its words, which
            # may wrap ("secret_lost" is one word too wide for a narrow form).
            error=known_message(row.last_error) or row.last_error.replace("_", " "))
    answer = problem_text(row)
    if answer:
        text += "\n" + answer
    return text


def problem_text(row: OutboxRow) -> str:
    """Why a failed or conflicting entry was closed: the kiosk's own sentence for the
    server's problem code, in the language on screen (issue 19); for a code the kiosk does
    not know, the server's title and detail as it wrote them (in English), else the code
    when the row does not show it already; "" for an entry not closed by a no."""
    if row.state not in ("failed", "conflict", "discarded"):
        return ""
    known = known_message(row.problem_code) if row.problem_code else None
    if known is not None and row.problem_code != row.last_error:
        return QCoreApplication.translate("StaffOutbox", "Server said: {answer}").format(
            answer=known)
    if known is not None:
        return ""
    words = row.problem_title
    if row.problem_detail and row.problem_detail != row.problem_title:
        words = f"{words}: {row.problem_detail}" if words else row.problem_detail
    if not words and row.problem_code != row.last_error:
        words = row.problem_code.replace("_", " ")
    if not words:
        return ""
    return QCoreApplication.translate("StaffOutbox", "Server said: {answer}").format(
        answer=words)


class StaffOutboxScreen(StaffListScreen):
    """Signals: completed() with ``values()["outbox_row"]`` (a discardable row);
    request_made(LoadOutbox | RetryOutbox)."""

    name = "staff_outbox"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.outbox: list[OutboxRow] | None = None
        self.chosen: OutboxRow | None = None
        self.retry_button = touch_button("primaryButton", self)
        self.retry_button.clicked.connect(lambda: self.request_made.emit(RetryOutbox()))
        self.buttons.addWidget(self.retry_button)
        self.action_button = self.retry_button
        self.retranslateUi()

    def show_data(self, data: Mapping[str, Any]) -> None:
        rows = data.get("outbox")
        self.set_rows(rows if isinstance(rows, list) else None)

    def take_answer(self, request: object, answer: object) -> None:
        if isinstance(request, LoadOutbox | RetryOutbox | DiscardOutboxEntry) and isinstance(
                answer, list):
            self.set_rows(answer)

    def set_rows(self, rows: list[OutboxRow] | None) -> None:
        self.outbox = rows
        self.rows.set_choices([(row_text(r), row_text(r)) for r in rows or []])
        for button, row in zip(self.rows.buttons, rows or [], strict=True):
            button.setEnabled(row.discardable)
        self._summarize()

    def _summarize(self) -> None:
        rows = self.outbox
        if rows is None:
            text = self.tr("Loading the outbox…")
        elif not rows:
            text = self.tr("The outbox is empty.")
        else:
            waiting = sum(1 for r in rows if r.state == "pending")
            text = self.tr("{waiting} waiting to be sent. Choose a failed entry or a conflict"
                           " to discard it.").format(waiting=waiting)
        self.summary.setText(text)
        self.summary.setAccessibleName(text)

    def _chosen(self, index: int) -> None:
        if self.outbox is not None and 0 <= index < len(self.outbox):
            row = self.outbox[index]
            if row.discardable:
                self.chosen = row
                self.completed.emit()

    def values(self) -> dict[str, Any]:
        return {} if self.chosen is None else {"outbox_row": self.chosen}

    def reload(self) -> None:
        self.request_made.emit(LoadOutbox())

    def reset(self) -> None:
        self.chosen = None
        self.set_rows(None)
        super().reset()

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        self.reload_button.setEnabled(not busy)

    def retranslateUi(self) -> None:
        self.title.setText(self.tr("This kiosk's outbox"))
        if hasattr(self, "retry_button"):
            self.retry_button.setText(self.tr("Retry now"))
            self.retry_button.setAccessibleName(self.tr("Send everything waiting now"))
        if hasattr(self, "outbox"):
            self.set_rows(self.outbox)  # the rows' words are translated too
        super().retranslateUi()
