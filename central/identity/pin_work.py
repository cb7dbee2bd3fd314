"""The bound on PIN hashing: argon2 takes 64 MiB and a core for each hash, so only a few run
at once, on a small pool of their own, and a few more may wait; beyond that a sign-in is
answered 503 at once instead of holding memory or a request thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from central.identity.security import hash_pin, verify_pin
from central.problems import ProblemError

T = TypeVar("T")

DEFAULT_WORKERS = 2  # one per core of the reference machine; 128 MiB of argon2 at most
DEFAULT_WAITING = 16


class PinWork:
    """At most ``workers`` PIN hashes run at once; ``waiting`` more may queue for them."""

    def __init__(self, workers: int = DEFAULT_WORKERS, waiting: int = DEFAULT_WAITING) -> None:
        if workers < 1 or waiting < 0:
            raise ValueError("PIN hashing needs at least one worker and no negative queue")
        self.workers = workers
        self.waiting = waiting
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="pin-hash")
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
