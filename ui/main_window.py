"""The kiosk's one window: header, status banners, the stack of screens, the idle
countdown, and the wiring between the screens and ``KioskController``."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import QLayout, QStackedWidget, QVBoxLayout, QWidget

from kiosk.controller import KioskController
from kiosk.domain import (
    FacilitySummary,
    Language,
    Registration,
    RegistrationResult,
    ResidentMatch,
)
from ui.i18n import current_language, set_application_language
from ui.idle import IdleWatcher
from ui.screens.attract import AttractScreen
from ui.screens.base import Screen
from ui.screens.done import DoneScreen
from ui.screens.facility import FacilityScreen
from ui.screens.home import HomeScreen
from ui.screens.register_address import RegisterAddressScreen
from ui.screens.register_contact import RegisterContactScreen
from ui.screens.register_name import RegisterNameScreen
from ui.screens.register_pin import RegisterPinScreen
from ui.screens.resident import ResidentScreen
from ui.screens.review import ReviewScreen, ReviewSummary
from ui.theme import Theme, load_stylesheet
from ui.widgets.banners import StatusBanners
from ui.widgets.countdown import CountdownOverlay
from ui.widgets.header import HeaderBar

SCREEN_ORDER = (
    "attract",
    "home",
    "facility",
    "resident",
    "register_name",
    "register_contact",
    "register_address",
    "register_pin",
    "review",
    "done",
)
REGISTRATION_STEPS = SCREEN_ORDER[2:9]
# Where a problem about a field (or an unknown facility/resident) is shown and fixed.
FIELD_SCREENS = {
    "first_name": "register_name",
    "last_name": "register_name",
    "phone": "register_contact",
    "email": "register_contact",
    "line1": "register_address",
    "line2": "register_address",
    "city": "register_address",
    "state": "register_address",
    "postal_code": "register_address",
    "pin": "register_pin",
    "pin_confirm": "register_pin",
    "facility_id": "facility",
    "resident_id": "resident",
}
CODE_SCREENS = {"facility_unknown": "facility", "resident_unknown": "resident"}


class MainWindow(QWidget):
    """Shows one screen at a time and moves between them; all I/O goes via ``controller``."""

    def __init__(
        self,
        controller: KioskController,
        *,
        idle_seconds: float = 90,
        countdown_seconds: float = 20,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.controller = controller
        self._theme = Theme()
        self._return_to_review = False
        self._resident_facility_id: str | None = None
        self.header = HeaderBar(self)
        self.banners = StatusBanners(self)
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("screens")
        self.attract = AttractScreen(self)
        self.home = HomeScreen(self)
        self.facility = FacilityScreen(self)
        self.resident = ResidentScreen(self)
        self.register_name = RegisterNameScreen(self)
        self.register_contact = RegisterContactScreen(self)
        self.register_address = RegisterAddressScreen(self)
        self.register_pin = RegisterPinScreen(self)
        self.review = ReviewScreen(self)
        self.done = DoneScreen(self)
        self.screens: dict[str, Screen] = {}
        for screen in (
            self.attract,
            self.home,
            self.facility,
            self.resident,
            self.register_name,
            self.register_contact,
            self.register_address,
            self.register_pin,
            self.review,
            self.done,
        ):
            self.screens[screen.name] = screen
            self.stack.addWidget(screen)
        layout = QVBoxLayout(self)
        # The kiosk runs full screen: the window's size is never derived from its contents
        # (that would also make Qt resize the top-level when a long translation appears).
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.banners)
        layout.addWidget(self.stack, 1)
        self.countdown = CountdownOverlay(self)
        self.idle = IdleWatcher(idle_seconds, countdown_seconds, self)
        self._connect()
        self.banners.set_payments_available(controller.payments_available)
        self._apply_theme()
        self.retranslateUi()
        self.show_screen("attract")

    # -- wiring ---------------------------------------------------------------------------

    def _connect(self) -> None:
        c = self.controller
        c.facilities_loaded.connect(self._facilities_loaded)
        c.residents_found.connect(self._residents_found)
        c.registration_finished.connect(self._registration_finished)
        c.failed.connect(self._failed)
        c.busy_changed.connect(self._busy_changed)
        c.connection_changed.connect(self._connection_changed)
        h = self.header
        h.back_requested.connect(self.go_back)
        h.language_requested.connect(self.set_language)
        h.large_text_toggled.connect(self.set_large_text)
        h.high_contrast_toggled.connect(self.set_high_contrast)
        self.attract.completed.connect(lambda: self.show_screen("home"))
        self.home.completed.connect(lambda: self.show_screen("facility"))
        self.home.language_chosen.connect(self.set_language)
        self.facility.completed.connect(self._facility_chosen)
        self.facility.reload_requested.connect(self._load_facilities)
        self.resident.search_requested.connect(self._search_residents)
        self.resident.completed.connect(lambda: self._advance("register_name"))
        self.register_name.completed.connect(lambda: self._advance("register_contact"))
        self.register_contact.completed.connect(lambda: self._advance("register_address"))
        self.register_address.completed.connect(lambda: self._advance("register_pin"))
        self.register_pin.completed.connect(lambda: self._advance("review"))
        self.review.edit_requested.connect(self._edit)
        self.review.completed.connect(self._create_account)
        self.done.completed.connect(self.wipe)
        self.idle.countdown_started.connect(self._countdown_started)
        self.idle.countdown_tick.connect(self.countdown.set_remaining)
        self.idle.countdown_cancelled.connect(self.countdown.hide)
        self.idle.timed_out.connect(self.wipe)
        self.countdown.more_time_requested.connect(self.idle.more_time)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.go_back)

    # -- navigation -----------------------------------------------------------------------

    def current_screen_name(self) -> str:
        current = self.stack.currentWidget()
        return current.name if isinstance(current, Screen) else ""

    def show_screen(self, name: str) -> None:
        screen = self.screens[name]
        self.stack.setCurrentWidget(screen)
        step = REGISTRATION_STEPS.index(name) + 1 if name in REGISTRATION_STEPS else None
        self.header.set_step(step, len(REGISTRATION_STEPS))
        self.header.set_back_visible(name not in ("attract", "done"))
        self.idle.set_active(name != "attract")
        self.countdown.hide()
        if name == "facility":
            self._load_facilities()
        elif name == "resident" and self.facility.selected_facility is not None:
            self.resident.set_facility_name(self.facility.selected_facility.name)
        elif name == "review":
            self._fill_review()
        screen.on_enter()

    def go_back(self) -> None:
        name = self.current_screen_name()
        if name in ("attract", "done"):
            return
        if self._return_to_review and name != "review":
            self._return_to_review = False
            self.show_screen("review")
            return
        self._return_to_review = False
        self.show_screen(SCREEN_ORDER[SCREEN_ORDER.index(name) - 1])

    def _advance(self, following: str) -> None:
        if self._return_to_review:
            self._return_to_review = False
            self.show_screen("review")
        else:
            self.show_screen(following)

    def _edit(self, name: str) -> None:
        self._return_to_review = True
        self.show_screen(name)

    def _facility_chosen(self) -> None:
        chosen = self.facility.selected_facility
        if chosen is not None and chosen.id != self._resident_facility_id:
            # Residents belong to a facility: a new facility means finding them again there.
            self.resident.reset()
            self._resident_facility_id = chosen.id
        if self._return_to_review and self.resident.selected_resident is not None:
            self._advance("review")
            return
        self.show_screen("resident")

    def wipe(self) -> None:
        """Forget everything typed or chosen, restore defaults, and go back to the start."""
        self._return_to_review = False
        self._resident_facility_id = None
        for screen in self.screens.values():
            screen.reset()
        self.countdown.hide()
        self.set_language(Language.ENGLISH)
        self._set_theme(Theme())
        self.show_screen("attract")

    # -- requests to the controller and its answers ----------------------------------------

    def _load_facilities(self) -> None:
        self.facility.start_loading()
        self.controller.load_facilities()

    def _search_residents(self, query: str) -> None:
        facility = self.facility.selected_facility
        if facility is None:
            self.show_screen("facility")
            return
        self.controller.search_residents(facility.id, query)

    def _facilities_loaded(self, facilities: list[FacilitySummary]) -> None:
        self.facility.set_facilities(facilities)
        if self.current_screen_name() == "facility":
            self.facility.on_enter()

    def _residents_found(self, matches: list[ResidentMatch]) -> None:
        self.resident.set_matches(matches)

    def draft_registration(self) -> Registration | None:
        """The registration from every step, or None while a step is still incomplete."""
        facility = self.facility.selected_facility
        resident = self.resident.selected_resident
        name = self.register_name.cleaned
        contact = self.register_contact.cleaned
        address = self.register_address.cleaned
        pin = self.register_pin.cleaned
        if None in (facility, resident, name, contact, address, pin):
            return None
        assert facility is not None and resident is not None  # narrowed for the type checker
        assert name is not None and contact is not None and address is not None
        assert pin is not None
        return Registration(
            first_name=name[0],
            last_name=name[1],
            phone_e164=contact[0],
            email=contact[1],
            address=address,
            pin=pin,
            language=current_language(),
            facility_id=facility.id,
            resident_id=resident.id,
        )

    def _fill_review(self) -> None:
        registration = self.draft_registration()
        facility = self.facility.selected_facility
        resident = self.resident.selected_resident
        if registration is None or facility is None or resident is None:
            self.review.reset()
            return
        self.review.set_summary(ReviewSummary(registration, facility.name, resident.display_name))

    def _create_account(self) -> None:
        registration = self.draft_registration()
        if registration is None:
            self.review.show_problem("required")
            return
        self.review.clear_problems()
        self.controller.register(registration)

    def _registration_finished(self, result: RegistrationResult) -> None:
        # The PIN and personal details leave the screens as soon as they are no longer needed.
        for name in REGISTRATION_STEPS:
            self.screens[name].reset()
        self._return_to_review = False
        self.done.set_result(result)
        self.show_screen("done")

    def _failed(self, code: str, field: str) -> None:
        target = FIELD_SCREENS.get(field) or CODE_SCREENS.get(code)
        current = self.current_screen_name()
        if target is not None and target != current and current == "review":
            # Send the family to the step that can fix it, then straight back to review.
            self._return_to_review = True
            self.show_screen(target)
        screen = self.screens[target] if target is not None else self.stack.currentWidget()
        if isinstance(screen, Screen):
            screen.show_problem(code, field)
            if screen is self.stack.currentWidget():
                screen.on_enter()

    def _busy_changed(self, busy: bool) -> None:
        for screen in self.screens.values():
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

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("Lobby Kiosk"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    # -- idle -------------------------------------------------------------------------------

    def _countdown_started(self, seconds: int) -> None:
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
        super().resizeEvent(event)
