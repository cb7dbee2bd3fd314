"""Child processes for the crash tests: they do real kiosk work until the test SIGKILLs
them, and report on stdout (one line per committed step) what they finished.

    python -m tests.crash.workers write-sign-ups DB FIRST
    python -m tests.crash.workers drain DB URL TOKEN VAULT_SERVICE
    python -m tests.crash.workers enroll DB URL CODE VAULT_SERVICE STAGE
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from kiosk.capabilities.access import KioskAccess
from kiosk.clock import SystemClock
from kiosk.store import LocalStore
from kiosk.sync import OutboxSender, sweep_orphaned_secrets
from services.central_client import CentralClient, CentralError, Enrollment
from services.vault import VolatileVault, open_vault


def sign_up_payload(number: int) -> dict[str, Any]:
    return {
        # Names are letters only: the sign-up's number is spelled in letters (a -> 0, b -> 1).
        "first_name": "Luis",
        "last_name": "Reyes " + "".join("abcdefghij"[int(d)] for d in str(number)).title(),
        "phone": f"+1512{400 + number // 10_000}{number % 10_000:04d}",
        "email": f"luis{number}@example.org",
        "address": {"line1": "5 Elm St", "line2": "", "city": "Austin", "state": "TX",
                    "postal_code": "78701"},
        "language": "en", "facility_id": "harbor-county-jail",
        "resident_id": "harbor-county-jail:002",
    }


def write_sign_ups(database: Path, first: int) -> None:
    """Queue sign-ups as fast as the disk allows; print each number once it is committed."""
    store = LocalStore(database, SystemClock())
    number = first
    while True:
        store.queue_registration(sign_up_payload(number), f"pin:crash-{number}",
                                 f"account:crash-{number}")
        sys.stdout.write(f"{number}\n")
        sys.stdout.flush()
        number += 1


def drain(database: Path, url: str, token: str, vault_service: str) -> None:
    """Start as the kiosk starts (``kiosk.app``: PINs no outbox row names are swept from the
    keyring, such as one whose row an earlier sender closed just before it was killed), then
    send the outbox until nothing is pending; print each entry's outcome as it lands."""
    store = LocalStore(database, SystemClock())
    vault = open_vault(vault_service)
    sweep_orphaned_secrets(store, vault)
    sender = OutboxSender(store, CentralClient(url, token, timeout=5), vault)
    while store.pending():
        try:
            for result in sender.drain():
                sys.stdout.write(f"{result.outbox_id} {result.state.value}\n")
                sys.stdout.flush()
        except CentralError as exc:
            sys.stdout.write(f"retry {exc.code}\n")
            sys.stdout.flush()
    sys.stdout.write("drained\n")
    sys.stdout.flush()


def _stop_at(stage: str, wanted: str) -> None:
    """At the stage the test asked for, say so and wait for the SIGKILL."""
    if stage == wanted:
        sys.stdout.write(f"{stage}\n")
        sys.stdout.flush()
        while True:
            time.sleep(60)


def enroll(database: Path, url: str, code: str, vault_service: str, stage: str) -> None:
    """Enroll the kiosk as it does at start-up, stopping for the kill at ``stage``: right
    after the server answered the enrollment, after the token was stored, or after the
    server was told it is kept (before the kiosk made it its own)."""

    class Client(CentralClient):
        def enroll(self, code: str, kiosk_name: str) -> Enrollment:
            enrollment = super().enroll(code, kiosk_name)
            _stop_at(stage, "enrolled")
            return enrollment

        def confirm_enrollment(self, token: str) -> None:
            _stop_at(stage, "stored")
            super().confirm_enrollment(token)
            _stop_at(stage, "confirmed")

    vault = open_vault(vault_service)
    assert not isinstance(vault, VolatileVault), "needs the real Secret Service"
    KioskAccess(Client(url, timeout=5), LocalStore(database, SystemClock()), vault, code,
                "crash").ensure()
    sys.stdout.write("ready\n")
    sys.stdout.flush()


def main(argv: list[str]) -> None:
    match argv:
        case ["write-sign-ups", database, first]:
            write_sign_ups(Path(database), int(first))
        case ["drain", database, url, token, vault_service]:
            drain(Path(database), url, token, vault_service)
        case ["enroll", database, url, code, vault_service, stage]:
            enroll(Path(database), url, code, vault_service, stage)
        case _:
            raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
