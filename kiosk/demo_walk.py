"""``make demo`` with no display: one family's whole visit, played through the real window
off screen against the embedded server (sign up, sign in, add money, buy a subscription,
see what is left, cancel), a PNG of every step in a folder, and a line for each step."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtTest import QTest

PHONE = "7135550199"
PIN = "5820"


class DemoStuck(RuntimeError):
    """The kiosk did not reach the screen the demo expected."""


class DemoWalk:
    """Plays the family through the window's own widgets (typed as Any: the walk uses each
    screen's controls by name, as a test would)."""

    def __init__(self, window: Any, out_dir: Path, say: Callable[[str], None]) -> None:
        self.window = window
        self.out_dir = out_dir
        self.say = say
        self.shots = 0

    def wait(self, condition: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise DemoStuck(f"timed out waiting for {what}")
            QTest.qWait(10)

    def at(self, name: str) -> Any:
        self.wait(lambda: self.window.current_screen_name() == name, f"the {name} screen")
        screen = self.window.screens[name]
        self.wait(lambda: screen.busy_indicator.isHidden(), f"the {name} screen's answer")
        return screen

    def shot(self, what: str) -> None:
        QCoreApplication.processEvents()
        self.shots += 1
        name = f"{self.shots:02d}-{self.window.current_screen_name()}.png"
        self.window.grab().save(str(self.out_dir / name))
        self.say(f"{name}: {what}")

    def sign_up(self) -> None:
        w = self.window
        attract = self.at("attract")
        self.shot("the kiosk at rest")
        attract.start_button.click()
        self.at("home")
        self.shot("sign in or create an account, in English or Spanish")
        w.screens["home"].create_account_button.click()
        facility = self.at("facility")
        self.wait(lambda: bool(facility.facility_buttons), "the facilities")
        self.shot("facilities this kiosk enrolls for")
        facility.choose("harbor-county-jail")
        resident = self.at("resident")
        resident.query.setText("lópez")
        resident.search_button.click()
        self.wait(lambda: bool(resident.result_buttons), "the search")
        self.shot("found the loved one by name")
        resident.result_buttons[0].click()
        for step, fields in (
            ("register_name", {"first_name": "Rosa", "last_name": "Martínez"}),
            ("register_contact", {"phone": PHONE, "email": "rosa@example.org"}),
            ("register_address", {"line1": "1200 Main St", "city": "Houston", "state": "TX",
                                  "postal_code": "77002"}),
            ("register_pin", {"pin": PIN, "pin_confirm": PIN}),
        ):
            form = self.at(step)
            for field, text in fields.items():
                form.line_edit(field).setText(text)
            self.shot(f"typed the {step.removeprefix('register_')} step")
            form.next_button.click()
        self.at("review")
        self.shot("checked every detail before creating the account")
        w.screens["review"].create_button.click()
        home = self.at("account_home")
        self.shot(f"account created; signed in: {home.title.text()}")
        home.sign_out_button.click()

    def sign_in(self) -> Any:
        self.at("attract").start_button.click()
        self.at("home").sign_in_button.click()
        screen = self.at("sign_in")
        screen.phone.setText(PHONE)
        screen.pin.setText(PIN)
        self.shot("signing in with phone and PIN (masked)")
        screen.next_button.click()
        home = self.at("account_home")
        self.shot(f"signed in: {home.balance_label.text()}")
        return home

    def add_money(self, home: Any) -> None:
        home.action_buttons["deposit"].click()
        amount = self.at("deposit_amount")
        self.shot(f"add money: {amount.subtitle.text()}")
        amount.preset_buttons[2000].click()
        confirm = self.at("deposit_confirm")
        self.shot(f"the server's quote: total {confirm.row_values['total'].text()}")
        confirm.pay_button.click()  # no card on file: on the card reader
        self.pay_on_reader("reader_deposit", keep_card=False)
        receipt = self.at("deposit_receipt")
        self.shot(f"paid; {receipt.reference.text()}")
        receipt.done_button.click()

    def cash_ready(self) -> bool:
        """Whether the kiosk's note acceptor (the demo's simulator) is ready."""
        try:
            self.wait(lambda: self.window.controller.cash_available, "the note acceptor", 5.0)
        except DemoStuck:
            return False
        return True

    def add_cash(self, home: Any) -> Any:
        """$20 in cash on the simulated note acceptor (docs/cash.md): a $10 and two $5 notes
        from the demo's note buttons, a note it cannot read, then "Done"."""
        self.wait(lambda: home.action_buttons["cash"].isVisible(), "Add money with cash")
        home.action_buttons["cash"].click()
        intro = self.at("cash_intro")
        self.wait(lambda: intro.terms is not None, "the notes the acceptor takes")
        self.shot(f"cash: {intro.notes_label.text()}")
        intro.start_button.click()
        insert = self.at("cash_insert")
        for index, total in ((2, "$10.00"), (1, "$15.00"), (4, "$15.00"), (1, "$20.00")):
            insert.demo_buttons[index].click()

            def ended(total: str = total, bad: bool = index == 4) -> bool:
                added = bool(insert.total_label.text().endswith(total))
                return added and (not bad or bool(insert.returned_label.isVisible()))

            self.wait(ended, f"the note's {total}")
            self.wait(lambda: insert.done_button.isEnabled(), "the note's end")
        self.shot(f"{insert.stacked_label.text()}; {insert.total_label.text()}")
        insert.done_button.click()
        receipt = self.at("cash_receipt")
        self.shot(f"cash added: {receipt.rows.values['method'].text()}")
        receipt.done_button.click()
        return self.at("account_home")
    def pay_on_reader(self, step: str, *, keep_card: bool) -> None:
        """Pay on the sandbox's simulated card reader (registered to the demo kiosk once it
        enrolled, ``DemoCentral.register_reader_when_enrolled``): it reads a Visa ending in
        4242 about three seconds after the payment starts. No card number is typed."""
        reader = self.at(step)
        reader.keep_card.setChecked(keep_card)
        self.shot(f"pay on the card reader: {reader.pay_button.text()}")
        deadline = time.monotonic() + 30
        while True:
            reader.pay_button.click()
            self.wait(lambda: reader.phase.value != "starting", "the card reader")
            if reader.ended_code != "reader_not_registered" or time.monotonic() > deadline:
                break
            QTest.qWait(500)  # the reader is being registered to this new kiosk
        self.wait(lambda: reader.phase.value == "collecting" or reader.phase.value == "ended"
                  or self.window.current_screen_name() != step, "the card reader")
        if reader.phase.value == "collecting":
            self.shot(f"{reader.title.text()}: {reader.amount.text()}")
        self.wait(lambda: self.window.current_screen_name() != step
                  or reader.phase.value == "ended", "the card", timeout=30)
        if reader.phase.value == "ended":
            raise DemoStuck(f"the card reader said: {reader.status.text()}")

    def without_cards(self, home: Any) -> None:
        """A kiosk with no secure keyring takes no cards, and its banner says so: the visit
        ends there (``make demo`` runs in a keyring session when gnome-keyring is here)."""
        self.shot(f"{self.window.banners.payments_banner.text()} (no secure keyring here)")
        home.sign_out_button.click()
        self.at("attract")
        self.shot("signed out; everything wiped")

    def buy_and_cancel(self) -> None:
        home = self.at("account_home")
        home.action_buttons["buy"].click()
        plans = self.at("buy_plan")
        self.wait(lambda: bool(plans.plan_buttons), "the plans")
        self.shot(f"{len(plans.plan_buttons)} plans this facility offers")
        plans.plan_buttons[0].click()
        self.at("buy_renewal").manual_button.click()
        terms = self.at("buy_terms")
        terms.accept.setChecked(True)
        self.shot(f"no-refund terms accepted; {terms.pay_button.text()}")
        terms.pay_button.click()  # no card on file: on the card reader
        self.pay_on_reader("reader_plan", keep_card=False)
        receipt = self.at("buy_receipt")
        self.shot("subscribed")
        receipt.done_button.click()
        home = self.at("account_home")
        self.shot("the home shows what is left and when it ends")
        home.action_buttons["manage"].click()
        listing = self.at("manage_list")
        self.shot(f"usage: {listing.rows[0].usage.text()}")
        listing.rows[0].cancel_button.click()
        confirm = self.at("manage_confirm")
        self.shot(f"cancel? {confirm.body.text()}")
        confirm.yes_button.click()
        listing = self.at("manage_list")
        self.shot(listing.rows[0].period_label.text())
        self.window.header.back_button.click()
        self.at("account_home").sign_out_button.click()
        self.at("attract")
        self.shot("signed out; everything wiped")


def run_headless(window: Any, out_dir: Path) -> int:
    """Walk the family's visit; returns 0 when every step was reached."""
    out_dir.mkdir(parents=True, exist_ok=True)
    def say(line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    walk = DemoWalk(window, out_dir, say)
    window.resize(1280, 800)
    window.show()
    try:
        walk.sign_up()
        home = walk.sign_in()
        if walk.cash_ready():
            home = walk.add_cash(home)
        if window.controller.payments_available:
            walk.add_money(home)
            walk.buy_and_cancel()
        else:
            walk.without_cards(home)
    except DemoStuck as exc:
        sys.stderr.write(f"lobby-kiosk: the demo stopped: {exc} (pictures so far in {out_dir})\n")
        return 1
    sys.stdout.write(f"{walk.shots} pictures in {out_dir}\n")
    return 0
