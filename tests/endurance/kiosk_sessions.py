"""A lobby's day in one process: the real kiosk (composition root, worker threads, SQLite
outbox, keyring) against a real central API on loopback, driven through many family
sessions, with memory, live Qt objects and the reference count of ``None`` sampled after
each one.

Run it as its own process, never inside pytest: a long pytest process holds millions of
references to ``None`` and hides the very crash this exists to catch (docs/endurance.md).

    python -m tests.endurance.kiosk_sessions --sessions 300 [--curve-every 50] [--json FILE]

Each session shows every screen of the sign-up journey with believable input, puts up the
error state of each form, switches to Spanish and back, turns large text on and off, and
then either finishes a real sign-up on the server (landing on the family's account) or
walks away and lets the idle countdown wipe it. Every third session is a returning family
instead: a wrong PIN, "Forgot your PIN?", the right PIN, their account, then in turns
either $10 added to AdvanceConnect with a card typed on the card keypad and a
subscription's plans, renewal and terms (without buying), or the manage screen, the calls
not covered and the plan advisor; then sign out.
The exit status is 0 only when every session ran and, after the warm-up,
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
RETURN_EVERY = 3  # a family that already has an account signs in
# Every journey has shown all its screens and filled its caches by then (measured: memory
# settles between sessions 20 and 40, flat after).
WARM_UP_SESSIONS = 40
# A returning family types a wrong PIN first at most this often: more would trip the
# server's lockout of a kiosk that sees 20 wrong PINs in an hour.
WRONG_PIN_EVERY_SECONDS = 200.0
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
    sign_ins: int = 0
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
            "sign_ins": self.sign_ins,
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


# Longer than the kiosk's own worst case for one answer (a 10 s read timeout, retried): a
# slow server on a busy machine must not pass for a kiosk that stopped answering.
WAIT_SECONDS = 45.0


def wait_until(
    condition: Callable[[], bool],
    what: str,
    timeout: float = WAIT_SECONDS,
    meanwhile: Callable[[], object] = lambda: None,
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SessionFailed(f"timed out waiting for {what}")
        meanwhile()
        QTest.qWait(2)


class FamilyDriver:
    """Plays a family at the kiosk: touches buttons and types through the widgets' own
    methods, and pokes the idle watcher the way each touch would."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.known_phone = ""  # of the last family that signed up, to sign in with
        self.last_wrong_pin = -WRONG_PIN_EVERY_SECONDS

    def touch(self, action: Callable[[], object]) -> None:
        action()
        self.window.idle.poke()
        # One turn of the event loop, deferred deletes included, as app.exec() would give.
        QTest.qWait(0)

    def wait(self, condition: Callable[[], bool], what: str) -> None:
        """Wait for the kiosk while the family stands there watching: the short idle time of
        this run must not wipe a session that is only waiting for the server."""
        wait_until(condition, what, meanwhile=self.window.idle.poke)

    def expect(self, screen: str) -> None:
        self.wait(lambda: self.window.current_screen_name() == screen, f"the {screen} screen")

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
        self.wait(lambda: len(facility.facility_buttons) > 0, "the facility list")
        self.touch(lambda: facility.choose("harbor-county-jail"))
        self.expect("resident")
        resident = w.screens["resident"]
        self.touch(lambda: resident.query.setText("lópez"))
        self.touch(resident.search_button.click)
        self.wait(lambda: len(resident.result_buttons) > 0, "resident matches")
        self.touch(resident.result_buttons[0].click)
        self.expect("register_name")
        self.switch_language(large_text_too=True)
        name = w.screens["register_name"]
        self.touch(name.next_button.click)  # the empty form's errors, then the fix
        self.touch(lambda: name.first_name.setText("Rosa"))
        self.touch(lambda: name.last_name.setText(f"Martínez {letters_for(number)}"))
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
        self.at_home()  # a new family lands on their account, signed in
        self.known_phone = phone_for(number)
        self.touch(w.screens["account_home"].sign_out_button.click)
        self.expect("attract")
        return "signed up"

    def at_home(self) -> None:
        home = self.window.screens["account_home"]
        self.expect("account_home")
        self.wait(lambda: home.busy_indicator.isHidden(), "the account")

    def returning_family(self, visit: int = 0) -> str:
        """A family with an account: a wrong PIN, "Forgot your PIN?", then the right one,
        their account in both languages, and sign out."""
        w = self.window
        self.expect("attract")
        self.touch(w.screens["attract"].start_button.click)
        self.touch(w.screens["home"].sign_in_button.click)
        self.expect("sign_in")
        screen = w.screens["sign_in"]
        self.touch(lambda: screen.phone.setText(self.known_phone))
        if time.monotonic() - self.last_wrong_pin >= WRONG_PIN_EVERY_SECONDS:
            self.last_wrong_pin = time.monotonic()
            self.touch(lambda: screen.pin.setText("9137"))
            self.touch(screen.next_button.click)
            self.wait(lambda: screen.detail.isVisible(), "the tries left")
            self.touch(screen.forgot_button.click)
            self.expect("forgot_pin")
            self.switch_language(large_text_too=False)
            self.touch(w.screens["forgot_pin"].back_button.click)
            self.expect("sign_in")
        self.touch(lambda: screen.pin.setText("5820"))
        self.touch(screen.next_button.click)
        self.at_home()
        self.switch_language(large_text_too=True)
        # Returning families take turns between two errands, so a session stays short.
        if visit % 2 == 0:
            self.add_money()
            self.look_at_plans()
        else:
            self.other_screens()
        self.touch(w.screens["account_home"].sign_out_button.click)
        self.expect("attract")
        return "signed in"

    def other_screens(self) -> None:
        """The manage list, the calls not covered and the plan advisor, then home."""
        w = self.window
        self.touch(w.screens["account_home"].action_buttons["manage"].click)
        self.expect("manage_list")
        self.wait(lambda: w.screens["manage_list"].busy_indicator.isHidden(), "the manage list")
        self.touch(w.header.back_button.click)
        self.at_home()
        self.touch(w.screens["account_home"].action_buttons["uncovered"].click)
        self.expect("uncovered_calls")
        self.wait(lambda: bool(w.screens["uncovered_calls"].rates), "the rates")
        self.touch(w.screens["uncovered_calls"].done_button.click)
        self.at_home()
        self.ask_the_advisor()

    def ask_the_advisor(self) -> None:
        w = self.window
        self.touch(w.screens["account_home"].action_buttons["advisor"].click)
        self.expect("advisor_basis")
        self.touch(w.screens["advisor_basis"].basis_buttons["estimate"].click)
        self.expect("advisor_estimate")
        estimate = w.screens["advisor_estimate"]
        for name, text in (("calls_per_month", "30"), ("average_minutes", "0"),
                           ("video_sessions_per_month", "2")):
            self.touch(lambda n=name, t=text: estimate.line_edit(n).setText(t))
        self.touch(estimate.next_button.click)  # 0 minutes: the form's error first
        self.touch(lambda: estimate.line_edit("average_minutes").setText("12"))
        self.touch(estimate.next_button.click)
        self.expect("advisor_result")
        self.touch(w.screens["advisor_result"].done_button.click)
        self.at_home()

    def look_at_plans(self) -> None:
        """Buy a subscription up to the terms, tick them, then change their mind: a family
        holds one per service, so a day of purchases would only meet "already subscribed"."""
        w = self.window
        self.touch(w.screens["account_home"].action_buttons["buy"].click)
        plans = w.screens["buy_plan"]
        self.expect("buy_plan")
        self.wait(lambda: len(plans.plan_buttons) > 0, "the plans")
        self.touch(plans.plan_buttons[0].click)
        self.expect("buy_renewal")
        self.touch(w.screens["buy_renewal"].auto_button.click)
        self.expect("buy_terms")
        terms = w.screens["buy_terms"]
        self.wait(lambda: terms.busy_indicator.isHidden(), "the quote")
        self.touch(lambda: terms.accept.setChecked(True))
        self.switch_language(large_text_too=True)
        while w.current_screen_name() != "account_home":
            self.touch(w.header.back_button.click)
        self.at_home()

    def add_money(self) -> None:
        """$10 to AdvanceConnect with a card typed on the card keypad (a typo first)."""
        w = self.window
        self.touch(w.screens["account_home"].action_buttons["deposit"].click)
        amount = w.screens["deposit_amount"]
        self.expect("deposit_amount")
        self.wait(lambda: amount.quote is not None, "the deposit limits")
        self.touch(amount.preset_buttons[1000].click)
        self.expect("deposit_confirm")
        confirm = w.screens["deposit_confirm"]
        self.touch(confirm.other_card_button.click if confirm.card else confirm.pay_button.click)
        self.expect("card_entry")
        card = w.screens["card_entry"]
        self.touch(lambda: card.number.setText("4242 4242 4242 4241"))
        self.touch(card.next_button.click)  # the check digit catches the typo
        self.touch(lambda: card.number.setText("4242 4242 4242 4242"))
        self.touch(lambda: card.expiry.setText("12/30"))
        self.touch(lambda: card.cvc.setText("123"))
        self.touch(lambda: card.zip.setText("77002"))
        self.touch(card.next_button.click)
        self.expect("deposit_confirm")
        self.switch_language(large_text_too=False)
        self.touch(confirm.pay_button.click)
        self.expect("deposit_receipt")
        self.touch(w.screens["deposit_receipt"].done_button.click)
        self.at_home()

    def walk_away(self) -> str:
        """Nobody touches anything: the real idle countdown wipes the session."""
        wait_until(lambda: self.window.current_screen_name() == "attract", "the idle wipe", 10)
        return "walked away"


def letters_for(number: int) -> str:
    """A name part unique to the session: names are letters only (the server refuses digits)."""
    word = ""
    while True:
        number, digit = divmod(number, 26)
        word = "abcdefghijklmnopqrstuvwxyz"[digit] + word
        if number == 0:
            return word.capitalize()


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
        # One kiosk plays a whole day of families in minutes: far more sign-ups and sign-ins
        # a minute than a lobby sees, so the server's per-kiosk rates are raised for it.
        central = DemoCentral(Path(folder) / "central",
                              ["--sign-up-limit", "100000", "--sign-in-limit", "100000"])
        central.folder.mkdir()
        central.start()
        kiosk: Kiosk | None = None
        vault = open_vault("lobby-kiosk-endurance")
        for entry in ("kiosk-token", "kiosk-token-pending"):
            vault.delete(entry)
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
            # Its server lives only as long as this run: a volatile token is fine.
            kiosk = build_kiosk(settings, vault=vault, demo=True)
            window = build_window(kiosk)
            window.resize(1280, 800)
            window.show()
            driver = FamilyDriver(window)
            started = time.monotonic()
            for number in range(1, sessions + 1):
                abandon = number % ABANDON_EVERY == 0
                sign_up = not abandon and number % SIGN_UP_EVERY == 0
                returning = (
                    not abandon and not sign_up and number % RETURN_EVERY == 0
                    and bool(driver.known_phone)
                )
                if returning:
                    ended = driver.returning_family(number // RETURN_EVERY)
                else:
                    ended = driver.session(number, abandon=abandon, sign_up=sign_up)
                report.sessions_run = number
                report.sign_ups += ended == "signed up"
                report.sign_ins += ended == "signed in"
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
        f"{report.sessions_run} sessions ({report.sign_ups} sign-ups, {report.sign_ins} sign-ins,"
        f" {report.idle_wipes} idle wipes); memory growth after warm-up"
        f" {report.rss_growth_mib:.2f} MiB "
        f"(budget {RSS_BUDGET_MIB}); live QObjects {report.qobject_growth:+d}; "
        f"{'ok' if report.ok() else 'FAILED ' + report.failure}\n"
    )
    return 0 if report.ok() else 1


if __name__ == "__main__":
    raise SystemExit(main())
