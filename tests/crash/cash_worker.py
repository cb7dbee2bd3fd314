"""A headless cash kiosk for the crash tests: the real note journal, driver, BillAcceptor on a
serial port (the test's NV200 simulator on a pty) and outbox sender to a real central API.
It reports on stdout what happened, and may stop dead at a point the test names, to be
SIGKILLed there:

    python -m tests.crash.cash_worker DB PORT URL TOKEN ACCOUNT [PAUSE]

PAUSE: ``after_escrow`` (the note is recorded, the acceptor not yet told to stack it),
``after_stack`` (the note is stacked and its deposit queued, not sent) or ``during_send``
(the server has credited it; its answer is not recorded yet).
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import Any

from kiosk.cash import CashDriver, NoteJournal
from kiosk.clock import SystemClock
from kiosk.devices.bill_acceptor import AcceptorEvent, BillAcceptor, Offline, Ready
from kiosk.store import LocalStore
from kiosk.sync import Backoff, OutboxSender
from services.answers import CashDepositAnswer
from services.central_client import CentralClient, CentralError
from services.vault import VolatileVault

USD = (100, 500, 1000, 2000, 5000, 10000)


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def stop_dead(point: str) -> None:
    say(f"PAUSED {point}")
    time.sleep(3600)


class PausingJournal(NoteJournal):
    def __init__(self, store: LocalStore, pause: str) -> None:
        super().__init__(store)
        self.pause = pause
        self.stacked_here: set[str] = set()  # keys of the notes this run stacked

    def escrowed(self, run: str, escrow_id: int, cents: int, account_id: str,
                 visit: str) -> str:
        key = super().escrowed(run, escrow_id, cents, account_id, visit)
        say(f"ESCROWED {key}")
        if self.pause == "after_escrow":
            stop_dead(self.pause)
        return key

    def stacked(self, run: str, escrow_id: int, cents: int) -> str | None:
        key = super().stacked(run, escrow_id, cents)
        if key is not None:
            self.stacked_here.add(key)
        say(f"STACKED {key}")
        if self.pause == "after_stack":
            stop_dead(self.pause)
        return key


class PausingClient(CentralClient):
    """Stops dead ``during_send`` of a note this run stacked (not of one an earlier run left)."""

    pause = ""
    stacked_here: set[str] = set()  # noqa: RUF012 - the journal's own set, given in main

    def post_cash_deposit(self, deposit: dict[str, Any], idempotency_key: str
                          ) -> CashDepositAnswer:
        answer = super().post_cash_deposit(deposit, idempotency_key)
        say(f"CREDITED {idempotency_key}")
        if self.pause == "during_send" and idempotency_key in self.stacked_here:
            stop_dead(self.pause)
        return answer


def main(db: str, port: str, url: str, token: str, account: str, pause: str = "") -> int:
    store = LocalStore(Path(db), SystemClock())
    journal = PausingJournal(store, pause)
    client = PausingClient(url, token, timeout=10)
    client.pause, client.stacked_here = pause, journal.stacked_here
    sender = OutboxSender(store, client, VolatileVault(), backoff=Backoff(0.05, 0.5))
    ready = threading.Event()

    def drain() -> None:
        try:
            sender.drain(retry_now=True)
        except CentralError as exc:
            say(f"DRAIN {exc.code}")

    def heard(event: AcceptorEvent) -> None:
        name = type(event).__name__
        say(f"EVENT {name} {event}" if isinstance(event, Offline) else f"EVENT {name}")
        if isinstance(event, Ready):
            ready.set()

    driver = CashDriver(journal, sent=lambda: threading.Thread(target=drain).start(),
                        on_event=heard, doubt_grace=5.0)
    # A wide gap between POLLs: the test kills the kiosk while the unit is stacking.
    acceptor = BillAcceptor(port, driver, poll_interval=0.5)
    driver.attach(acceptor)
    acceptor.open()
    drain()  # whatever an earlier run left in the outbox
    if not ready.wait(30):
        say("NO ACCEPTOR")
        return 1
    driver.start(account, USD, maximum=30_000)
    say("ENABLED")
    while True:
        time.sleep(0.5)
        drain()


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
