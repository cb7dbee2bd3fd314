"""The kiosk's heartbeat (docs/deployment.md, "Fleet"): every minute or so it tells the
server its version, uptime, outbox depth, last good sync, printer, keyring and note acceptor
state, and
learns whether an operator has taken it out of service."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from kiosk.capabilities.access import KioskAccess
from kiosk.sync import OutboxSender
from services.central_client import CentralClient, ServiceState

# What a heartbeat says of the receipt printer (the server's PrinterState values).
PRINTER_NONE = "none"
PRINTER_READY = "ready"


class Heartbeat:
    def __init__(
        self,
        client: CentralClient,
        access: KioskAccess,
        sender: OutboxSender,
        *,
        version: str,
        keyring_secure: bool,
        printer_state: Callable[[], str],
        last_sync: Callable[[], datetime | None],
        acceptor_state: Callable[[], str] = lambda: "none",
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._access = access
        self._sender = sender
        self._version = version
        self._keyring = "secure" if keyring_secure else "unavailable"
        self._printer_state = printer_state
        self._last_sync = last_sync
        self._acceptor_state = acceptor_state
        self._monotonic = monotonic
        self._started = monotonic()

    def report(self) -> dict[str, object]:
        last_sync = self._last_sync()
        return {
            "version": self._version,
            "uptime_seconds": int(self._monotonic() - self._started),
            "outbox_depth": self._sender.waiting(),
            "last_sync_at": last_sync.isoformat() if last_sync else None,
            "printer": self._printer_state(),
            "keyring": self._keyring,
            "acceptor": self._acceptor_state(),
        }

    def beat(self) -> ServiceState:
        """Worker threads only: send the report, return the server's answer."""
        self._access.ensure()
        return self._client.heartbeat(self.report())
