"""The controller a window is built with while the kiosk's parts open on a worker.

Opening the keyring, the local store and the HTTP client (and importing SQLAlchemy,
``requests`` and the keyring's back-ends for them) takes most of a cold start. The kiosk's
first screen needs none of it, so ``kiosk.app.start_gui`` shows the window first with this
controller and opens the parts on the worker pool. Until they are open, requests wait here
in order; once the real workflow is attached, every request goes to it and its signals come
out of this one, so the window never knows which it talks to (docs/performance.md).

This module imports Qt and the task pool only (the request types in annotations): nothing
slow to import, so the controller exists before the first frame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.controller import KioskController
from kiosk.tasks import TaskRunner

if TYPE_CHECKING:
    from kiosk.requests import Request


class OpeningController(KioskController):
    """Stands in for the workflow until ``attach``; then passes everything through.

    Card payments count as available until the keyring is open (so the attract screen does
    not flash the "no card payments" banner); ``payments_changed`` says when they are not.
    """

    def __init__(self, tasks: TaskRunner, *, printer_configured: bool) -> None:
        super().__init__()
        self.tasks = tasks
        self._printer_configured = printer_configured
        self._inner: KioskController | None = None
        self._waiting: list[Request] = []
        self._payments_available = True

    @property
    def attached(self) -> KioskController | None:
        return self._inner

    @property
    def printer_available(self) -> bool:
        if self._inner is not None:
            return self._inner.printer_available
        return self._printer_configured

    @property
    def payments_available(self) -> bool:
        if self._inner is not None:
            return self._inner.payments_available
        return self._payments_available

    @property
    def cash_available(self) -> bool:
        return self._inner.cash_available if self._inner is not None else False

    @property
    def cash_alert(self) -> str:
        return self._inner.cash_alert if self._inner is not None else ""

    def request(self, request: Request) -> None:
        if self._inner is not None:
            self._inner.request(request)
            return
        self._waiting.append(request)
        if len(self._waiting) == 1:
            self.busy_changed.emit(True)

    def forget_family(self) -> None:
        # Nobody can have signed in before the parts were open: nothing to forget until then.
        if self._inner is not None:
            self._inner.forget_family()

    def forget_staff(self) -> None:
        if self._inner is not None:
            self._inner.forget_staff()

    def attach(self, workflow: KioskController) -> None:
        """GUI thread: the parts are open. Pass on ``workflow``'s signals, and send it the
        requests that waited, in the order they were made."""
        self._inner = workflow
        workflow.answered.connect(self.answered.emit)
        workflow.refused.connect(self.refused.emit)
        workflow.failed.connect(self.failed.emit)
        workflow.busy_changed.connect(self.busy_changed.emit)
        workflow.connection_changed.connect(self.connection_changed.emit)
        workflow.waiting_changed.connect(self.waiting_changed.emit)
        workflow.service_changed.connect(self.service_changed.emit)
        workflow.cash_event.connect(self.cash_event.emit)
        workflow.cash_changed.connect(self.cash_changed.emit)
        workflow.reader_event.connect(self.reader_event.emit)
        if workflow.payments_available != self._payments_available:
            self.payments_changed.emit(workflow.payments_available)
        waiting, self._waiting = self._waiting, []
        # Busy was announced for these; the workflow announces it again and ends it.
        for request in waiting:
            workflow.request(request)

    def fail(self, code: str = "server_error") -> None:
        """GUI thread: the parts could not be opened; every waiting request is refused."""
        from kiosk.domain import Refusal

        waiting, self._waiting = self._waiting, []
        for request in waiting:
            self.refuse(request, Refusal(code))
        if waiting:
            self.busy_changed.emit(False)
