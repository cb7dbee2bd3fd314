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
from kiosk.domain import Language, RegistrationOutcome, RegistrationResult
from kiosk.flows.catalog import step_names
from kiosk.requests import (
    AddLovedOne,
    AdviseFromEstimate,
    AdviseFromHistory,
    BuySubscription,
    Deposit,
    DiscardOutboxEntry,
    LoadAccount,
    LoadFacilities,
    LoadOutbox,
    LoadPlans,
    LoadRates,
    LoadSignUpConflicts,
    LoadTransactions,
    ManageSubscription,
    QueueLovedOne,
    QuoteDeposit,
    QuoteSubscription,
    RecordStaffAction,
    Register,
    Request,
    RequestRefund,
    ResolveSignUpConflict,
    RetryOutbox,
    SaveCard,
    SearchResidents,
    SignIn,
    StaffSignIn,
)
from kiosk.tour_samples import (
    SAMPLE_ACCOUNT,
    SAMPLE_ADVICE,
    SAMPLE_BAD_TYPING,
    SAMPLE_CONFLICTS,
    SAMPLE_ERRORS,
    SAMPLE_FACILITIES,
    SAMPLE_OUTBOX,
    SAMPLE_PARTIAL_TYPING,
    SAMPLE_PLANS,
    SAMPLE_QUOTE,
    SAMPLE_RATES,
    SAMPLE_RECEIPT,
    SAMPLE_REFUND,
    SAMPLE_RESIDENTS,
    SAMPLE_STAFF,
    SAMPLE_SUBSCRIPTION_QUOTE,
    SAMPLE_TRANSACTIONS,
    SAMPLE_TYPING,
)
from ui.main_window import MainWindow

TOUR_SIZE = (1280, 800)
LANGUAGES = (Language.ENGLISH, Language.SPANISH)

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
        elif isinstance(request, SignIn | LoadAccount | AddLovedOne):
            self.answer(request, SAMPLE_ACCOUNT)
        elif isinstance(request, QueueLovedOne):
            self.answer(request, replace(SAMPLE_ACCOUNT, waiting_loved_ones=(
                SAMPLE_RESIDENTS[0].display_name,)))
        elif isinstance(request, QuoteDeposit):
            self.answer(request, SAMPLE_QUOTE)
        elif isinstance(request, Deposit):
            self.answer(request, SAMPLE_RECEIPT)
        elif isinstance(request, LoadPlans):
            self.answer(request, list(SAMPLE_PLANS))
        elif isinstance(request, QuoteSubscription):
            self.answer(request, SAMPLE_SUBSCRIPTION_QUOTE)
        elif isinstance(request, LoadTransactions):
            self.answer(request, SAMPLE_TRANSACTIONS)
        elif isinstance(request, RequestRefund):
            self.answer(request, SAMPLE_REFUND)
        elif isinstance(request, AdviseFromEstimate | AdviseFromHistory):
            self.answer(request, SAMPLE_ADVICE)
        elif isinstance(request, LoadRates):
            self.answer(request, list(SAMPLE_RATES))
        elif isinstance(request, ManageSubscription | BuySubscription):
            self.answer(request, SAMPLE_ACCOUNT.subscriptions[0])
        elif isinstance(request, SaveCard):
            self.answer(request, SAMPLE_RECEIPT.card)
        elif isinstance(request, StaffSignIn):
            self.answer(request, SAMPLE_STAFF)
        elif isinstance(request, LoadSignUpConflicts):
            self.answer(request, list(SAMPLE_CONFLICTS))
        elif isinstance(request, LoadOutbox | RetryOutbox | DiscardOutboxEntry):
            self.answer(request, list(SAMPLE_OUTBOX))
        elif isinstance(request, ResolveSignUpConflict | RecordStaffAction):
            self.answer(request, None)


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
    for name, fields in SAMPLE_TYPING.items():
        form = screens[name]
        for field, text in fields.items():
            form.line_edit(field).setText(text)
        form.validate_fields()
    for name, fields in SAMPLE_PARTIAL_TYPING.items():
        for field, text in fields.items():
            screens[name].line_edit(field).setText(text)
    for screen in screens.values():
        flow.record({k: v for k, v in screen.values().items() if v is not None})
    flow.record({"registration": RegistrationResult(RegistrationOutcome.CREATED, "acct-1")})
    flow.record({"account": SAMPLE_ACCOUNT, "deposit_quote": SAMPLE_QUOTE,
                 "deposit_receipt": SAMPLE_RECEIPT, "plans": list(SAMPLE_PLANS),
                 "subscription_quote": SAMPLE_SUBSCRIPTION_QUOTE,
                 "purchase": SAMPLE_ACCOUNT.subscriptions[0],
                 "manage_action": ("sub-1", "cancel"), "rates": list(SAMPLE_RATES),
                 "advice": SAMPLE_ADVICE, "transactions": SAMPLE_TRANSACTIONS,
                 "refund": SAMPLE_REFUND, "staff": SAMPLE_STAFF,
                 "conflicts": list(SAMPLE_CONFLICTS), "conflict": SAMPLE_CONFLICTS[0],
                 "outbox": list(SAMPLE_OUTBOX), "outbox_row": SAMPLE_OUTBOX[3]})


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
        window.router.flow.forget("account", "staff")
    elif not name.startswith("staff_"):
        window.router.flow.forget("staff")  # family screens as a family sees them
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


def _render_pass(window: MainWindow, out_dir: Path, suffix: str, written: list[Path]) -> None:
    for name in step_names():
        show_sample(window, name)
        _grab(window, out_dir / f"{name}-{suffix}.png", written)
        for state in error_states(window, name):
            _grab(window, out_dir / f"{name}-{state}-{suffix}.png", written)
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


def render_tour(
    window_factory: Callable[[], MainWindow], out_dir: Path, *, large_text: bool = True
) -> list[Path]:
    """Grab every step at 1280x800 in each language as ``<step>-<lang>.png``, each of its
    error states (``error_states``) as ``<step>-<state>-<lang>.png``, the idle countdown
    as ``idle-<lang>.png`` and, with ``large_text``, everything again with large text in
    both languages (``<step>-es-large.png``). Each pass also gets a contact sheet,
    ``contact-<lang>[-large].png``. Returns the files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    window = window_factory()
    window.resize(*TOUR_SIZE)
    window.show()
    written: list[Path] = []
    passes = [(language, False) for language in LANGUAGES]
    if large_text:
        passes += [(language, True) for language in LANGUAGES]
    try:
        for language, large in passes:
            window.set_language(language)
            window.set_large_text(large)
            suffix = language.value + ("-large" if large else "")
            start = len(written)
            _render_pass(window, out_dir, suffix, written)
            sheet = contact_sheet(written[start:], out_dir / f"contact-{suffix}.png")
            written.append(sheet)
        window.set_large_text(False)
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
