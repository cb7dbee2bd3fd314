"""The card reader port: the one small interface the screens use to take a card payment.

The reader is driven by the server (the Stripe Terminal model; docs/devices.md "The card
reader"): the kiosk asks the central API to collect an amount on the reader registered to
this kiosk, then follows the payment's state, and can cancel it. The kiosk never reads a
card and never holds a card number; it learns the brand and last four of an approved card.

```python
reader = ServerCardReader(client, listener)   # ReaderEvents, on the reader's thread
reader.collect_deposit(session, 2000, 2000, save_card=False, idempotency_key=key)
reader.collect_purchase(session, {"plan_id": ..., "save_card": True, ...}, key)
reader.collect_renewal(session, {"subscription_id": ..., "quoted_total_cents": ...}, key)
...                                           # ReaderChanged: waiting, reading, approved
reader.cancel()                               # Cancel, the idle wipe: returns at once
reader.close()                                # at shutdown; blocks up to a few seconds
```

Every request is bounded in time (the client's timeouts; a long poll adds its ``wait``) and
runs on the reader's own thread, never the GUI thread. Give an ``AcceptorRelay``-style relay
(``kiosk/devices/relay.py``) as the listener to get the events on the GUI thread, in order.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from domain import ReaderPayment
from kiosk.devices.reader_events import (
    Listener,
    ReaderChanged,
    ReaderEvent,
    ReaderLost,
    ReaderRefused,
    ReaderUnreachable,
)
from services.answers import FamilySession
from services.central_client import CentralClient
from services.errors import CentralError, CentralUnreachable

log = logging.getLogger(__name__)

__all__ = ["CardReaderPort", "Listener", "ReaderBusy", "ReaderChanged", "ReaderEvent",
           "ReaderLost", "ReaderRefused", "ReaderUnreachable", "ServerCardReader"]


class CardReaderPort(Protocol):
    """What the screens use. Another reader (one the kiosk drives itself, P2PE) implements
    the same three calls and sends the same events."""

    def collect_deposit(self, session: FamilySession, amount_cents: int, total_cents: int,
                        save_card: bool, idempotency_key: str) -> None: ...

    def collect_purchase(self, session: FamilySession, purchase: dict[str, Any],
                         idempotency_key: str) -> None: ...

    def collect_renewal(self, session: FamilySession, renewal: dict[str, Any],
                        idempotency_key: str) -> None: ...

    def cancel(self) -> None: ...

    def close(self) -> None: ...


class ReaderBusy(RuntimeError):
    """A collection is already running on this reader."""


class ServerCardReader:
    """The port over the central API's reader routes."""

    def __init__(self, client: CentralClient, listener: Listener, *,
                 wait_seconds: float = 5.0, retry_every: float = 1.0,
                 give_up_after: float = 150.0) -> None:
        self._client = client
        self._listener = listener
        self._wait = wait_seconds
        self._retry_every = retry_every
        self._give_up_after = give_up_after
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._cancel = threading.Event()
        self._closing = threading.Event()
        self._payment_id: str | None = None

    # -- the interface -------------------------------------------------------------------

    def collect_deposit(self, session: FamilySession, amount_cents: int, total_cents: int,
                        save_card: bool, idempotency_key: str) -> None:
        """Start collecting a deposit of ``amount_cents`` (``total_cents`` with the fee, as
        quoted). Returns at once; the events follow."""

        def start() -> ReaderPayment:
            return self._client.reader_deposit(session, amount_cents, total_cents, save_card,
                                               idempotency_key)

        self._run(start)

    def collect_purchase(self, session: FamilySession, purchase: dict[str, Any],
                         idempotency_key: str) -> None:
        """Start collecting a plan's price (``purchase``: the body of
        ``POST /v1/accounts/{id}/terminal/subscriptions``, with ``save_card``). Returns at
        once; the events follow, the last one's ``payment.subscription`` is the plan."""

        def start() -> ReaderPayment:
            return self._client.reader_purchase(session, purchase, idempotency_key)

        self._run(start)

    def collect_renewal(self, session: FamilySession, renewal: dict[str, Any],
                        idempotency_key: str) -> None:
        """Start collecting a manual subscription's next period (renew-now; ``renewal``:
        the body of ``POST /v1/accounts/{id}/terminal/renewals``). Returns at once; the
        last event's ``payment.subscription`` is the subscription with its paid period."""

        def start() -> ReaderPayment:
            return self._client.reader_renewal(session, renewal, idempotency_key)

        self._run(start)

    def cancel(self) -> None:
        """Stop the reader's action. Returns at once; a ``ReaderChanged`` with ``canceled``
        (or ``approved``, when the card was approved first) follows."""
        self._cancel.set()
        with self._lock:
            payment_id = self._payment_id
        if payment_id is not None:
            threading.Thread(target=self._send_cancel, args=(payment_id,),
                             name="card-reader-cancel", daemon=True).start()

    def close(self, timeout: float = 5.0) -> None:
        self._closing.set()
        self.cancel()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    # -- the reader's thread ---------------------------------------------------------------

    def _run(self, start: Callable[[], ReaderPayment]) -> None:
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                raise ReaderBusy("a payment is already being collected")
            self._cancel.clear()
            self._payment_id = None
            self._thread = threading.Thread(target=self._follow, args=(start,),
                                            name="card-reader", daemon=True)
            self._thread.start()

    def _emit(self, event: ReaderEvent) -> None:
        try:
            self._listener(event)
        except Exception:  # a broken listener must not stop following the payment
            log.exception("card reader listener failed on %s", type(event).__name__)

    def _follow(self, start: Callable[[], ReaderPayment]) -> None:
        payment = self._ask(start, None)
        if payment is None:
            return
        with self._lock:
            self._payment_id = payment.id
        self._emit(ReaderChanged(payment))
        if self._cancel.is_set() and not payment.final:
            self._send_cancel(payment.id)
        while not payment.final:
            shown = payment

            def poll(shown: ReaderPayment = shown) -> ReaderPayment:
                return self._client.reader_payment(shown.id, self._wait, shown.state)

            answered = self._ask(poll, shown.id)
            if answered is None:
                return
            payment = answered
            if payment.state != shown.state:
                self._emit(ReaderChanged(payment))

    def _ask(self, call: Callable[[], ReaderPayment], payment_id: str | None
             ) -> ReaderPayment | None:
        """One request, asked again while the server does not answer, until
        ``give_up_after``. None: the collection ended (refused, lost or closing)."""
        since: float | None = None
        while True:
            try:
                return call()
            except CentralUnreachable:
                now = time.monotonic()
                if since is None:
                    since = now
                    self._emit(ReaderUnreachable(payment_id))
                if now - since >= self._give_up_after:
                    self._emit(ReaderLost(payment_id))
                    return None
                if self._closing.wait(self._retry_every):
                    return None
            except CentralError as exc:
                self._emit(ReaderRefused(exc.code, exc.detail))
                return None

    def _send_cancel(self, payment_id: str) -> None:
        try:
            self._client.cancel_reader_payment(payment_id)
        except CentralError as exc:  # the poll goes on and shows how the payment ended
            log.warning("canceling reader payment %s failed: %s", payment_id, exc.code)
