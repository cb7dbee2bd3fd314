"""The kiosk's one window: header, status banners, the stack of screens, the idle
countdown, and the router that renders the journeys' steps (it names no journey)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import QLayout, QVBoxLayout, QWidget

from kiosk.controller import KioskController
from kiosk.domain import Language
from kiosk.flows.catalog import new_flow, step_names
from kiosk.flows.staff import may_enter, staff_member
from kiosk.requests import PrintReceipt
from kiosk.staff import StaffRole
from ui.i18n import current_language, set_application_language
from ui.idle import IdleWatcher
from ui.lockdown import Lockdown
from ui.read_aloud import ReadAloud
from ui.router import Router
from ui.screens.base import Screen
from ui.screens.receipt import ReceiptScreen
from ui.screens.registry import ScreenTable, screen_class
from ui.speech import QtSpeaker, Speaker
from ui.theme import Theme, load_stylesheet
from ui.widgets.banners import StatusBanners
from ui.widgets.countdown import CountdownOverlay
from ui.widgets.header import HeaderBar
from ui.widgets.out_of_service import OutOfServiceOverlay
from ui.widgets.screen_stack import ScreenStack
from ui.widgets.staff_bar import StaffBar

# Between two screens built while the kiosk is idle: time for the event loop to take a
# touch, and for the workers to be heard.
IDLE_BUILD_MS = 30


class MainWindow(QWidget):
    """Shows one screen at a time and moves between them; all I/O goes via ``controller``."""

    def __init__(
        self,
        controller: KioskController,
        *,
        idle_seconds: float = 90,
        countdown_seconds: float = 20,
        speaker: Speaker | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.controller = controller
        # Set in kiosk mode (ui/lockdown.py); staff mode lets a supervisor release it.
        self.lockdown: Lockdown | None = None
        self._theme = Theme()
        # What a wipe returns to: the kiosk's configured start (``set_defaults``).
        self._default_language = Language.ENGLISH
        self._default_theme = Theme()
        self.header = HeaderBar(self)
        self.staff_bar = StaffBar(self)
        self.banners = StatusBanners(self)
        self.stack = ScreenStack(self)
        self._busy = False
        # Each screen is built the first time it is shown (or asked for): the window's
        # first frame needs only the attract screen (docs/performance.md).
        self.screens = ScreenTable(step_names(), self._build_screen)
        self._idle_builder = QTimer(self)
        self._idle_builder.setInterval(IDLE_BUILD_MS)
        self._idle_builder.timeout.connect(self._build_one_while_idle)
        self.router = Router(new_flow(), controller, self.screens, self.stack, self)
        # Speech output; the engine itself is only created when Read aloud is turned on.
        self.read_aloud = ReadAloud(
            speaker if speaker is not None else QtSpeaker(parent=self), self, self.screens
        )
        layout = QVBoxLayout(self)
        # The kiosk runs full screen: the window's size is never derived from its contents
        # (that would also make Qt resize the top-level when a long translation appears).
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.staff_bar)
        layout.addWidget(self.banners)
        layout.addWidget(self.stack, 1)
        self.countdown = CountdownOverlay(self)
        self.out_of_service = OutOfServiceOverlay(self)
        self.idle = IdleWatcher(idle_seconds, countdown_seconds, self)
        self._connect()
        self.banners.set_payments_available(controller.payments_available)
        self._apply_theme()
        self.retranslateUi()
        self.router.render()

    # -- wiring ---------------------------------------------------------------------------

    def _connect(self) -> None:
        c = self.controller
        c.busy_changed.connect(self._busy_changed)
        c.connection_changed.connect(self._connection_changed)
        c.waiting_changed.connect(self.banners.set_waiting)
        c.service_changed.connect(self._service_changed)
        c.payments_changed.connect(self.banners.set_payments_available)
        c.answered.connect(self._printed)
        h = self.header
        h.back_requested.connect(self.go_back)
        h.language_requested.connect(self.set_language)
        h.large_text_toggled.connect(self.set_large_text)
        h.high_contrast_toggled.connect(self.set_high_contrast)
        h.read_aloud_toggled.connect(self.set_read_aloud)
        h.staff_requested.connect(self.open_staff_mode)
        self.staff_bar.end_requested.connect(self.wipe)
        self.staff_bar.leave_requested.connect(self.leave_kiosk_mode)
        h.set_read_aloud(False, available=self.read_aloud.available())
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
        self._idle_builder.start()

    def _build_one_while_idle(self) -> None:
        if not self.router.flow.at_start or self.countdown.isVisible():
            return
        if not self.screens.build_next():
            self._idle_builder.stop()

    # -- navigation -----------------------------------------------------------------------

    def enter_kiosk_mode(self, *, hide_cursor: bool = False) -> None:
        """The whole display, no frame, no way out but a supervisor's (ui/lockdown.py)."""
        self.lockdown = Lockdown(self, hide_cursor=hide_cursor)
        self.staff_bar.set_kiosk_mode(True)
        self.lockdown.show()

    def leave_kiosk_mode(self) -> None:
        """A supervisor in staff mode ends kiosk mode: the lock is released and the window
        closes (the service manager then decides what runs)."""
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
        self.router.show_step(name)

    def go_back(self) -> None:
        self.router.back()

    def _entered(self, name: str) -> None:
        flow = self.router.flow
        progress = flow.journey.progress(name)
        self.header.set_step(*(progress or (None, 0)))
        self.header.set_back_visible(flow.can_go_back)
        self.read_aloud.screen_entered(name)
        self.staff_bar.set_member(staff_member(flow.data))
        self.idle.set_active(not flow.at_start)
        self.countdown.hide()
        screen = self.screens[name]
        if isinstance(screen, ReceiptScreen) and self.controller.printer_available:
            paper = screen.take_paper_receipt()
            if paper is not None:
                self.controller.request(paper)

    def open_staff_mode(self) -> None:
        """The hidden gesture: staff sign-in, unless a family is signed in (their session
        is theirs; staff wait for it to end). Anything a family half-typed is wiped."""
        flow = self.router.flow
        if not may_enter("staff_sign_in", flow.data) or staff_member(flow.data) is not None:
            return
        self.wipe()
        self.router.jump("staff_sign_in:")

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

    def _printed(self, request: object, answer: object) -> None:
        """A paper receipt printed, or the printer's problem for the banner."""
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
        # The native window exists from the first show on; the idle watcher listens there.
        handle = self.windowHandle()
        if handle is not None:
            self.idle.watch(handle)
        super().showEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.countdown.setGeometry(self.rect())
        self.out_of_service.setGeometry(self.rect())
        super().resizeEvent(event)
