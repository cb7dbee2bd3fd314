"""Renders the flow: shows the widget named by the current step, feeds it the journey's
data, sends the step's requests to the controller and moves on with the answers. It knows
no journey; the maps in ``kiosk.flows`` do."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QStackedWidget

from kiosk.controller import KioskController
from kiosk.domain import Refusal
from kiosk.flows.engine import UNREACHABLE_CODES, Flow
from kiosk.flows.staff import may_enter
from ui.i18n import current_language
from ui.screens.base import Screen

log = logging.getLogger(__name__)


class Router(QObject):
    """Signals:
    entered(str): a step's screen is now shown.
    finished(): the journey ended (or the family signed out): wipe the session.
    """

    entered = Signal(str)
    finished = Signal()

    def __init__(
        self,
        flow: Flow,
        controller: KioskController,
        screens: Mapping[str, Screen],
        stack: QStackedWidget,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.flow = flow
        self._controller = controller
        self._screens = screens
        self._stack = stack
        # Requests under way: (request, the step that sent it, whether it completes the step).
        self._pending: list[tuple[object, str, bool]] = []
        controller.answered.connect(self._answered)
        controller.refused.connect(self._refused)
        controller.reader_event.connect(self._reader_event)

    def add_screen(self, screen: Screen) -> None:
        """Listen to ``screen`` (the window calls this as it builds each screen)."""
        name = screen.name
        screen.completed.connect(lambda: self._completed(name))
        screen.request_made.connect(lambda request: self._send(request, name, False))
        screen.jump_requested.connect(self.jump)
        screen.edit_requested.connect(self._edit)

    # -- moving ---------------------------------------------------------------------------

    @property
    def step_name(self) -> str:
        return self.flow.step_name

    def render(self) -> None:
        if not may_enter(self.flow.journey.name, self.flow.data):
            # A family (or nobody) may never see a staff screen, however it was reached.
            log.warning("refused step %s without staff sign-in", self.flow.step_name)
            self.wipe()
        if self.flow.step.keeps is not None:
            # A fresh start between families (the staff home): a family who was signed in
            # is signed out, here and on the server, and no screen keeps what they saw.
            self._controller.forget_family()
            for screen in self._screens.values():
                screen.reset()
        name = self.flow.step_name
        screen = self._screens[name]
        self._stack.setCurrentWidget(screen)
        screen.show_data(self.flow.data)
        self.entered.emit(name)
        load = self.flow.step.load
        if load is not None:
            # What the server says for this step (plan names, terms) comes in this language.
            self.flow.record({"language": current_language()})
            request = load(self.flow.data)
            if request is not None:
                self._send(request, name, False)
        screen.on_enter()

    def back(self) -> None:
        # A step shown in pages goes back a page first; the flow never knows of pages.
        screen = self._screens.get(self.flow.step_name)
        if screen is not None and screen.back_within_step():
            return
        if self.flow.can_go_back:
            self.flow.back()
            self.render()

    def jump(self, target: str) -> None:
        self.flow.jump(target)
        self.render()

    def show_step(self, name: str) -> None:
        """Show the step ``name`` wherever a journey has it (tests, the tour)."""
        for journey in self.flow.journeys.values():
            if name in journey.steps:
                self.jump(f"{journey.name}:{name}")
                return
        raise KeyError(name)

    def wipe(self) -> None:
        self._pending.clear()  # answers to a wiped session are dropped when they arrive
        self.flow.wipe()

    def _edit(self, step: str) -> None:
        self.flow.revisit(step)
        self.render()

    def _completed(self, name: str) -> None:
        if name != self.flow.step_name:
            return  # a late tap on a screen that is no longer shown
        screen = self._screens[name]
        self.flow.record(screen.values())
        submit = self.flow.step.submit
        unless = self.flow.step.submit_unless
        if submit is None or (unless is not None and unless(self.flow.data)):
            self._advance()
            return
        self.flow.record({"language": current_language()})
        request = submit(self.flow.data)
        if request is None:
            screen.show_problem("required")
            return
        screen.clear_problems()
        self._send(request, name, True)

    def _advance(self) -> None:
        if self.flow.advance() is None:
            self.finished.emit()
        else:
            self.render()

    # -- requests and answers -------------------------------------------------------------

    def _send(self, request: object, step: str, submits: bool) -> None:
        self._pending.append((request, step, submits))
        self._screens[step].request_sent(request)
        self._controller.request(request)  # type: ignore[arg-type]

    def _take(self, request: object) -> tuple[str, bool] | None:
        for index, (pending, step, submits) in enumerate(self._pending):
            if pending is request:
                del self._pending[index]
                return step, submits
        return None

    def _answered(self, request: object, answer: object) -> None:
        taken = self._take(request)
        if taken is None:
            return
        step, submits = taken
        screen = self._screens[step]
        screen.take_answer(request, answer)
        if step != self.flow.step_name:
            return
        result = self.flow.step.result
        if result:
            self.flow.record({result: answer})
        if not submits:
            screen.show_data(self.flow.data)
            screen.on_enter()
            return
        self._done_with_entries()
        self._advance()

    def _done_with_entries(self) -> None:
        # The PIN and the typed details leave memory and the screens once they were used.
        self.flow.forget_sensitive()
        for name in self.flow.journey.steps:
            if self.flow.journey.steps[name].provides and name in self._screens:
                self._screens[name].reset()

    def _refused(self, request: object, refusal: Refusal) -> None:
        taken = self._take(request)
        if taken is None:
            return
        step, submits = taken
        if submits and step == self.flow.step_name:
            # A refused card or PIN is typed again: what was sent is not kept meanwhile.
            self.flow.forget(*(k for k in self.flow.step.provides if k in self.flow.sensitive))
        offline_step = self.flow.journey.offline_step
        if (submits and step == self.flow.step_name and offline_step
                and refusal.code in UNREACHABLE_CODES):
            # The server was not reached: offer to queue what was asked (its own step).
            self.jump(offline_step)
            return
        target = step
        fix = self.flow.journey.fix_step(refusal.code, refusal.field) if submits else None
        if fix is not None and fix != self.flow.step_name and step == self.flow.step_name:
            # Send the family to the step that can fix it, then straight back here.
            self.flow.revisit(fix)
            self.render()
            target = fix
        screen = self._screens[target]
        screen.show_refusal(refusal)
        if target == self.flow.step_name:
            screen.on_enter()

    def _reader_event(self, event: object) -> None:
        """The card reader's news goes to the screen on show: the one that started the
        payment (any other ignores it; a wipe cancels the payment)."""
        self._screens[self.flow.step_name].take_device_event(event)

    def each_screen(self, action: Callable[[Screen], Any]) -> None:
        for screen in self._screens.values():
            action(screen)
