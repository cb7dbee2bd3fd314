"""Render every kiosk screen, in English and Spanish, to PNG files for review.

``python -m kiosk.tour OUT_DIR`` uses a sample controller with made-up data; no network.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

from kiosk.controller import KioskController
from kiosk.domain import (
    FacilitySummary,
    Language,
    Registration,
    RegistrationOutcome,
    RegistrationResult,
    ResidentMatch,
)
from ui.main_window import SCREEN_ORDER, MainWindow

TOUR_SIZE = (1280, 800)
LANGUAGES = (Language.ENGLISH, Language.SPANISH)

SAMPLE_FACILITIES = [
    FacilitySummary(
        "harbor-county-jail", "Harbor County Jail", "TX", "America/Chicago", True, True
    ),
    FacilitySummary(
        "mesa-valley-detention",
        "Mesa Valley Detention Center",
        "TX",
        "America/Chicago",
        True,
        False,
    ),
    FacilitySummary(
        "pine-ridge-county-jail", "Pine Ridge County Jail", "CO", "America/Denver", False, True
    ),
    FacilitySummary(
        "desert-springs-prison", "Desert Springs State Prison", "AZ", "America/Phoenix", True, True
    ),
]
SAMPLE_RESIDENTS = [
    ResidentMatch("harbor-county-jail:007", "López, Ana", "100007"),
    ResidentMatch("harbor-county-jail:005", "García, María", "100005"),
]


class SampleController(KioskController):
    """Answers every request at once with the sample data above."""

    def __init__(self, *, online: bool = True, payments: bool = True) -> None:
        super().__init__()
        self._payments_available = payments
        self._online = online

    def load_facilities(self) -> None:
        QTimer.singleShot(0, lambda: self.facilities_loaded.emit(list(SAMPLE_FACILITIES)))

    def search_residents(self, facility_id: str, query: str) -> None:
        QTimer.singleShot(0, lambda: self.residents_found.emit(list(SAMPLE_RESIDENTS)))

    def register(self, registration: Registration) -> None:
        outcome = RegistrationOutcome.CREATED if self._online else RegistrationOutcome.QUEUED
        QTimer.singleShot(
            0, lambda: self.registration_finished.emit(RegistrationResult(outcome, "acct-1"))
        )


def default_window_factory() -> MainWindow:
    return MainWindow(SampleController(), idle_seconds=3600, countdown_seconds=20)


def _fill_sample_data(window: MainWindow) -> None:
    """Put believable entries into every screen, the way a family would have."""
    window.facility.set_facilities(SAMPLE_FACILITIES)
    window.facility.selected_facility = SAMPLE_FACILITIES[0]
    window.resident.set_facility_name(SAMPLE_FACILITIES[0].name)
    window.resident.query.setText("López")
    window.resident.set_matches(SAMPLE_RESIDENTS)
    window.resident.selected_resident = SAMPLE_RESIDENTS[0]
    window.register_name.first_name.setText("Angela")
    window.register_name.last_name.setText("Rivera")
    window.register_contact.phone.setText("5125550142")
    window.register_contact.email.setText("angela.rivera@example.com")
    window.register_address.line1.setText("1401 E 7th St")
    window.register_address.line2.setText("Apt 3B")
    window.register_address.city.setText("Austin")
    window.register_address.state.setText("TX")
    window.register_address.postal_code.setText("78702")
    window.register_pin.pin.setText("5820")
    window.register_pin.pin_confirm.setText("5820")
    for screen in (
        window.register_name,
        window.register_contact,
        window.register_address,
        window.register_pin,
    ):
        screen.validate_fields()
    window.done.set_result(RegistrationResult(RegistrationOutcome.CREATED, "acct-1"))


def _settle() -> None:
    for _ in range(3):
        QCoreApplication.processEvents()


def render_tour(window_factory: Callable[[], MainWindow], out_dir: Path) -> list[Path]:
    """Grab every screen at 1280x800 in each language as ``<screen>-<lang>.png``.

    Also grabs the idle countdown as ``idle-<lang>.png``. Returns the files written.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    window = window_factory()
    window.resize(*TOUR_SIZE)
    window.show()
    written: list[Path] = []
    try:
        for language in LANGUAGES:
            window.set_language(language)
            for name in SCREEN_ORDER:
                window.show_screen(name)
                _settle()
                # Entering a screen may reload or clear it; sample data goes in afterwards.
                _fill_sample_data(window)
                if name == "review":
                    window.show_screen("review")
                _settle()
                path = out_dir / f"{name}-{language.value}.png"
                window.grab().save(str(path))
                written.append(path)
            window.show_screen("register_name")
            window.idle.countdown_started.emit(20)
            _settle()
            path = out_dir / f"idle-{language.value}.png"
            window.grab().save(str(path))
            written.append(path)
            window.countdown.hide()
    finally:
        window.set_language(Language.ENGLISH)
        window.close()
        window.deleteLater()
    return written


def run_tour(out_dir: Path) -> int:
    """``lobby-kiosk --tour DIR``: write the pictures and list them on standard output."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    paths = render_tour(default_window_factory, out_dir)
    sys.stdout.write("\n".join(str(p) for p in paths) + "\n")
    del app
    return 0


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    return run_tour(Path(args[0]) if args else Path("tour"))


if __name__ == "__main__":
    raise SystemExit(main())
