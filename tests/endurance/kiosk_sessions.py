"""A lobby's day in one process: the real kiosk (composition root, worker threads, SQLite
outbox, keyring) against a real central API on loopback, driven through many family
sessions, with memory, live Qt objects and the reference count of ``None`` sampled after
each one.

Run it as its own process, never inside pytest: a long pytest process holds millions of
references to ``None`` and hides the very crash this exists to catch (docs/endurance.md).

    python -m tests.endurance.kiosk_sessions --sessions 300 [--curve-every 50] [--json FILE]

Each session shows every screen of the sign-up journey with believable input, puts up the
error state of each form, switches to Spanish and back, turns large text on and off, and
then either finishes a real sign-up on the server or walks away and lets the idle
countdown wipe it. The exit status is 0 only when every session ran and, after the warm-up,
the live QObjects came back to their baseline and memory stayed within its budget.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from kiosk.app import Kiosk, build_kiosk, build_window
from kiosk.config import load_settings
from kiosk.demo import DemoCentral
from kiosk.domain import Language
from services.vault import open_vault
from ui.main_window import MainWindow

# Every Nth session walks away mid-form and is wiped by the real idle countdown; every Mth
# finishes a real sign-up on the server. The rest finish the review and go back.
ABANDON_EVERY = 4
SIGN_UP_EVERY = 5
WARM_UP_SESSIONS = 20
RSS_BUDGET_MIB = 5.0
IDLE_SECONDS = 0.15
COUNTDOWN_SECONDS = 0.1


class SessionFailed(RuntimeError):
    """The kiosk did not reach the screen or state a family would have seen."""


@dataclass
class Sample:
    session: int
    rss_kib: int
    qobjects: int
    none_refs: int
    seconds: float


@dataclass
class Report:
    sessions_run: int = 0
    sign_ups: int = 0
    idle_wipes: int = 0
    baseline: Sample | None = None
    final: Sample | None = None
    curve: list[Sample] = field(default_factory=list)
    failure: str = ""

    @property
    def rss_growth_mib(self) -> float:
        if self.baseline is None or self.final is None:
            return 0.0
        return (self.final.rss_kib - self.baseline.rss_kib) / 1024

    @property
    def qobject_growth(self) -> int:
        if self.baseline is None or self.final is None:
            return 0
        return self.final.qobjects - self.baseline.qobjects

    def ok(self) -> bool:
        return (
            not self.failure
            and self.final is not None
            and self.qobject_growth == 0
            and self.rss_growth_mib <= RSS_BUDGET_MIB
        )

    def as_json(self) -> dict[str, object]:
        return {
            "sessions_run": self.sessions_run,
            "sign_ups": self.sign_ups,
            "idle_wipes": self.idle_wipes,
            "baseline": asdict(self.baseline) if self.baseline else None,
            "final": asdict(self.final) if self.final else None,
            "rss_growth_mib": round(self.rss_growth_mib, 3),
            "qobject_growth": self.qobject_growth,
            "rss_budget_mib": RSS_BUDGET_MIB,
            "curve": [asdict(sample) for sample in self.curve],
            "failure": self.failure,
            "ok": self.ok(),
        }


def rss_kib() -> int:
    """Resident memory now (not the peak), from /proc where there is one."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") // 1024
    except OSError:  # not Linux: the peak is the best the standard library offers
        import resource

        return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def live_qobjects(app: QCoreApplication) -> int:
    """Every QObject reachable from the application or a top-level window."""
    count = len(app.findChildren(QObject))
    for widget in QApplication.topLevelWidgets():
        count += 1 + len(widget.findChildren(QObject))
    return count


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SessionFailed(f"timed out waiting for {what}")
        QTest.qWait(2)


class FamilyDriver:
    """Plays a family at the kiosk: touches buttons and types through the widgets' own
    methods, and pokes the idle watcher the way each touch would."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def touch(self, action: Callable[[], object]) -> None:
        action()
        self.window.idle.poke()
        # One turn of the event loop, deferred deletes included, as app.exec() would give.
        QTest.qWait(0)

    def expect(self, screen: str) -> None:
        wait_until(lambda: self.window.current_screen_name() == screen, f"the {screen} screen")

    def switch_language(self, *, large_text_too: bool) -> None:
        """To Spanish and back; with large text on and off in between if asked."""
        w = self.window
        self.touch(w.header.spanish_button.click)
        if w.language() is not Language.SPANISH:
            raise SessionFailed("the Spanish catalog did not load")
        if large_text_too:
            self.touch(w.header.large_text_button.click)
            self.touch(w.header.large_text_button.click)
        self.touch(w.header.english_button.click)

    def session(self, number: int, *, abandon: bool, sign_up: bool) -> str:
        """One family from the attract screen back to it; returns how it ended."""
        w = self.window
        self.expect("attract")
        self.touch(w.screens["attract"].start_button.click)
        self.touch(w.screens["home"].create_account_button.click)
        facility = w.screens["facility"]
        wait_until(lambda: len(facility.facility_buttons) > 0, "the facility list")
        self.touch(lambda: facility.choose("harbor-county-jail"))
        self.expect("resident")
        resident = w.screens["resident"]
        self.touch(lambda: resident.query.setText("lópez"))
        self.touch(resident.search_button.click)
        wait_until(lambda: len(resident.result_buttons) > 0, "resident matches")
        self.touch(resident.result_buttons[0].click)
        self.expect("register_name")
        self.switch_language(large_text_too=True)
        name = w.screens["register_name"]
        self.touch(name.next_button.click)  # the empty form's errors, then the fix
        self.touch(lambda: name.first_name.setText("Rosa"))
        # A name is letters only (the server refuses digits): the session number in letters.
        suffix = "".join("abcdefghij"[int(digit)] for digit in str(number)).title()
        self.touch(lambda: name.last_name.setText(f"Martínez {suffix}"))
        self.touch(name.next_button.click)
        self.expect("register_contact")
        if abandon:
            return self.walk_away()
        contact = w.screens["register_contact"]
        self.touch(lambda: contact.phone.setText("555"))
        self.touch(contact.next_button.click)
        self.touch(lambda: contact.phone.setText(phone_for(number)))
        self.touch(lambda: contact.email.setText(f"rosa{number}@example.org"))
        self.touch(contact.next_button.click)
        self.expect("register_address")
        address = w.screens["register_address"]
        self.touch(lambda: address.line1.setText("1200 Main St"))
        self.touch(lambda: address.city.setText("Houston"))
        self.touch(lambda: address.state.setText("tx"))
        self.touch(lambda: address.postal_code.setText("770"))
        self.touch(address.next_button.click)
        self.touch(lambda: address.postal_code.setText("77002"))
        self.touch(address.next_button.click)
        self.expect("register_pin")
        pin = w.screens["register_pin"]
        self.touch(lambda: pin.pin.setText("5820"))
        self.touch(lambda: pin.pin_confirm.setText("5821"))
        self.touch(pin.next_button.click)
        self.touch(lambda: pin.pin_confirm.setText("5820"))
        self.touch(pin.next_button.click)
        self.expect("review")
        self.switch_language(large_text_too=False)
        if not sign_up:
            # Back through every step to the start, as a family that changed its mind.
            while w.current_screen_name() != "home":
                self.touch(w.header.back_button.click)
            self.touch(w.header.back_button.click)
            self.touch(w.wipe)
            self.expect("attract")
            return "changed their mind"
        self.touch(w.screens["review"].create_button.click)
        self.expect("done")
        self.touch(w.screens["done"].finish_button.click)
        self.expect("attract")
        return "signed up"

    def walk_away(self) -> str:
        """Nobody touches anything: the real idle countdown wipes the session."""
        wait_until(lambda: self.window.current_screen_name() == "attract", "the idle wipe", 10)
        return "walked away"


def phone_for(number: int) -> str:
    # Real-looking Houston numbers, a different one for every session (555-01xx has 100).
    return f"(713) {400 + number // 10_000}-{number % 10_000:04d}"


def sample(app: QCoreApplication, session: int, started: float) -> Sample:
    gc.collect()
    return Sample(
        session=session,
        rss_kib=rss_kib(),
        qobjects=live_qobjects(app),
        none_refs=sys.getrefcount(None),
        seconds=round(time.monotonic() - started, 3),
    )


def run(
    sessions: int,
    curve_every: int,
    on_sample: Callable[[Sample], None] = lambda _s: None,
) -> Report:
    report = Report()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="lobby-kiosk-endurance-") as folder:
        central = DemoCentral(Path(folder) / "central")
        central.folder.mkdir()
        central.start()
        kiosk: Kiosk | None = None
        vault = open_vault("lobby-kiosk-endurance")
        vault.delete("kiosk-token")
        try:
            settings = replace(
                load_settings(Path(folder) / "absent.toml", environ={}),
                central_url=central.url,
                enrollment_code=central.enrollment_code,
                data_dir=str(Path(folder) / "kiosk-data"),
                kiosk_name="endurance",
                idle_seconds=IDLE_SECONDS,  # type: ignore[arg-type]
                countdown_seconds=COUNTDOWN_SECONDS,  # type: ignore[arg-type]
            )
            kiosk = build_kiosk(settings, vault=vault)
            window = build_window(kiosk)
            window.resize(1280, 800)
            window.show()
            driver = FamilyDriver(window)
            started = time.monotonic()
            for number in range(1, sessions + 1):
                abandon = number % ABANDON_EVERY == 0
                sign_up = not abandon and number % SIGN_UP_EVERY == 0
                ended = driver.session(number, abandon=abandon, sign_up=sign_up)
                report.sessions_run = number
                report.sign_ups += ended == "signed up"
                report.idle_wipes += ended == "walked away"
                on_curve = bool(curve_every) and number % curve_every == 0
                if on_curve or number in (WARM_UP_SESSIONS, sessions):
                    point = sample(app, number, started)
                    report.curve.append(point)
                    on_sample(point)
                    if number == WARM_UP_SESSIONS:
                        report.baseline = point
            report.final = report.curve[-1] if report.curve else None
            window.close()
            window.deleteLater()
        except SessionFailed as exc:
            report.failure = f"session {report.sessions_run + 1}: {exc}"
        finally:
            if kiosk is not None:
                kiosk.close()
            vault.delete("kiosk-token")
            central.stop()
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=300)
    parser.add_argument("--curve-every", type=int, default=50, help="sample every N sessions")
    parser.add_argument("--json", type=Path, help="write the report here")
    args = parser.parse_args(argv)
    if args.sessions <= WARM_UP_SESSIONS:
        parser.error(f"run more than the {WARM_UP_SESSIONS} warm-up sessions")

    def show(point: Sample) -> None:
        sys.stdout.write(
            f"session {point.session:6d}  rss {point.rss_kib / 1024:8.1f} MiB  "
            f"qobjects {point.qobjects:6d}  refs(None) {point.none_refs:9d}  "
            f"{point.seconds:8.1f} s\n"
        )
        sys.stdout.flush()

    report = run(args.sessions, args.curve_every, show)
    summary = report.as_json()
    if args.json is not None:
        args.json.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    sys.stdout.write(
        f"{report.sessions_run} sessions ({report.sign_ups} sign-ups, {report.idle_wipes} idle "
        f"wipes); memory growth after warm-up {report.rss_growth_mib:.2f} MiB "
        f"(budget {RSS_BUDGET_MIB}); live QObjects {report.qobject_growth:+d}; "
        f"{'ok' if report.ok() else 'FAILED ' + report.failure}\n"
    )
    return 0 if report.ok() else 1


if __name__ == "__main__":
    raise SystemExit(main())
