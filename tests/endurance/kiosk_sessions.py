"""A lobby's day in one process: the real kiosk (composition root, worker threads, SQLite
outbox, keyring) against a real central API on loopback, driven through many family
sessions, with memory, live Qt objects and the reference count of ``None`` sampled after
each one.

Run it as its own process, never inside pytest: a long pytest process holds millions of
references to ``None`` and hides the very crash this exists to catch (docs/endurance.md).

    python -m tests.endurance.kiosk_sessions --sessions 300 [--curve-every 50] [--json FILE]

Across the sessions every registered screen of every journey is shown (ui/screens/
registry.py), each form with its error state, in English and Spanish, in normal and large
text: each family keeps a look of its own for the whole session (English or Spanish,
normal or large text, in turns), switches to the other language and back on a screen or
two, and ends in the real idle wipe or a sign-out, which puts the kiosk's own look back.
The session mix, by number:

- a sign-up up to the review, then back step by step; every 4th walks away and is wiped
  by the idle countdown; every 5th signs up for real, lands on the account and buys the
  call subscription (the terms accepted, paid on the simulated card reader, the receipt
  printed on python-escpos's Dummy printer), renewing by hand for sign-ups 5, 15, 25, ...
  and automatically for the others;
- every 3rd, a returning family (the last one that signed up): a wrong PIN now and then,
  "Forgot your PIN?" every other visit, then the right PIN; a family whose plan renews by
  hand and is not paid ahead yet renews now on the card reader (My subscriptions, Renew
  now, the reader instead of the card on file, the receipt); then one errand in turns: $10
  added with a card typed on the keypad, the payments list and that balance refunded (No
  first, then yes), another plan up to its terms; or the manage list with one confirmed change (auto
  and manual renewal switched, or cancelled and kept), the calls not covered and the plan
  advisor, after $5 added in cash on the simulated note acceptor (a note it cannot read,
  then a jam: its own screen, Done, the receipt); or a loved one: the one already on the
  account (the server says so), then
  someone new, "No, search again" once, added while the account has room;
- every 10th (1, 11, 21, ...), lobby staff: five taps in the corner, the badge sign-in with
  its empty-form errors, the outbox retried and a conflict discarded with a reason, the
  sign-up conflicts with one resolved, the cash box counted and removed, on every other
  visit a note left in doubt (as by a kiosk that died while its unit stacked) credited or
  marked not found with a reason, "Help a family" up to the facility list, then End staff
  mode (or the idle wipe);
- the session before each staff visit (9, 19, ...) signs up while the network is away,
  with the phone number of a family that already has an account: the done screen says it
  was saved; the staff visit after it sends it and meets it as a conflict.

The exit status is 0 only when every session ran, every registered screen was shown in
both languages and both text sizes, and, after the warm-up, the live QObjects came back to
their baseline and memory stayed within its budget.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import json
import os
import socket
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from escpos.printer import Dummy
from PySide6.QtCore import QCoreApplication, QObject, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication

from kiosk.app import Kiosk, build_kiosk, build_window
from kiosk.capabilities.cash import CashDesk
from kiosk.config import load_settings
from kiosk.demo import DemoCentral
from kiosk.domain import Language, RegistrationOutcome, SubscriptionView
from kiosk.staff import STAFF_TAPS
from services.central_client import CentralClient
from services.receipts import ReceiptPrinter
from services.vault import open_vault
from ui.main_window import MainWindow
from ui.screens.registry import SCREEN_PATHS
from ui.widgets.subscription_row import SubscriptionRow

# Every Nth session walks away mid-form and is wiped by the real idle countdown; every Mth
# finishes a real sign-up on the server. The rest finish the review and go back.
ABANDON_EVERY = 4
SIGN_UP_EVERY = 5
RETURN_EVERY = 3  # a family that already has an account signs in
# Every STAFF_EVERY sessions, staff mode (session 1, 1 + STAFF_EVERY, ...); the session
# just before each turn is a sign-up while the network is away, which the staff then meet
# as a conflict. Both fall on odd numbers ending in 1 and 9: never a walk-away or sign-up.
STAFF_EVERY = 10
# Every journey has shown all its screens and filled its caches by then (measured: memory
# settles between sessions 20 and 40, flat after).
WARM_UP_SESSIONS = 40

# Sign-ups 5, 15, 25, ... buy their plan renewing by hand, the others automatically; a
# family renewing by hand renews now on the card reader at its next visit.
BY_HAND_EVERY = 10
# A returning family types a wrong PIN first at most this often: more would trip the
# server's lockout of a kiosk that sees 20 wrong PINs in an hour.
WRONG_PIN_EVERY_SECONDS = 200.0
RSS_BUDGET_MIB = 5.0
IDLE_SECONDS = 0.15
COUNTDOWN_SECONDS = 0.1
# While a family is at the screen the kiosk's idle times are long (the driver pokes it as
# each touch would, but a loaded machine can hold the GUI thread past 0.25 s between two
# pokes: the run of ef9025a lost a purchase to a wipe that way); walk_away makes them short.
PRESENT_IDLE_SECONDS = (60.0, 30.0)
# Each session's family keeps one look throughout, in turns: (Spanish, large text).
LOOKS = ((False, False), (True, False), (False, True), (True, True))
# The demo server's supervisor (central/seed.py; test_endurance.py checks they agree).
DEMO_STAFF_BADGE, DEMO_STAFF_PIN = "1001", "2468"
# Loved ones at Harbor County Jail to add, by search and id (the demo's residents), and
# the most one account links (central MAX_LINKED_RESIDENTS).
LOVED_ONES = (("johnson", "harbor-county-jail:002"), ("nguyen", "harbor-county-jail:003"),
              ("smith", "harbor-county-jail:004"), ("williams", "harbor-county-jail:006"),
              ("brown", "harbor-county-jail:008"))
MAX_LOVED_ONES = 5
CUT = b"\x1dV\x00"  # ESC/POS full cut: the end of every printed receipt


class SessionFailed(RuntimeError):
    """The kiosk did not reach the screen or state a family would have seen."""


@dataclass
class ScreenLog:
    """Which screens the run showed, how often, and in which language and text size: a
    screen that no session reaches fails the run with its name."""

    entries: Counter[str] = field(default_factory=Counter)
    after_warm_up: Counter[str] = field(default_factory=Counter)
    looks: dict[str, set[tuple[str, bool]]] = field(default_factory=dict)
    warmed_up: bool = False

    def entered(self, name: str) -> None:
        self.entries[name] += 1
        if self.warmed_up:
            self.after_warm_up[name] += 1

    def seen(self, name: str, language: Language, large_text: bool) -> None:
        self.looks.setdefault(name, set()).add((language.value, large_text))

    def gaps(self, registered: Iterable[str]) -> list[str]:
        """What was never shown: a screen at all, or in Spanish, English, large or normal
        text."""
        missing = []
        for name in sorted(registered):
            looks = self.looks.get(name, set())
            if not looks:
                missing.append(f"{name} never shown")
                continue
            never = [what for what, shown in (
                ("in English", any(lang == Language.ENGLISH.value for lang, _ in looks)),
                ("in Spanish", any(lang == Language.SPANISH.value for lang, _ in looks)),
                ("in normal text", any(not large for _, large in looks)),
                ("in large text", any(large for _, large in looks)),
            ) if not shown]
            if never:
                missing.append(f"{name} never {' or '.join(never)}")
        return missing


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
    offline_sign_ups: int = 0
    staff_visits: int = 0
    receipts_printed: int = 0
    renewals: int = 0
    notes_settled: int = 0
    screens: ScreenLog = field(default_factory=ScreenLog)
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
            "offline_sign_ups": self.offline_sign_ups,
            "staff_visits": self.staff_visits,
            "receipts_printed": self.receipts_printed,
            "renewals": self.renewals,
            "notes_settled": self.notes_settled,
            # How often each registered screen was shown after the warm-up.
            "screens_after_warm_up": {
                name: self.screens.after_warm_up[name] for name in sorted(SCREEN_PATHS)},
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


class Network:
    """The run owns its server: taking the network away is pointing the kiosk's client at
    a port nobody listens on (refused at once, as a pulled cable soon is), as tests/e2e do."""

    def __init__(self, client: CentralClient, url: str) -> None:
        self._client = client
        self._url = url
        self._nowhere = f"http://127.0.0.1:{_free_port()}"

    @contextmanager
    def away(self) -> Iterator[None]:
        self._client.base_url = self._nowhere
        try:
            yield
        finally:
            self._client.base_url = self._url


class PaperRoll:
    """The receipt printer: python-escpos's Dummy, a fresh connection per receipt as a real
    printer's is, counting the receipts that were printed and cut."""

    def __init__(self) -> None:
        self.receipts = 0
        self.printer = ReceiptPrinter(lambda: _Connection(self))


class _Connection(Dummy):
    """One receipt's connection: counts it once cut, and keeps no paper in memory."""

    def __init__(self, roll: PaperRoll) -> None:
        super().__init__()
        self._roll = roll

    def close(self) -> None:
        if CUT in self.output:
            self._roll.receipts += 1
        self.clear()


class FamilyDriver:
    """Plays a family (or lobby staff) at the kiosk: touches buttons and types through the
    widgets' own methods, and pokes the idle watcher the way each touch would."""

    def __init__(self, window: MainWindow, network: Network, log: ScreenLog,
                 cash: CashDesk | None = None) -> None:
        self.window = window
        self.network = network
        self.log = log
        self.cash = cash  # the kiosk's note acceptor and its journal
        self.known_phone = ""  # of the last family that signed up, to sign in with
        self.account_id = ""  # and its account
        self.last_wrong_pin = -WRONG_PIN_EVERY_SECONDS
        self.renewals = 0  # renew-now paid on the card reader
        self.notes_settled = 0  # notes in doubt staff credited or marked not found
        window.router.entered.connect(log.entered)
        window.idle.set_times(*PRESENT_IDLE_SECONDS)

    def note(self) -> None:
        """What the family sees now goes into the log, in the language and size shown."""
        w = self.window
        self.log.seen(w.current_screen_name(), w.language(), w.theme.large_text)

    def touch(self, action: Callable[[], object]) -> None:
        action()
        self.window.idle.poke()
        # One turn of the event loop, deferred deletes included, as app.exec() would give.
        QTest.qWait(0)
        self.note()

    def next_on(self, screen: Any) -> None:
        """Next on ``screen``, as often as a family must: a form whose fields do not fit the
        window (large text) shows them a page at a time, and Next on a page before the last
        shows the next page (docs/accessibility.md). It stops when the step is left, or
        when the page did not change (an error shown, or the request on its way)."""
        for _ in range(max(1, getattr(screen, "page_count", 1))):
            before = getattr(screen, "page", 0)
            self.touch(screen.next_button.click)
            if (self.window.current_screen_name() != screen.name
                    or getattr(screen, "page", 0) == before):
                return

    def wait(self, condition: Callable[[], bool], what: str) -> None:
        """Wait for the kiosk while the family stands there watching: the short idle time of
        this run must not wipe a session that is only waiting for the server."""
        wait_until(condition, what, meanwhile=self.window.idle.poke)
        self.note()

    def expect(self, screen: str) -> None:
        try:
            self.wait(lambda: self.window.current_screen_name() == screen,
                      f"the {screen} screen")
        except SessionFailed as failed:
            raise SessionFailed(
                f"{failed} (still on {self.window.current_screen_name()})") from None

    def tap_to(self, button: QAbstractButton, screen: str) -> Any:
        """Touch ``button`` and wait for the step ``screen`` it leads to; that screen."""
        self.touch(button.click)
        self.expect(screen)
        return self.window.screens[screen]

    def back_to(self, screen: str) -> None:
        """Back, step by step, to ``screen``."""
        while self.window.current_screen_name() != screen:
            self.touch(self.window.header.back_button.click)

    def dress(self, number: int) -> None:
        """The family's own look for the whole session, in turns: English or Spanish,
        normal or large text. The wipe at the end puts the kiosk's own look back."""
        spanish, large = LOOKS[(number // STAFF_EVERY + number) % len(LOOKS)]
        w = self.window
        if spanish:
            self.touch(w.header.spanish_button.click)
            if w.language() is not Language.SPANISH:
                raise SessionFailed("the Spanish catalog did not load")
        if large:
            self.touch(w.header.large_text_button.click)

    def switch_language(self) -> None:
        """To the other language and back, as a family checking a word."""
        w = self.window
        spanish = w.language() is Language.SPANISH
        self.touch((w.header.english_button if spanish else w.header.spanish_button).click)
        if (w.language() is Language.SPANISH) is spanish:
            raise SessionFailed("the language did not change")
        self.touch((w.header.spanish_button if spanish else w.header.english_button).click)

    def session(self, number: int, *, abandon: bool, sign_up: bool) -> str:
        """One family from the attract screen back to it; returns how it ended."""
        w = self.window
        self.expect("attract")
        self.dress(number)
        self.touch(w.screens["attract"].start_button.click)
        self.touch(w.screens["home"].create_account_button.click)
        self.find_loved_one("lópez")
        self.expect("register_name")
        name = w.screens["register_name"]
        self.next_on(name)  # the empty form's errors, then the fix
        self.switch_language()
        self.touch(lambda: name.first_name.setText("Rosa"))
        self.touch(lambda: name.last_name.setText(f"Martínez {letters_for(number)}"))
        self.next_on(name)
        self.expect("register_contact")
        if abandon:
            return self.walk_away()  # in the family's look: the wipe restores the kiosk's
        contact = w.screens["register_contact"]
        self.touch(lambda: contact.phone.setText("555"))
        self.next_on(contact)
        self.touch(lambda: contact.phone.setText(phone_for(number)))
        self.touch(lambda: contact.email.setText(f"rosa{number}@example.org"))
        self.next_on(contact)
        self.expect("register_address")
        address = w.screens["register_address"]
        self.touch(lambda: address.line1.setText("1200 Main St"))
        self.touch(lambda: address.city.setText("Houston"))
        self.touch(lambda: address.state.setText("tx"))
        self.touch(lambda: address.postal_code.setText("770"))
        self.next_on(address)
        self.touch(lambda: address.postal_code.setText("77002"))
        self.next_on(address)
        self.expect("register_pin")
        pin = w.screens["register_pin"]
        self.touch(lambda: pin.pin.setText("5820"))
        self.touch(lambda: pin.pin_confirm.setText("5821"))
        self.next_on(pin)
        self.touch(lambda: pin.pin_confirm.setText("5820"))
        self.next_on(pin)
        self.expect("review")
        self.switch_language()
        if not sign_up:
            # Back through every step to the start, as a family that changed its mind.
            self.back_to("home")
            self.touch(w.header.back_button.click)
            self.touch(w.wipe)
            self.expect("attract")
            return "changed their mind"
        self.touch(w.screens["review"].create_button.click)
        self.at_home()  # a new family lands on their account, signed in
        self.known_phone = phone_for(number)
        account = w.screens["account_home"].account
        self.account_id = account.account_id if account is not None else ""
        self.buy_a_subscription(by_hand=number % BY_HAND_EVERY == BY_HAND_EVERY // 2)  # 5, 15
        self.tap_to(w.screens["account_home"].sign_out_button, "attract")
        return "signed up"

    def find_loved_one(self, query: str) -> None:
        """The facility list, Harbor County, a search, the first match."""
        w = self.window
        facility = w.screens["facility"]
        self.wait(lambda: len(facility.facility_buttons) > 0, "the facility list")
        self.touch(lambda: facility.choose("harbor-county-jail"))
        self.search(query)
        self.touch(w.screens["resident"].result_buttons[0].click)

    def search(self, query: str) -> None:
        self.expect("resident")
        resident = self.window.screens["resident"]
        self.touch(lambda: resident.query.setText(query))
        self.touch(resident.search_button.click)
        self.wait(lambda: len(resident.result_buttons) > 0, "resident matches")

    def offline_sign_up(self, number: int) -> str:
        """A family signs up while the network is away, with a phone number that already
        has an account (they forgot): the done screen says it was saved, and once the
        network is back it becomes a conflict for staff to resolve."""
        w = self.window
        self.expect("attract")
        self.dress(number)
        self.touch(w.screens["attract"].start_button.click)
        self.touch(w.screens["home"].create_account_button.click)
        self.find_loved_one("lópez")
        self.fill_details(number, self.known_phone)
        self.choose_pin()
        with self.network.away():
            self.tap_to(w.screens["review"].create_button, "done")
        done = w.screens["done"]
        if done.result is None or done.result.outcome is not RegistrationOutcome.QUEUED:
            raise SessionFailed("the sign-up was not saved for later")
        self.switch_language()
        self.tap_to(done.finish_button, "attract")
        return "saved offline"

    def fill_details(self, number: int, phone: str) -> None:
        """The name, contact and address steps, filled right the first time."""
        w = self.window
        self.expect("register_name")
        name = w.screens["register_name"]
        self.touch(lambda: name.first_name.setText("Rosa"))
        self.touch(lambda: name.last_name.setText(f"Martínez {letters_for(number)}"))
        self.next_on(name)
        contact = w.screens["register_contact"]
        self.expect("register_contact")
        self.touch(lambda: contact.phone.setText(phone))
        self.touch(lambda: contact.email.setText(f"rosa{number}@example.org"))
        self.next_on(contact)
        self.expect("register_address")
        address = w.screens["register_address"]
        for field_name, text in (("line1", "1200 Main St"), ("city", "Houston"),
                                 ("state", "tx"), ("postal_code", "77002")):
            self.touch(lambda f=field_name, t=text: address.line_edit(f).setText(t))
        self.next_on(address)

    def choose_pin(self) -> None:
        """The PIN step, then the review."""
        w = self.window
        self.expect("register_pin")
        pin = w.screens["register_pin"]
        self.touch(lambda: pin.pin.setText("5820"))
        self.touch(lambda: pin.pin_confirm.setText("5820"))
        self.next_on(pin)
        self.expect("review")

    def assisted_sign_up(self, number: int) -> None:
        """From the facility list in staff mode: staff fill the family's details, hand the
        screen over for the PIN, and the family's "Your account is ready" leads back to the
        staff home."""
        w = self.window
        self.find_loved_one("lópez")
        self.fill_details(number, phone_for(number))
        self.expect("register_handover")
        self.switch_language()
        self.touch(w.screens["register_handover"].action_button.click)
        self.choose_pin()
        self.tap_to(w.screens["review"].create_button, "done")
        self.tap_to(w.screens["done"].action_button, "staff_home")

    def typed_card_deposit(self, number: int) -> None:
        """From the staff home: the family just signed up signs in, and staff type the card
        number the family reads out (keyed entry, staff only, at a facility that allows it:
        the demo's does), $10 on it; signing out leads back to the staff home."""
        w = self.window
        sign_in = self.tap_to(w.screens["staff_home"].family_button, "sign_in")
        self.touch(lambda: sign_in.phone.setText(phone_for(number)))
        self.touch(lambda: sign_in.pin.setText("5820"))
        self.next_on(sign_in)
        self.at_home()
        amount = self.tap_to(w.screens["account_home"].action_buttons["deposit"], "deposit_amount")
        self.wait(lambda: amount.quote is not None, "the deposit limits")
        confirm = self.tap_to(amount.preset_buttons[1000], "deposit_confirm")
        card = self.tap_to(confirm.type_button, "card_entry")  # "Type a card number (staff)"
        self.switch_language()
        for field_name, text in (("number", "4242 4242 4242 4242"), ("expiry", "12/30"),
                                 ("cvc", "123"), ("zip", "77002")):
            self.touch(lambda f=field_name, t=text: getattr(card, f).setText(t))
        self.next_on(card)
        self.expect("deposit_confirm")
        self.tap_to(confirm.pay_button, "deposit_receipt")
        self.touch(w.screens["deposit_receipt"].done_button.click)
        self.at_home()
        self.tap_to(w.screens["account_home"].sign_out_button, "staff_home")

    def staff_visit(self, number: int) -> str:
        """Five taps in the corner, a badge sign-in (the empty form's errors first), the
        outbox (retried, a conflict discarded with a reason), the sign-up conflicts (one
        resolved), "Help a family": every other visit a whole staff-assisted sign-up with
        the hand-over for the PIN, then that family's first deposit on a card number staff
        type, then End staff mode; the other visits go back from the facility list and
        leave staff mode to the idle wipe."""
        w = self.window
        self.expect("attract")
        for _ in range(STAFF_TAPS):
            QTest.mouseClick(w.header, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
        self.expect("staff_sign_in")
        self.dress(number)  # the gesture wiped the kiosk: staff choose their look here
        sign_in = w.screens["staff_sign_in"]
        self.next_on(sign_in)
        if not sign_in.error_text("badge"):
            raise SessionFailed("the empty staff sign-in showed no error")
        self.switch_language()
        self.touch(lambda: sign_in.badge.setText(DEMO_STAFF_BADGE))
        self.touch(lambda: sign_in.pin.setText(DEMO_STAFF_PIN))
        self.next_on(sign_in)
        self.expect("staff_home")
        self.staff_outbox()
        self.back_to("staff_home")
        self.staff_conflicts()
        self.back_to("staff_home")
        self.staff_cash_box()
        self.staff_cash_doubt(number)
        home = w.screens["staff_home"]
        photo = self.tap_to(home.help_button, "staff_photo_id")
        self.touch(photo.checked_button.click)
        facility = self.tap_to(photo.continue_button, "facility")
        self.wait(lambda: len(facility.facility_buttons) > 0, "the facility list")
        if number // STAFF_EVERY % 2:
            self.back_to("staff_home")
            return self.walk_away()
        self.assisted_sign_up(number)
        self.typed_card_deposit(number)
        self.tap_to(w.staff_bar.end_button, "attract")
        return "staff mode ended"

    def staff_outbox(self) -> None:
        w = self.window
        outbox = self.tap_to(w.screens["staff_home"].outbox_button, "staff_outbox")
        self.wait(lambda: outbox.outbox is not None, "the outbox")
        self.touch(outbox.retry_button.click)
        self.wait(lambda: outbox.busy_indicator.isHidden() and outbox.outbox is not None
                  and not any(r.state == "pending" for r in outbox.outbox), "the retried outbox")
        self.switch_language()
        rows = outbox.outbox or []
        chosen = next((i for i, r in enumerate(rows) if r.discardable), None)
        if chosen is None:
            return
        self.tap_to(outbox.rows.buttons[chosen], "staff_outbox_discard")
        self.staff_reason("staff_outbox_discard", "Signed up again at the desk")
        self.expect("staff_outbox")
        self.wait(lambda: outbox.busy_indicator.isHidden(), "the outbox")

    def staff_cash_box(self) -> None:
        """The cash box's count so far, "Cash box removed", the count sent, back home."""
        w = self.window
        box = self.tap_to(w.screens["staff_home"].cash_button, "staff_cash_box")
        self.wait(lambda: box.box is not None and box.busy_indicator.isHidden(),
                  "the cash box count")
        self.switch_language()
        self.tap_to(box.removed_button, "staff_cash_count")
        self.switch_language()
        self.tap_to(w.screens["staff_cash_count"].back_button, "staff_home")

    def staff_cash_doubt(self, number: int) -> None:
        """The notes in doubt. On the visits that end in the idle wipe (11, 31, 51, ...; the
        others sign a family up) one was left by a kiosk that died while its unit stacked
        (made as tests/e2e/test_cash_e2e.py makes one: the journal's row escrowed by a run
        that is gone, flagged by this run), and staff settle it with a reason after the
        count, in both languages: credited to the family (the empty reason's error first)
        on 11, 51, 91, ..., not found on 31, 71, ...; the list empty again. Back home."""
        w = self.window
        visit = number // STAFF_EVERY
        if visit % 2:
            self.note_left_in_doubt(number)
        doubt = self.tap_to(w.screens["staff_home"].doubt_button, "staff_cash_doubt")
        self.wait(lambda: doubt.notes is not None and doubt.busy_indicator.isHidden(),
                  "the notes in doubt")
        self.switch_language()
        if doubt.notes:
            settle = self.tap_to(doubt.rows.buttons[0], "staff_cash_doubt_settle")
            if visit % 4 == 1:
                self.staff_reason("staff_cash_doubt_settle", "Counted the box: $5 over")
            else:
                self.switch_language()
                self.touch(lambda: settle.line_edit("staff_reason").setText("Not in the box"))
                self.touch(settle.not_found_button.click)
            self.expect("staff_cash_doubt")
            self.wait(lambda: doubt.notes == [] and doubt.busy_indicator.isHidden(),
                      "the note settled")
            self.notes_settled += 1
        self.back_to("staff_home")

    def note_left_in_doubt(self, number: int) -> None:
        """A $5 note of the last family to sign up, escrowed by a run that died before the
        unit said it stacked: this run flags it in doubt for staff (docs/cash.md, step 5)."""
        cash = self.cash
        if cash is None or cash.journal is None or cash.driver is None or not self.account_id:
            return
        cash.journal.escrowed(f"died-{number}", 1, 500, self.account_id, f"visit-{number}")
        if not cash.journal.flag_in_doubt(cash.driver.run):
            raise SessionFailed("the note left by the run that died was not in doubt")

    def add_cash(self) -> None:
        """$5 in cash on the simulated note acceptor, a note it cannot read, then the
        demo's jam: its own screen, and Done with what was added; the receipt; home."""
        w = self.window
        home = w.screens["account_home"]
        self.wait(lambda: home.action_buttons["cash"].isVisible(), "Add money with cash")
        intro = self.tap_to(home.action_buttons["cash"], "cash_intro")
        self.wait(lambda: intro.terms is not None and intro.busy_indicator.isHidden(),
                  "the notes the acceptor takes")
        insert = self.tap_to(intro.start_button, "cash_insert")
        self.wait(lambda: insert.busy_indicator.isHidden(), "the acceptor enabled")
        self.touch(insert.demo_buttons[1].click)  # $5
        self.wait(lambda: insert.total_label.text().endswith("5.00")
                  and insert.done_button.isEnabled(), "the $5 note stacked")
        self.touch(insert.demo_buttons[4].click)  # a note it cannot read
        self.wait(lambda: insert.returned_label.isVisible() and insert.done_button.isEnabled(),
                  "the bad note given back")
        self.switch_language()
        self.tap_to(insert.demo_buttons[5], "cash_problem")  # jams inside the unit
        self.switch_language()
        receipt = self.tap_to(w.screens["cash_problem"].done_button, "cash_receipt")
        self.wait(lambda: receipt.busy_indicator.isHidden(), "the receipt printed")
        self.touch(receipt.done_button.click)
        self.at_home()

    def staff_conflicts(self) -> None:
        w = self.window
        conflicts = self.tap_to(w.screens["staff_home"].conflicts_button, "staff_conflicts")
        self.wait(lambda: conflicts.conflicts is not None and conflicts.busy_indicator.isHidden(),
                  "the conflicts")
        if not conflicts.conflicts:
            return
        resolved = conflicts.conflicts[0].id
        self.tap_to(conflicts.rows.buttons[0], "staff_conflict_resolve")
        self.staff_reason("staff_conflict_resolve", "Family signed in with their PIN")
        self.expect("staff_conflicts")
        self.wait(lambda: conflicts.conflicts is not None and conflicts.busy_indicator.isHidden()
                  and all(c.id != resolved for c in conflicts.conflicts), "the conflict resolved")

    def staff_reason(self, screen: str, reason: str) -> None:
        """A reason typed for a staff action: Next on the empty field shows its error."""
        form = self.window.screens[screen]
        self.next_on(form)
        if not form.error_text("staff_reason"):
            raise SessionFailed(f"the empty reason on {screen} showed no error")
        self.switch_language()
        self.touch(lambda: form.line_edit("staff_reason").setText(reason))
        self.next_on(form)

    def at_home(self) -> None:
        home = self.window.screens["account_home"]
        self.expect("account_home")
        self.wait(lambda: home.busy_indicator.isHidden(), "the account")

    def returning_family(self, number: int) -> str:
        """A family with an account: a wrong PIN, "Forgot your PIN?", then the right one,
        their account in both languages, one errand, and sign out."""
        w = self.window
        self.expect("attract")
        self.dress(number)
        self.touch(w.screens["attract"].start_button.click)
        screen = self.tap_to(w.screens["home"].sign_in_button, "sign_in")
        self.touch(lambda: screen.phone.setText(self.known_phone))
        visit = number // RETURN_EVERY
        wrong_pin = time.monotonic() - self.last_wrong_pin >= WRONG_PIN_EVERY_SECONDS
        if wrong_pin:
            self.last_wrong_pin = time.monotonic()
            self.touch(lambda: screen.pin.setText("9137"))
            self.next_on(screen)
            self.wait(lambda: screen.detail.isVisible(), "the tries left")
            self.switch_language()
        if wrong_pin or visit % 2 == 0:
            self.tap_to(screen.forgot_button, "forgot_pin")
            self.switch_language()
            self.tap_to(w.screens["forgot_pin"].back_button, "sign_in")
        self.touch(lambda: screen.pin.setText("5820"))
        self.next_on(screen)
        self.at_home()
        self.switch_language()
        self.renew_now_if_due()
        # Returning families take turns between three errands, so a session stays short.
        errand = visit % 3
        if errand == 0:
            self.add_money()
            self.refund()
            self.look_at_plans()
        elif errand == 1:
            self.add_cash()
            self.other_screens(visit)
        else:
            self.add_a_loved_one()
        self.tap_to(w.screens["account_home"].sign_out_button, "attract")
        return "signed in"

    def renew_now_if_due(self) -> None:
        """A family whose plan renews by hand and whose next month is not paid yet renews
        now: My subscriptions, Renew now, the card reader rather than the card on file,
        the receipt (in the other language too), home."""
        w = self.window
        home = w.screens["account_home"]
        account = home.account
        due = [sub for sub in (account.subscriptions if account else ())
               if renews(sub) == "manual" and not sub.renewed_through
               and not sub.cancel_at_period_end]
        if not due:
            return
        listing = self.tap_to(home.action_buttons["manage"], "manage_list")
        self.wait(lambda: listing.busy_indicator.isHidden() and bool(listing.rows)
                  and listing.rows[0].renew_now_button.isVisible(), "Renew now")
        self.tap_to(listing.rows[0].renew_now_button, "manage_confirm")
        self.touch(w.screens["manage_confirm"].reader_button.click)
        self.pay_on_reader("reader_renew", keep_card=False)
        self.receipt_in_both_languages("renew_receipt")
        self.renewals += 1

    def other_screens(self, visit: int) -> None:
        """The manage list with one change confirmed, the calls not covered and the plan
        advisor, then home."""
        w = self.window
        listing = self.tap_to(w.screens["account_home"].action_buttons["manage"], "manage_list")
        self.wait(lambda: listing.busy_indicator.isHidden(), "the manage list")
        if listing.account is not None and listing.account.subscriptions:
            if visit % 2:
                # Auto to manual or back: pending until the period ends, reversible all day.
                before = renews(listing.account.subscriptions[0])
                self.manage(lambda row: row.renewal_button, lambda sub: renews(sub) != before)
            else:
                self.manage(lambda row: row.cancel_button, lambda sub: sub.cancel_at_period_end)
                # ...and keep it after all.
                self.manage(lambda row: row.cancel_button,
                            lambda sub: not sub.cancel_at_period_end)
        self.touch(w.header.back_button.click)
        self.at_home()
        self.tap_to(w.screens["account_home"].action_buttons["uncovered"], "uncovered_calls")
        self.wait(lambda: bool(w.screens["uncovered_calls"].rates), "the rates")
        self.touch(w.screens["uncovered_calls"].done_button.click)
        self.at_home()
        self.ask_the_advisor()

    def manage(self, button: Callable[[SubscriptionRow], QAbstractButton],
               changed: Callable[[SubscriptionView], bool]) -> None:
        """One change to the first subscription: its button, the confirmation, yes, and
        the list shown again with the change."""
        w = self.window
        listing = w.screens["manage_list"]
        self.tap_to(button(listing.rows[0]), "manage_confirm")
        self.tap_to(w.screens["manage_confirm"].yes_button, "manage_list")
        row = listing.rows[0]
        self.wait(lambda: listing.busy_indicator.isHidden() and row.subscription is not None
                  and changed(row.subscription), "the change on the manage list")

    def ask_the_advisor(self) -> None:
        w = self.window
        self.tap_to(w.screens["account_home"].action_buttons["advisor"], "advisor_basis")
        basis = w.screens["advisor_basis"]
        estimate = self.tap_to(basis.basis_buttons["estimate"], "advisor_estimate")
        for name, text in (("calls_per_month", "30"), ("average_minutes", "0"),
                           ("video_sessions_per_month", "2")):
            self.touch(lambda n=name, t=text: estimate.line_edit(n).setText(t))
        self.next_on(estimate)  # 0 minutes: the form's error first
        self.switch_language()
        self.touch(lambda: estimate.line_edit("average_minutes").setText("12"))
        self.next_on(estimate)
        self.expect("advisor_result")
        self.touch(w.screens["advisor_result"].done_button.click)
        self.at_home()

    def buy_a_subscription(self, *, by_hand: bool) -> None:
        """A new family buys the call subscription (a family holds one per service, so
        once per family), renewing automatically or ``by_hand``: terms accepted, paid on the
        card reader (no card on file yet; the family keeps the card, as automatic renewal
        needs); receipt. A family renewing by hand renews now on a later visit."""
        w = self.window
        plans = self.tap_to(w.screens["account_home"].action_buttons["buy"], "buy_plan")
        self.wait(lambda: len(plans.plan_buttons) > 0, "the plans")
        renewal = self.tap_to(plans.plan_buttons[0], "buy_renewal")
        terms = self.tap_to(renewal.manual_button if by_hand else renewal.auto_button,
                            "buy_terms")
        self.wait(lambda: terms.busy_indicator.isHidden(), "the quote")
        self.touch(lambda: terms.accept.setChecked(True))
        on_reader = terms.card is None
        self.touch(terms.pay_button.click)  # "Pay $45.00 on the card reader"
        if on_reader:
            self.pay_on_reader("reader_plan", keep_card=True)
        self.receipt_in_both_languages("buy_receipt")

    def look_at_plans(self) -> None:
        """Another subscription up to the terms, tick them, then change their mind: a family
        holds one per service, so a day of purchases would only meet "already subscribed"."""
        w = self.window
        plans = self.tap_to(w.screens["account_home"].action_buttons["buy"], "buy_plan")
        self.wait(lambda: len(plans.plan_buttons) > 0, "the plans")
        self.tap_to(plans.plan_buttons[-1], "buy_renewal")
        terms = self.tap_to(w.screens["buy_renewal"].auto_button, "buy_terms")
        self.wait(lambda: terms.busy_indicator.isHidden(), "the quote")
        self.touch(lambda: terms.accept.setChecked(True))
        self.switch_language()
        self.back_to("account_home")
        self.at_home()

    def receipt_in_both_languages(self, receipt: str) -> None:
        """The payment's ``receipt`` step, read in the other language too, then home."""
        self.expect(receipt)
        self.switch_language()
        self.touch(self.window.screens[receipt].done_button.click)
        self.at_home()

    def pay_on_reader(self, step: str, *, keep_card: bool) -> None:
        """The card reader: the demo server's simulated one, registered to this kiosk once
        it enrolled; it reads a Visa a moment after Pay (see run()). No number is typed."""
        self.expect(step)
        reader = self.window.screens[step]
        self.touch(lambda: reader.keep_card.setChecked(keep_card))
        for _attempt in range(20):
            self.touch(reader.pay_button.click)
            self.wait(lambda: self.window.current_screen_name() != step
                      or reader.phase.value == "ended", "the card reader")
            if reader.ended_code != "reader_not_registered":
                break
            QTest.qWait(500)  # the reader is being registered to this new kiosk
        if self.window.current_screen_name() == step:
            raise SessionFailed(f"the card reader said: {reader.status.text()}")

    def add_money(self) -> None:
        """$10 to AdvanceConnect on the card reader (another card than the one on file)."""
        w = self.window
        amount = self.tap_to(w.screens["account_home"].action_buttons["deposit"], "deposit_amount")
        self.wait(lambda: amount.quote is not None, "the deposit limits")
        confirm = self.tap_to(amount.preset_buttons[1000], "deposit_confirm")
        self.touch(confirm.other_card_button.click if confirm.card else confirm.pay_button.click)
        self.pay_on_reader("reader_deposit", keep_card=False)
        self.receipt_in_both_languages("deposit_receipt")

    def refund(self) -> None:
        """The payments list, "refund my balance", No, then yes: the $10 goes back, so the
        balance is back at zero for the family's next deposit."""
        w = self.window
        self.tap_to(w.screens["account_home"].action_buttons["manage"], "manage_list")
        listing = self.tap_to(w.screens["manage_list"].payments_button, "transactions")
        self.wait(lambda: listing.transactions is not None and listing.refund_button.isEnabled(),
                  "the payments")
        self.switch_language()
        self.tap_to(listing.refund_button, "refund_confirm")
        self.tap_to(w.screens["refund_confirm"].no_button, "transactions")
        self.wait(listing.refund_button.isEnabled, "the payments")
        self.tap_to(listing.refund_button, "refund_confirm")
        self.tap_to(w.screens["refund_confirm"].yes_button, "refund_receipt")
        self.touch(w.screens["refund_receipt"].done_button.click)
        self.at_home()

    def add_a_loved_one(self) -> None:
        """One already on the account first (the server says so, back to the search), then
        someone new: "No, search again" once, then yes while the account has room; at the
        limit the family backs out at the confirmation."""
        w = self.window
        home = w.screens["account_home"]
        account = home.account
        linked = {one.resident_id for one in account.loved_ones} if account else set()
        self.touch(home.action_buttons["add_loved_one"].click)
        self.find_loved_one("lópez")  # the one every family here signed up with
        self.expect("loved_one_confirm")
        confirm = w.screens["loved_one_confirm"]
        resident = self.tap_to(confirm.add_button, "resident")
        self.wait(lambda: bool(resident.notice_text()), "already one of your loved ones")
        self.switch_language()
        query = next((q for q, rid in LOVED_ONES if rid not in linked), LOVED_ONES[0][0])
        self.search(query)
        self.tap_to(resident.result_buttons[0], "loved_one_confirm")
        self.tap_to(confirm.search_button, "resident")  # "No, search again"
        self.tap_to(resident.result_buttons[0], "loved_one_confirm")
        # The network drops as they confirm: the kiosk asks for their PIN to add the loved
        # one later; a PIN too short first, then they go back and try again online.
        self.wait(confirm.add_button.isEnabled, "the confirmation's buttons")
        with self.network.away():
            pin = self.tap_to(confirm.add_button, "loved_one_pin")
            self.touch(lambda: pin.pin.setText("12"))
            self.next_on(pin)
            self.tap_to(w.header.back_button, "loved_one_confirm")
        self.wait(confirm.add_button.isEnabled, "the confirmation's buttons")
        if len(linked) < MAX_LOVED_ONES and confirm.resident is not None \
                and confirm.resident.id not in linked:
            self.touch(confirm.add_button.click)
        else:
            self.back_to("account_home")
        self.at_home()

    def walk_away(self) -> str:
        """Nobody touches anything: the real idle countdown wipes the session (the short
        quiet time of this run counts from the family's last touch)."""
        idle = self.window.idle
        idle.set_times(IDLE_SECONDS, COUNTDOWN_SECONDS)
        try:
            wait_until(lambda: self.window.current_screen_name() == "attract",
                       "the idle wipe", 10)
        finally:
            idle.set_times(*PRESENT_IDLE_SECONDS)
        self.note()
        return "walked away"


def renews(subscription: SubscriptionView) -> str:
    """How a subscription renews after this period: a switch waits for the period's end."""
    return subscription.pending_renewal_mode or subscription.renewal_mode


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


def give_back_free_heap() -> None:
    """Ask glibc to return the free space it keeps in its heaps. Measured: the memory in
    use stays flat over a day of families, but the free space malloc keeps for reuse grows
    by about 3.7 MiB until session ~160 and then stops (docs/endurance.md). Resident memory
    after a trim counts what the kiosk holds, which is what a leak would grow."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc: nothing to trim
        return
    libc.malloc_trim(0)


def sample(app: QCoreApplication, session: int, started: float) -> Sample:
    gc.collect()
    give_back_free_heap()
    return Sample(
        session=session,
        rss_kib=rss_kib(),
        qobjects=live_qobjects(app),
        none_refs=sys.getrefcount(None),
        seconds=round(time.monotonic() - started, 3),
    )


def play(driver: FamilyDriver, number: int) -> str:
    """Session ``number`` of the day; returns how it ended."""
    abandon = number % ABANDON_EVERY == 0
    sign_up = not abandon and number % SIGN_UP_EVERY == 0
    if not (abandon or sign_up):
        if number % STAFF_EVERY == 1:
            return driver.staff_visit(number)
        if number % STAFF_EVERY == STAFF_EVERY - 1 and driver.known_phone:
            return driver.offline_sign_up(number)
        if number % RETURN_EVERY == 0 and driver.known_phone:
            return driver.returning_family(number)
    return driver.session(number, abandon=abandon, sign_up=sign_up)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


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
        # Its card reader hurries too: a card read 0.075 s after Pay instead of the demo's
        # 3 s (a day's payments would otherwise be most of the run's time).
        central = DemoCentral(Path(folder) / "central",
                              ["--sign-up-limit", "100000", "--sign-in-limit", "100000",
                               "--simulated-reader-seconds", "0.05"])
        central.folder.mkdir()
        central.start()
        # Its families pay on the server's simulated card reader (docs/devices.md).
        central.register_reader_when_enrolled("endurance")
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
                bill_acceptor="simulator",  # the demo's NV200 simulator (docs/devices.md)
                idle_seconds=IDLE_SECONDS,  # type: ignore[arg-type]
                countdown_seconds=COUNTDOWN_SECONDS,  # type: ignore[arg-type]
            )
            # Its server lives only as long as this run: a volatile token is fine.
            paper = PaperRoll()
            kiosk = build_kiosk(settings, vault=vault, demo=True, printer=paper.printer)
            window = build_window(kiosk)
            window.resize(1280, 800)
            window.show()
            driver = FamilyDriver(window, Network(kiosk.client, central.url), report.screens,
                                  kiosk.workflow.cash)
            driver.note()
            started = time.monotonic()
            for number in range(1, sessions + 1):
                ended = play(driver, number)
                report.sessions_run = number
                report.sign_ups += ended == "signed up"
                report.sign_ins += ended == "signed in"
                report.idle_wipes += ended == "walked away"
                report.offline_sign_ups += ended == "saved offline"
                report.staff_visits += number % STAFF_EVERY == 1
                on_curve = bool(curve_every) and number % curve_every == 0
                if on_curve or number in (WARM_UP_SESSIONS, sessions):
                    point = sample(app, number, started)
                    report.curve.append(point)
                    on_sample(point)
                    if number == WARM_UP_SESSIONS:
                        report.baseline = point
                        report.screens.warmed_up = True
            report.final = report.curve[-1] if report.curve else None
            report.receipts_printed = paper.receipts
            report.renewals = driver.renewals
            report.notes_settled = driver.notes_settled
            gaps = report.screens.gaps(SCREEN_PATHS)
            if gaps:
                report.failure = "screens the run missed: " + "; ".join(gaps)
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
        f" {report.idle_wipes} idle wipes, {report.offline_sign_ups} sign-ups offline,"
        f" {report.staff_visits} staff visits, {report.receipts_printed} receipts printed,"
        f" {report.renewals} renewed now, {report.notes_settled} notes in doubt settled);"
        f" memory growth after warm-up"
        f" {report.rss_growth_mib:.2f} MiB "
        f"(budget {RSS_BUDGET_MIB}); live QObjects {report.qobject_growth:+d}; "
        f"{'ok' if report.ok() else 'FAILED ' + report.failure}\n"
    )
    return 0 if report.ok() else 1


if __name__ == "__main__":
    raise SystemExit(main())
