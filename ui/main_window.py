"""The kiosk's one window: header, status banners, the stack of screens, the idle
countdown, and the router that renders the journeys' steps (it names no journey).

The window is built in two parts (docs/performance.md "The kiosk's first paint"). Its first
frame needs the header, the banners' strip, the stack with the attract screen and the style
sheet: that is what this module imports at its top, and what ``MainWindow(...,
first_frame_only=True)`` builds. The rest (the router and the journeys' map, the screen
table, Read aloud, the idle watcher and its countdown, the staff bar, the out-of-service
notice) is imported and built by ``build_rest``, in short turns of the event loop after the
first frame, or all at once by ``finish_build`` when something needs it sooner: a tap
on the attract screen, a header button, a test. ``MainWindow(controller)`` builds both parts
at once.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeySequence, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import QLayout, QVBoxLayout, QWidget

from kiosk.controller import KioskController
from kiosk.language import Language
from ui.i18n import current_language, set_application_language, set_office_language
from ui.screens.attract import AttractScreen
from ui.screens.base import Screen
from ui.theme import Theme, load_stylesheet
from ui.widgets.banners import StatusBanners
from ui.widgets.header import HeaderBar
from ui.widgets.screen_stack import ScreenStack

if TYPE_CHECKING:
    from kiosk.domain import CashUpdate
    from ui.idle import IdleWatcher
    from ui.lockdown import Lockdown
    from ui.read_aloud import ReadAloud
    from ui.router import Router
    from ui.screens.registry import ScreenTable
    from ui.speech import Speaker
    from ui.widgets.countdown import CountdownOverlay
    from ui.widgets.out_of_service import OutOfServiceOverlay
    from ui.widgets.staff_bar import StaffBar

# What ``build_rest`` imports, one module a turn, before it builds: the domain's types and
# the request table under everything else, the journeys' map, the router, the screen
# table, speech, the overlays.
_REST_MODULES = ("kiosk.domain", "kiosk.staff", "kiosk.requests", "kiosk.flows.engine",
                 "kiosk.flows.catalog", "ui.messages", "ui.router", "ui.screens.registry",
                 "ui.speech", "ui.read_aloud", "ui.idle", "ui.widgets.countdown",
                 "ui.widgets.out_of_service", "ui.widgets.staff_bar")

def _load(module: str) -> None:
    importlib.import_module(module)


# Between two screens built while the kiosk is idle: time for the event loop to take a
# touch, and for the workers to be heard.
IDLE_BUILD_MS = 30


class MainWindow(QWidget):
    """Shows one screen at a time and moves between them; all I/O goes via ``controller``.

    Built with ``first_frame_only=True``, the parts of the rest (``router``, ``screens``,
    ``read_aloud``, ``idle``, ``countdown``, ``out_of_service``, ``staff_bar``) are built
    after the first frame; asking for one before finishes the build there and then.
    """

    _router: Router
    _screens: ScreenTable
    _read_aloud: ReadAloud
    _idle: IdleWatcher
    _countdown: CountdownOverlay
    _out_of_service: OutOfServiceOverlay
    _staff_bar: StaffBar

    def __init__(
        self,
        controller: KioskController,
        *,
        idle_seconds: float = 90,
        countdown_seconds: float = 20,
        speaker: Speaker | None = None,
        parent: QWidget | None = None,
        first_frame_only: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.controller = controller
        self._idle_seconds = idle_seconds
        self._countdown_seconds = countdown_seconds
        self._speaker = speaker
        # Set in kiosk mode (ui/lockdown.py); staff mode lets a supervisor release it.
        self.lockdown: Lockdown | None = None
        self._kiosk_mode = False
        self._theme = Theme()
        # What a wipe returns to: the kiosk's configured start (``set_defaults``).
        self._default_language = Language.ENGLISH
        self._default_theme = Theme()
        self.header = HeaderBar(self)
        self.banners = StatusBanners(self)
        self.stack = ScreenStack(self)
        self._busy = False
        # The first frame's one screen, in its scroll area like every screen, which takes a
        # finger's drag once the rest is built (``ScreenStack.add_screen``: that costs the
        # first frame as much as the rest of it). The screen table adopts it then.
        self._attract: AttractScreen | None = AttractScreen(self)
        self.stack.add_screen(self._attract, touch_later=True)
        self._attract.completed.connect(self._tapped_before_built)
        self.stack.setCurrentWidget(self._attract)
        self._attract.on_enter()  # the focus, as the router gives it on entering
        self._tap_waiting = False
        # The parts of ``build_rest`` not run yet, in order: each module of the rest
        # imported in a turn of its own, then the router, the overlays, the first screen's
        # adoption (a few to a few tens of milliseconds each: docs/performance.md).
        self._in_part = False  # a part of the rest is being built
        self._rest: list[Callable[[], None]] = [
            *(partial(_load, module) for module in _REST_MODULES),
            self._build_router, self._build_overlays, self._adopt_first_screen]
        layout = QVBoxLayout(self)
        # The kiosk runs full screen: the window's size is never derived from its contents
        # (that would also make Qt resize the top-level when a long translation appears).
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.banners)
        layout.addWidget(self.stack, 1)
        self._layout = layout
        h = self.header
        h.back_requested.connect(self.go_back)
        h.language_requested.connect(self.set_language)
        h.large_text_toggled.connect(self.set_large_text)
        h.high_contrast_toggled.connect(self.set_high_contrast)
        h.read_aloud_toggled.connect(self.set_read_aloud)
        h.staff_requested.connect(self.open_staff_mode)
        # As the router leaves the header on the attract step: no way back, no step count.
        h.set_back_visible(False)
        self.banners.set_payments_available(controller.payments_available)
        self._apply_theme()
        self.retranslateUi()
        if not first_frame_only:
            self.finish_build()

    # -- the rest, after the first frame ----------------------------------------------------

    @property
    def fully_built(self) -> bool:
        return not self._rest

    def build_rest(self) -> None:
        """Build what the first frame did without, one part per turn of the event loop: a
        module's import, the router, the overlays, the attract screen's adoption. A touch
        in between is taken at once; a tap on the attract screen finishes the build and
        then goes where it would have. The kiosk calls this after its first paint."""
        if self._rest:
            QTimer.singleShot(0, self, self._build_next_part)

    def _build_next_part(self) -> None:
        if self._rest and not self._in_part:
            self._build_part()
        if self._rest:
            QTimer.singleShot(0, self, self._build_next_part)

    def finish_build(self) -> None:
        """Build whatever of the rest is not built yet, now (from inside a part of it, what
        that part builds is all there is yet)."""
        while self._rest and not self._in_part:
            self._build_part()

    def _build_part(self) -> None:
        self._in_part = True
        try:
            self._rest.pop(0)()
        finally:
            self._in_part = False

    # The parts of the rest: asking for one finishes the build first.

    @property
    def router(self) -> Router:
        self.finish_build()
        return self._router

    @property
    def screens(self) -> ScreenTable:
        self.finish_build()
        return self._screens

    @property
    def read_aloud(self) -> ReadAloud:
        self.finish_build()
        return self._read_aloud

    @property
    def idle(self) -> IdleWatcher:
        self.finish_build()
        return self._idle

    @property
    def countdown(self) -> CountdownOverlay:
        self.finish_build()
        return self._countdown

    @property
    def out_of_service(self) -> OutOfServiceOverlay:
        self.finish_build()
        return self._out_of_service

    @property
    def staff_bar(self) -> StaffBar:
        self.finish_build()
        return self._staff_bar

    def _tapped_before_built(self) -> None:
        """The attract screen was touched before the router listened to it: the rest is
        built at once, and the touch then goes to the router."""
        if self._tap_waiting or self._attract is None:
            return
        self._tap_waiting = True
        self.finish_build()

    def _build_router(self) -> None:
        from kiosk.flows.catalog import new_flow, step_names
        from ui.read_aloud import ReadAloud
        from ui.router import Router
        from ui.screens.registry import ScreenTable
        from ui.speech import QtSpeaker

        # Each screen is built the first time it is shown (or asked for): the window's
        # first frame needs only the attract screen (docs/performance.md).
        self._screens = ScreenTable(step_names(), self._build_screen)
        self._idle_builder = QTimer(self)
        self._idle_builder.setInterval(IDLE_BUILD_MS)
        self._idle_builder.timeout.connect(self._build_one_while_idle)
        self._router = Router(new_flow(), self.controller, self.screens, self.stack, self)
        # Speech output; the engine itself is only created when Read aloud is turned on.
        speaker = self._speaker if self._speaker is not None else QtSpeaker(parent=self)
        self._read_aloud = ReadAloud(speaker, self, self.screens)

    def _build_overlays(self) -> None:
        from ui.idle import IdleWatcher
        from ui.widgets.countdown import CountdownOverlay
        from ui.widgets.out_of_service import OutOfServiceOverlay
        from ui.widgets.staff_bar import StaffBar

        # Hidden until staff sign in: it goes in under the header without moving anything.
        self._staff_bar = StaffBar(self)
        self.staff_bar.set_kiosk_mode(self._kiosk_mode)
        self._layout.insertWidget(1, self.staff_bar)
        self._countdown = CountdownOverlay(self)
        self._out_of_service = OutOfServiceOverlay(self)
        self.countdown.setGeometry(self.rect())
        self.out_of_service.setGeometry(self.rect())
        self._idle = IdleWatcher(self._idle_seconds, self._countdown_seconds, self)
        handle = self.windowHandle()
        if handle is not None:
            self.idle.watch(handle)
        self._connect()
        self.header.set_read_aloud(False, available=self.read_aloud.available())

    def _adopt_first_screen(self) -> None:
        self.router.render()  # the attract step: the screen table adopts the first screen
        if self._tap_waiting:
            # The touch that finished the build, now heard by the router (which began
            # listening during that touch's signal, so Qt does not call it for that one).
            self._tap_waiting = False
            self.screens["attract"].completed.emit()

    # -- wiring ---------------------------------------------------------------------------

    def _connect(self) -> None:
        c = self.controller
        c.busy_changed.connect(self._busy_changed)
        c.connection_changed.connect(self._connection_changed)
        c.waiting_changed.connect(self.banners.set_waiting)
        c.service_changed.connect(self._service_changed)
        c.payments_changed.connect(self.banners.set_payments_available)
        c.answered.connect(self._printed)
        c.cash_event.connect(self._cash_update)
        c.cash_changed.connect(lambda _available: self._device_state())
        # What it said before the window listened (the parts may open before the rest of
        # the window is built): no secure keyring, so no card payments.
        self.banners.set_payments_available(c.payments_available)
        self.staff_bar.end_requested.connect(self.wipe)
        self.staff_bar.leave_requested.connect(self.leave_kiosk_mode)
        self.router.entered.connect(self._entered)
        self.router.finished.connect(self.wipe)
        self.idle.countdown_started.connect(self._countdown_started)
        self.idle.countdown_tick.connect(self.countdown.set_remaining)
        self.idle.countdown_cancelled.connect(self.countdown.hide)
        self.idle.timed_out.connect(self.wipe)
        self.countdown.more_time_requested.connect(self.idle.more_time)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.go_back)

    def _build_screen(self, name: str) -> Screen:
        """The step's screen, built on its first use and wired as if it had always been
        there: in the stack, heard by the router and Read aloud, busy if a request is."""
        from ui.screens.registry import screen_class

        screen: Screen
        if name == "attract" and self._attract is not None:
            # Built for the first frame, in the stack already; now it scrolls by touch too.
            screen, self._attract = self._attract, None
            screen.completed.disconnect(self._tapped_before_built)
            self.stack.enable_touch(screen)
        else:
            screen = screen_class(name)(self)
            self.stack.add_screen(screen)
        screen.language_chosen.connect(self.set_language)
        self.router.add_screen(screen)
        self.read_aloud.add_screen(screen)
        if self._busy:
            screen.set_busy(True)
        return screen

    def build_screens_while_idle(self) -> None:
        """Build the screens not built yet, one at a time with the event loop turning in
        between, while the kiosk waits at its start screen (a family's touch is never held
        up by more than one screen). The kiosk does this once its first frame is out, so
        the first family finds its screens ready; while someone uses the kiosk it pauses
        (what they reach is built as they reach it)."""
        self.finish_build()
        self._idle_builder.start()

    def _build_one_while_idle(self) -> None:
        if not self.router.flow.at_start or self.countdown.isVisible():
            return
        if not self.screens.build_next():
            self._idle_builder.stop()

    # -- navigation -----------------------------------------------------------------------

    def show_windowed(self, width: int = 1280, height: int = 800) -> None:
        """A window of the kiosk's design size (1280x800), or, on a screen whose free area
        is smaller (a 1024x768 laptop), that whole area: maximized, so the title bar and
        the panels stay on screen too (set to the area first, for a display without a
        window manager to maximize it)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        area = screen.availableGeometry() if screen is not None else None
        # Room for a window manager's frame around the design size.
        if area is None or (area.width() >= width + 16 and area.height() >= height + 64):
            self.resize(width, height)
            self.show()
            return
        self.setGeometry(area)
        self.showMaximized()

    def enter_kiosk_mode(self, *, hide_cursor: bool = False) -> None:
        """The whole display, no frame, no way out but a supervisor's (ui/lockdown.py)."""
        from ui.lockdown import Lockdown

        self.lockdown = Lockdown(self, hide_cursor=hide_cursor)
        self._kiosk_mode = True
        if self.fully_built:
            self.staff_bar.set_kiosk_mode(True)
        self.lockdown.show()

    def leave_kiosk_mode(self) -> None:
        """A supervisor in staff mode ends kiosk mode: the lock is released and the window
        closes (the service manager then decides what runs)."""
        if not self.fully_built:
            return  # nobody has signed in as staff before the router was there
        from kiosk.flows.staff import staff_member
        from kiosk.staff import StaffRole

        member = staff_member(self.router.flow.data)
        if self.lockdown is None or member is None or member.role is not StaffRole.SUPERVISOR:
            return
        self.lockdown.release()
        self.lockdown = None
        self.wipe()
        self.close()

    def current_screen_name(self) -> str:
        current = self.stack.currentWidget()
        return current.name if isinstance(current, Screen) else ""

    def show_screen(self, name: str) -> None:
        """Show the step ``name`` directly (the tour and tests; families use the buttons)."""
        self.finish_build()
        self.router.show_step(name)

    def go_back(self) -> None:
        self.finish_build()
        self.router.back()

    def _entered(self, name: str) -> None:
        from kiosk.flows.staff import staff_member

        flow = self.router.flow
        progress = flow.journey.progress(name)
        self.header.set_step(*(progress or (None, 0)))
        self.header.set_back_visible(flow.can_go_back)
        self.read_aloud.screen_entered(name)
        self.staff_bar.set_member(staff_member(flow.data))
        self.idle.set_active(not flow.at_start)
        self.countdown.hide()
        screen = self.screens[name]
        screen.show_device_state(self.controller.cash_available, self.controller.cash_alert)
        if self.controller.printer_available:
            paper = screen.take_paper_receipt()
            if paper is not None:
                self.controller.request(paper)

    def open_staff_mode(self) -> None:
        """The hidden gesture: staff sign-in, unless a family is signed in (their session
        is theirs; staff wait for it to end). Anything a family half-typed is wiped."""
        from kiosk.flows.staff import may_enter, staff_member

        self.finish_build()
        flow = self.router.flow
        if not may_enter("staff_sign_in", flow.data) or staff_member(flow.data) is not None:
            return
        self.wipe()
        self.router.jump("staff_sign_in:")

    @staticmethod
    def set_office_language(language: Language) -> None:
        """The language of what the office reads (the cash box count slip), whatever the
        screens show: the kiosk's ``office_language`` setting (docs/cash.md)."""
        set_office_language(language)

    def set_defaults(
        self, language: Language, *, large_text: bool = False, high_contrast: bool = False
    ) -> None:
        """The kiosk's configured language and display modes: in force now, and what every
        wipe (idle time-out, a finished journey) returns to."""
        self._default_language = language
        self._default_theme = Theme(large_text=large_text, high_contrast=high_contrast)
        self.set_language(language)
        self._set_theme(self._default_theme)

    def wipe(self) -> None:
        """Forget everything typed or chosen, sign out, restore the configured language and
        modes, go to the start."""
        self.finish_build()
        self.router.wipe()
        self.controller.forget_family()
        self.controller.forget_staff()
        for screen in self.screens.built():
            screen.reset()
        self.countdown.hide()
        self.set_language(self._default_language)
        self._set_theme(self._default_theme)
        self.set_read_aloud(False)
        self.router.render()

    def _device_state(self) -> None:
        current = self.stack.currentWidget()
        if isinstance(current, Screen):
            current.show_device_state(self.controller.cash_available,
                                      self.controller.cash_alert)

    def _cash_update(self, update: CashUpdate) -> None:
        """The note acceptor did something (kiosk/flows/cash.py): the cash visit shown
        follows it, and a jam, a full cashbox, a note pulled back or the acceptor going
        offline opens its own screen."""
        from kiosk.domain import CashProgress
        from kiosk.flows import keys as k
        from kiosk.flows.cash import problem_of, progressed

        flow = self.router.flow
        if flow.journey.name == "cash" and flow.step_name in ("cash_insert", "cash_problem"):
            progress = progressed(k.CASH_PROGRESS.of(flow.data) or CashProgress(), update)
            flow.record({k.CASH_PROGRESS: progress})
            if problem_of(update) and flow.step_name == "cash_insert":
                self.router.jump("cash_problem")
            else:
                self.screens[flow.step_name].show_data(flow.data)
        self._device_state()

    def _printed(self, request: object, answer: object) -> None:
        """A paper receipt printed, or the printer's problem for the banner."""
        from kiosk.requests import PrintReceipt

        if isinstance(request, PrintReceipt):
            self.banners.set_printer_problem(str(answer))

    def _service_changed(self, in_service: bool, reason: str) -> None:
        """An operator took the kiosk out of service (or back): whoever is at it is signed
        out and what they typed wiped, and the notice covers everything."""
        if in_service:
            self.out_of_service.hide()
            return
        self.wipe()
        self.out_of_service.set_reason(reason)
        self.out_of_service.setGeometry(self.rect())
        self.out_of_service.show()
        self.out_of_service.raise_()

    def _busy_changed(self, busy: bool) -> None:
        self._busy = busy
        for screen in self.screens.built():
            screen.set_busy(busy)

    def _connection_changed(self, online: bool) -> None:
        self.banners.set_online(online)
        self.banners.set_payments_available(self.controller.payments_available)

    # -- language, text size and contrast --------------------------------------------------

    def set_language(self, language: Language) -> None:
        """Switch the whole application's language; every screen retranslates live."""
        set_application_language(language)
        self.header.set_language(current_language())

    def language(self) -> Language:
        return current_language()

    def set_large_text(self, on: bool) -> None:
        self._set_theme(replace(self._theme, large_text=on))

    def set_read_aloud(self, on: bool) -> None:
        """Speak each screen's title, the focused control and every error (if a speech
        engine is there; otherwise the toggle stays off and disabled)."""
        self.finish_build()
        self.read_aloud.set_enabled(on, self.current_screen_name())
        self.header.set_read_aloud(self.read_aloud.enabled, available=self.read_aloud.available())

    def set_high_contrast(self, on: bool) -> None:
        self._set_theme(replace(self._theme, high_contrast=on))

    def _set_theme(self, theme: Theme) -> None:
        # Re-styling every widget costs tens of milliseconds: only a real change pays it.
        if theme == self._theme:
            return
        self._theme = theme
        self.header.set_modes(large_text=theme.large_text, high_contrast=theme.high_contrast)
        self._apply_theme()

    @property
    def theme(self) -> Theme:
        return self._theme

    def _apply_theme(self) -> None:
        self.setStyleSheet(load_stylesheet(self._theme))
        self.stack.restyled()
        self.banners.fit()

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("Lobby Kiosk"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    # -- idle -------------------------------------------------------------------------------

    def _countdown_started(self, seconds: int) -> None:
        if self.out_of_service.isVisible():
            return  # nothing to wipe, and the notice stays on top
        self.countdown.set_remaining(seconds)
        self.countdown.setGeometry(self.rect())
        self.countdown.show()
        self.countdown.raise_()
        self.countdown.more_time_button.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        # The native window exists from the first show on; the idle watcher listens there
        # (or, built later, starts listening when it is built).
        handle = self.windowHandle()
        if handle is not None and self.fully_built:
            self.idle.watch(handle)
        super().showEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        if self.fully_built:
            self.countdown.setGeometry(self.rect())
            self.out_of_service.setGeometry(self.rect())
        super().resizeEvent(event)
