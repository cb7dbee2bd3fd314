"""Render every kiosk screen, in English and Spanish, to PNG files for review.

``python -m kiosk.tour OUT_DIR`` uses a sample controller with made-up data; no network.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QRect, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QApplication

from kiosk.controller import KioskController
from kiosk.devices.reader_events import ReaderChanged
from kiosk.domain import Language, RegistrationOutcome, RegistrationResult
from kiosk.flows import keys as k
from kiosk.flows.catalog import step_names
from kiosk.flows.reader import READER_DEPOSIT, READER_PLAN, READER_RENEW
from kiosk.request_table import sample_answer
from kiosk.requests import Request
from kiosk.tour_samples import (
    SAMPLE_BAD_TYPING,
    SAMPLE_CASH_BOX,
    SAMPLE_CASH_PROGRESS,
    SAMPLE_CASH_RECEIPT,
    SAMPLE_CASH_TERMS,
    SAMPLE_CONFLICTS,
    SAMPLE_ERRORS,
    SAMPLE_FACILITIES,
    SAMPLE_NOTES_IN_DOUBT,
    SAMPLE_OUTBOX,
    SAMPLE_PARTIAL_TYPING,
    SAMPLE_QUOTE,
    SAMPLE_RATES,
    SAMPLE_READER_STATES,
    SAMPLE_RECEIPT,
    SAMPLE_REFUND,
    SAMPLE_RESIDENTS,
    SAMPLE_STAFF,
    SAMPLE_TRANSACTIONS,
    SAMPLE_TYPING,
    samples,
)
from ui.main_window import MainWindow

TOUR_SIZE = (1280, 800)
LANGUAGES = (Language.ENGLISH, Language.SPANISH)

class SampleController(KioskController):
    """Answers every request at once with its sample answer (kiosk/request_table.py)."""

    def __init__(self, *, online: bool = True, payments: bool = True) -> None:
        super().__init__()
        self._payments_available = payments
        self._online = online

    @property
    def cash_available(self) -> bool:
        return True  # the tour shows "Add money with cash"

    def request(self, request: Request) -> None:
        QTimer.singleShot(0, lambda: self._reply(request))

    def _reply(self, request: Request) -> None:
        # Every request's sample answer is in the one request table, beside its handler.
        self.answer(request, sample_answer(request, online=self._online))


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
    flow = window.router.flow
    said = samples(window.language())
    for name, fields in {**SAMPLE_TYPING, **said["typing"]}.items():
        form = screens[name]
        for field, text in fields.items():
            form.line_edit(field).setText(text)
        form.validate_fields()
    for name, fields in SAMPLE_PARTIAL_TYPING.items():
        for field, text in fields.items():
            screens[name].line_edit(field).setText(text)
    for screen in screens.values():
        flow.record({key: v for key, v in screen.values().items() if v is not None})
    flow.record({k.REGISTRATION: RegistrationResult(RegistrationOutcome.CREATED, "acct-1")})
    flow.record({k.ACCOUNT: said["account"], k.DEPOSIT_QUOTE: SAMPLE_QUOTE,
                 k.DEPOSIT_RECEIPT: SAMPLE_RECEIPT, k.PLANS: list(said["plans"]),
                 k.SUBSCRIPTION_QUOTE: said["subscription_quote"],
                 k.PURCHASE: said["account"].subscriptions[0],
                 k.MANAGED: replace(said["account"].subscriptions[0],
                                    renewed_through="2026-04-03T06:00:00+00:00"),
                 k.PAID_WITH: said["account"].card,
                 k.MANAGE_ACTION: ("sub-1", "cancel"), k.RATES: list(SAMPLE_RATES),
                 k.ADVICE: said["advice"], k.TRANSACTIONS: SAMPLE_TRANSACTIONS,
                 k.REFUND: SAMPLE_REFUND, k.STAFF: SAMPLE_STAFF,
                 k.CONFLICTS: list(SAMPLE_CONFLICTS), k.CONFLICT: SAMPLE_CONFLICTS[0],
                 k.OUTBOX: list(SAMPLE_OUTBOX), k.OUTBOX_ROW: SAMPLE_OUTBOX[3],
                 k.CASH_TERMS: SAMPLE_CASH_TERMS, k.CASH_PROGRESS: SAMPLE_CASH_PROGRESS,
                 k.CASH_RECEIPT: SAMPLE_CASH_RECEIPT,
                 k.CASH_BOX: SAMPLE_CASH_BOX,
                 k.NOTES_IN_DOUBT: list(SAMPLE_NOTES_IN_DOUBT),
                 k.NOTE_IN_DOUBT: SAMPLE_NOTES_IN_DOUBT[0]})
    flow.record({k.PLAN: said["plans"][0]})  # the plan chosen, for the renewal choice


def _settle() -> None:
    # Layouts inside the screens' scroll areas settle over a few posted-event rounds.
    for _ in range(5):
        QCoreApplication.processEvents()


def _grab(window: MainWindow, path: Path, written: list[Path]) -> None:
    _settle()
    window.grab().save(str(path))
    written.append(path)


def show_sample(window: MainWindow, name: str) -> None:
    """Show step ``name`` as a family would see it, filled with the sample data."""
    _fill_sample_data(window)  # first too: staff steps open only with staff signed in
    if name == "staff_sign_in":
        # It never opens over a signed-in family, nor in staff mode.
        window.router.flow.forget(k.ACCOUNT, k.STAFF)
    elif not name.startswith("staff_"):
        window.router.flow.forget(k.STAFF)  # family screens as a family sees them
    window.show_screen(name)
    _settle()
    # Entering a screen may reload or clear it; sample data goes in afterwards, then the
    # screen reads the journey's data again.
    _fill_sample_data(window)
    window.screens[name].show_data(window.router.flow.data)
    _settle()


def error_states(window: MainWindow, name: str) -> Iterator[str]:
    """Put the shown step ``name`` into each of its error states in turn, yielding a short
    label for each: the sample refusal, every field empty (a form's Next touched at once)
    and the mistakes in ``SAMPLE_BAD_TYPING``. The sample data is back afterwards."""
    # Typed as Any: the tour may only import the window (import-linter), not each screen.
    screen: Any = window.screens[name]
    refusal = SAMPLE_ERRORS.get(name)
    if refusal is not None:
        screen.show_refusal(refusal)
        _settle()
        yield "error"
        screen.clear_problems()
    fields: dict[str, Any] = getattr(screen, "fields", {})
    if fields and hasattr(screen, "validate_fields"):
        for field in fields.values():
            field.line_edit.clear()
        screen.clear_problems()
        screen.validate_fields()
        _settle()
        yield "empty"
        bad = SAMPLE_BAD_TYPING.get(name)
        if bad is not None:
            show_sample(window, name)
            for field_name, text in bad.items():
                screen.line_edit(field_name).setText(text)
            screen.clear_problems()
            screen.validate_fields()
            _settle()
            yield "mistyped"
        screen.clear_problems()
        show_sample(window, name)
    yield from _reader_states(window, name)


def _reader_states(window: MainWindow, name: str) -> Iterator[str]:
    """The card reader's screens in each of the reader's states (SAMPLE_READER_STATES):
    the payment started, then the reader's news as the port would relay it."""
    if name not in (READER_DEPOSIT, READER_PLAN, READER_RENEW):
        return
    screen: Any = window.screens[name]
    if name == READER_RENEW:  # the family chose "Renew now" on their subscription
        window.router.flow.record({k.MANAGE_ACTION: ("sub-1", "renew_now")})
        screen.show_data(window.router.flow.data)
    quote = k.SUBSCRIPTION_QUOTE.of(window.router.flow.data)
    if quote is not None:  # the plan is paid once its terms were accepted
        window.router.flow.record({k.TERMS_ACCEPTED: quote.terms_version})
        screen.show_data(window.router.flow.data)
    for label, payment in SAMPLE_READER_STATES:
        screen.try_again()
        screen.keep_card.setChecked(True)
        screen.pay_button.click()
        _settle()
        screen.take_device_event(ReaderChanged(payment))
        _settle()
        yield label
    screen.try_again()
    show_sample(window, name)


def each_page(screen: Any, settle: Callable[[], None] = _settle) -> Iterator[int]:
    """Show each page of ``screen`` in turn when its fields come a page at a time (a form in
    large text at 1024x768, issue 19), yielding the page's index (only 0 for a step of one
    page). The page shown before is shown again afterwards. The tour's pictures and the
    layout test (``tests/gui/layout_check.py``) walk pages this one way."""
    count = getattr(screen, "page_count", 1)
    start = getattr(screen, "page", 0)
    for page in range(count):
        if count > 1:
            screen.show_page(page)
            settle()
        yield page
    if count > 1:
        screen.show_page(start)
        settle()


def pages(window: MainWindow, name: str) -> Iterator[str]:
    """What each page of the shown step ``name`` adds to its picture's name: nothing for the
    first page, "-p2" for the second (``each_page``)."""
    for page in each_page(window.screens[name]):
        yield "" if page == 0 else f"-p{page + 1}"


def _render_pass(window: MainWindow, out_dir: Path, suffix: str, written: list[Path]) -> None:
    for name in step_names():
        show_sample(window, name)
        # Every page of a paged step, so a person can check each one (address-p2).
        for page in pages(window, name):
            _grab(window, out_dir / f"{name}{page}-{suffix}.png", written)
        for state in error_states(window, name):
            for page in pages(window, name):
                _grab(window, out_dir / f"{name}-{state}{page}-{suffix}.png", written)
    window.show_screen("register_name")
    window.idle.countdown_started.emit(20)
    _grab(window, out_dir / f"idle-{suffix}.png", written)
    window.countdown.hide()


def contact_sheet(pictures: list[Path], path: Path, *, columns: int = 6) -> Path:
    """One PNG of ``pictures`` as labelled thumbnails, for a quick look at a whole pass."""
    thumb_w, thumb_h, caption = 320, 200, 22
    rows = max(1, -(-len(pictures) // columns))
    sheet = QImage(columns * thumb_w, rows * (thumb_h + caption), QImage.Format.Format_RGB32)
    sheet.fill(QColor("#ffffff"))
    painter = QPainter(sheet)
    painter.setFont(QFont("DejaVu Sans", 9))
    for index, picture in enumerate(pictures):
        x = (index % columns) * thumb_w
        y = (index // columns) * (thumb_h + caption)
        image = QImage(str(picture)).scaled(
            thumb_w - 6,
            thumb_h - 6,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        painter.drawImage(x + 3, y + 3, image)
        painter.drawText(
            QRect(x, y + thumb_h, thumb_w, caption),
            Qt.AlignmentFlag.AlignCenter,
            picture.stem,
        )
    painter.end()
    sheet.save(str(path))
    return path


SMALL_SIZE = (1024, 768)


def tour_passes(large_text: bool = True) -> list[tuple[Language, bool, bool, tuple[int, int]]]:
    """(language, large text, high contrast, size) of each pass: both languages at normal
    text, then (with ``large_text``) large text, large text in high contrast, and large
    text on a 1024x768 screen, where room is tightest."""
    passes = [(language, False, False, TOUR_SIZE) for language in LANGUAGES]
    if large_text:
        passes += [(language, True, False, TOUR_SIZE) for language in LANGUAGES]
        passes += [(language, True, True, TOUR_SIZE) for language in LANGUAGES]
        passes += [(language, True, False, SMALL_SIZE) for language in LANGUAGES]
    return passes


def pass_suffix(language: Language, large: bool, contrast: bool, size: tuple[int, int]) -> str:
    """``es``, ``es-large``, ``es-large-contrast``, ``es-large-1024x768``."""
    suffix = language.value + ("-large" if large else "") + ("-contrast" if contrast else "")
    if size != TOUR_SIZE:
        suffix += f"-{size[0]}x{size[1]}"
    return suffix


def render_tour(
    window_factory: Callable[[], MainWindow], out_dir: Path, *, large_text: bool = True
) -> list[Path]:
    """Grab every step at 1280x800 in each language as ``<step>-<lang>.png``, each of its
    error states (``error_states``) as ``<step>-<state>-<lang>.png``, the idle countdown
    as ``idle-<lang>.png`` and, with ``large_text``, everything again with large text
    (``<step>-es-large.png``), large text in high contrast (``-es-large-contrast``) and
    large text at 1024x768 (``-es-large-1024x768``), in both languages. Each pass also gets
    a contact sheet, ``contact-<suffix>.png``. Returns the files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    window = window_factory()
    window.resize(*TOUR_SIZE)
    window.show()
    written: list[Path] = []
    try:
        for language, large, contrast, size in tour_passes(large_text):
            window.set_language(language)
            window.set_large_text(large)
            window.set_high_contrast(contrast)
            window.resize(*size)
            suffix = pass_suffix(language, large, contrast, size)
            start = len(written)
            _render_pass(window, out_dir, suffix, written)
            sheet = contact_sheet(written[start:], out_dir / f"contact-{suffix}.png")
            written.append(sheet)
        window.set_large_text(False)
        window.set_high_contrast(False)
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
