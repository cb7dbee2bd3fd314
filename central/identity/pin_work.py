"""The bound on PIN hashing: argon2 takes 64 MiB and a core for each hash, so only a few run
at once, on a small pool of their own, and a few more may wait; beyond that a sign-in is
answered 503 at once instead of holding memory or a request thread."""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from central.identity.security import hash_pin, verify_pin
from central.kernel.problems import ProblemError

T = TypeVar("T")

DEFAULT_WORKERS = 2  # one per core of the reference machine; 128 MiB of argon2 at most
DEFAULT_WAITING = 16
# How much lower the hashing threads' CPU priority is than the request threads' (Linux nice
# steps): a burst of sign-ins then takes the cores only when requests do not need them,
# instead of pushing every other request's latency up several-fold on a small machine.
HASHING_NICENESS = 10


def lower_this_threads_priority(steps: int = HASHING_NICENESS) -> None:
    """On Linux each thread has its own nice value; elsewhere this does nothing."""
    if not hasattr(os, "setpriority") or not sys.platform.startswith("linux"):
        return
    thread = threading.get_native_id()
    # In a sandbox that forbids it the hashes still run, at normal priority.
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, thread,
                       min(19, os.getpriority(os.PRIO_PROCESS, thread) + steps))


class PinWork:
    """At most ``workers`` PIN hashes run at once; ``waiting`` more may queue for them."""

    def __init__(self, workers: int = DEFAULT_WORKERS, waiting: int = DEFAULT_WAITING) -> None:
        if workers < 1 or waiting < 0:
            raise ValueError("PIN hashing needs at least one worker and no negative queue")
        self.workers = workers
        self.waiting = waiting
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="pin-hash",
                                        initializer=lower_this_threads_priority)
        self._admission = threading.BoundedSemaphore(workers + waiting)

    def run(self, work: Callable[..., T], *args: str) -> T:
        """Run ``work(*args)`` on the pool and wait for it, or refuse with 503 when full."""
        if not self._admission.acquire(blocking=False):
            raise ProblemError(
                503, "pin_check_busy", "Too many sign-ins at once",
                "Try again in a moment.", headers={"Retry-After": "1"},
            )
        try:
            return self._pool.submit(work, *args).result()
        finally:
            self._admission.release()

    def hash(self, pin: str) -> str:
        return self.run(hash_pin, pin)

    def verify(self, pin_hash: str, pin: str) -> bool:
        return self.run(verify_pin, pin_hash, pin)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)
