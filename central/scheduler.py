"""The in-process scheduler: runs renewals, the charge reconciler and the purge of expired
Idempotency-Key records, and delivers queued e-mail, every few seconds in one background
thread, started and stopped with the server (``lobby-central serve``)."""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from datetime import timedelta

from central.calls.rating import release_expired_holds
from central.calls.single_call import refund_owed_unused_minutes
from central.db.engine import Database
from central.kernel.clock import Clock
from central.kernel.idempotency import purge_expired
from central.mail.mailer import Mailer
from central.mail.outbox import deliver_pending
from central.money.gateway import PaymentGateway
from central.money.reconciler import reconcile
from central.plans.renewals import RenewalReport, run_renewals

log = logging.getLogger(__name__)


def worker_name() -> str:
    """Names this process in renewal claims: host, pid and a random tail, at most 64 chars."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class RenewalScheduler:
    """Calls :func:`run_renewals`, :func:`reconcile`, :func:`purge_expired`, the release of
    expired call holds, the refunds of Single Call minutes left owed and
    :func:`deliver_pending` every ``interval_seconds``,
    first right after :meth:`start`. :meth:`stop` wakes the thread and waits for it.

    Renewals have no cap per round, only a time budget (``renewal_budget``, by default the
    interval, at least 5 s), so the other jobs still run between rounds; a round that
    stopped at its budget is followed at once by the next one, until nothing is due."""

    def __init__(
        self, db: Database, gateway: PaymentGateway, mailer: Mailer, clock: Clock,
        interval_seconds: float, worker_id: str | None = None,
        renewal_budget: timedelta | None = None,
    ) -> None:
        if interval_seconds <= 0:
            raise ValueError("the scheduler interval must be positive")
        self._db = db
        self._gateway = gateway
        self._mailer = mailer
        self._clock = clock
        self.interval_seconds = interval_seconds
        self.worker_id = worker_id or worker_name()
        self.renewal_budget = renewal_budget or timedelta(seconds=max(interval_seconds, 5.0))
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.rounds = 0

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._loop, name="renewal-scheduler",
                                        daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("the renewal scheduler did not stop within %s s", timeout)
            self._thread = None

    def run_once(self) -> RenewalReport:
        report = run_renewals(self._db, self._gateway, self._clock, worker_id=self.worker_id,
                              budget=self.renewal_budget)
        if report.claimed or report.reminders or report.failed:
            log.info("%s", report.summary())
        reconciled = reconcile(self._db, self._gateway, self._clock)
        if reconciled.examined:
            log.info("%s", reconciled.summary())
        purge_expired(self._db, self._clock)
        release_expired_holds(self._db, self._clock)
        refund_owed_unused_minutes(self._db, self._gateway, self._clock)
        deliver_pending(self._db, self._mailer, self._clock)
        return report

    def _loop(self) -> None:
        while not self._stopping.is_set():
            more_due = False
            try:
                more_due = self.run_once().more_due
            # The thread must outlive one bad round (database restarting, a bug): log it
            # and try again next round.
            except Exception:
                log.exception("scheduled renewal round failed")
            self.rounds += 1
            self._stopping.wait(0 if more_due else self.interval_seconds)
