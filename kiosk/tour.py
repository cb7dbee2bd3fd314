"""Render every kiosk screen, in English and Spanish, to PNG files for review.

``python -m kiosk.tour OUT_DIR`` uses a sample controller with made-up data; no network.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

from kiosk.controller import KioskController
from kiosk.domain import (
    FacilitySummary,
    Language,
    RegistrationOutcome,
    RegistrationResult,
    ResidentMatch,
)
from kiosk.flows.catalog import step_names
from kiosk.requests import LoadFacilities, Register, Request, SearchResidents
from ui.main_window import MainWindow

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

    def request(self, request: Request) -> None:
        QTimer.singleShot(0, lambda: self._reply(request))

    def _reply(self, request: Request) -> None:
        if isinstance(request, LoadFacilities):
            self.answer(request, list(SAMPLE_FACILITIES))
        elif isinstance(request, SearchResidents):
            self.answer(request, list(SAMPLE_RESIDENTS))
        elif isinstance(request, Register):
            created = RegistrationOutcome.CREATED
            outcome = created if self._online else RegistrationOutcome.QUEUED
            self.answer(request, RegistrationResult(outcome, "acct-1"))


def default_window_factory() -> MainWindow:
    return MainWindow(SampleController(), idle_seconds=3600, countdown_seconds=20)


def _fill_sample_data(window: MainWindow) -> None:
    """Put believable entries into every screen, the way a family would have."""
    # Typed as Any: the tour may only import the window (import-linter), not each screen.
    screens: dict[str, Any] = dict(window.screens)
    facility = screens["facility"]
    facility.set_facilities(SAMPLE_FACILITIES)
    facility.selected_facility = SAMPLE_FACILITIES[0]
    resident = screens["resident"]
    resident.show_data({"facility": SAMPLE_FACILITIES[0]})
    resident.query.setText("López")
    resident.set_matches(SAMPLE_RESIDENTS)
    resident.selected_resident = SAMPLE_RESIDENTS[0]
    typed = {
        "register_name": {"first_name": "Angela", "last_name": "Rivera"},
        "register_contact": {"phone": "5125550142", "email": "angela.rivera@example.com"},
        "register_address": {
            "line1": "1401 E 7th St",
            "line2": "Apt 3B",
            "city": "Austin",
            "state": "TX",
            "postal_code": "78702",
        },
        "register_pin": {"pin": "5820", "pin_confirm": "5820"},
    }
    flow = window.router.flow
    for name, fields in typed.items():
        form = screens[name]
        for field, text in fields.items():
            form.line_edit(field).setText(text)
        form.validate_fields()
    for screen in screens.values():
        flow.record({k: v for k, v in screen.values().items() if v is not None})
    flow.record({"registration": RegistrationResult(RegistrationOutcome.CREATED, "acct-1")})


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
            for name in step_names():
                window.show_screen(name)
                _settle()
                # Entering a screen may reload or clear it; sample data goes in afterwards,
                # then the screen reads the journey's data again.
                _fill_sample_data(window)
                window.screens[name].show_data(window.router.flow.data)
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
