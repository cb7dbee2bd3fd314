"""What the kiosk knows of lobby staff: the signed-in member, the hidden gesture that opens
staff mode, the short-lived offline sign-in check, and the rows staff look at."""

from __future__ import annotations

import ctypes
import enum
import functools
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# A sign-up conflict is a server answer (``domain``); staff screens name it from here.
from domain import SignUpConflict as SignUpConflict

# Hidden gesture: five taps in the header's top-left corner within three seconds.
from kiosk.staff_taps import STAFF_CORNER_PX as STAFF_CORNER_PX
from kiosk.staff_taps import STAFF_TAP_WINDOW_SECONDS as STAFF_TAP_WINDOW_SECONDS
from kiosk.staff_taps import STAFF_TAPS as STAFF_TAPS
from kiosk.staff_taps import TapCounter as TapCounter

# How long after an online sign-in the same badge and PIN work without the server.
OFFLINE_SIGN_IN_FOR = timedelta(minutes=15)
OFFLINE_WRONG_PINS = 5  # then the cached check is dropped: the server must answer
# The offline check's argon2 memory cost (OWASP's minimum); each hash takes one such block.
HASH_MEMORY_KIB = 19 * 1024
# glibc's mallopt option, and the size from which blocks always go back to the system.
_M_MMAP_THRESHOLD = -3
_LARGE_BLOCK_BYTES = 4 * 1024 * 1024


@functools.cache
def _large_blocks_back_to_the_system() -> None:
    """glibc maps a block above its threshold and gives it back when freed, but the first
    such free raises the threshold to that block's size: later 19 MiB hash blocks then come
    from the heap of the thread that hashes and stay there, one per worker thread, for the
    rest of the day (measured: 38 MiB after six staff sign-ins). A fixed threshold turns
    that rise off. Other C libraries keep no such per-thread heaps."""
    if not sys.platform.startswith("linux"):
        return
    mallopt = getattr(ctypes.CDLL(None), "mallopt", None)
    if mallopt is not None:
        mallopt(_M_MMAP_THRESHOLD, _LARGE_BLOCK_BYTES)


class StaffRole(enum.StrEnum):
    CLERK = "clerk"  # "officer" on screen
    SUPERVISOR = "supervisor"


@dataclass(frozen=True, slots=True)
class StaffMember:
    """The staff member in staff mode; ``offline`` when signed in from the cached check."""

    id: str
    name: str
    role: StaffRole
    offline: bool = False
    # This kiosk's facility allows typing a card number (said by the staff sign-in).
    keyed_entry: bool = False


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """One outbox entry as staff see it (never its payload)."""

    id: int
    operation: str
    state: str
    attempts: int
    last_error: str
    created_at: datetime
    # Why a failed or conflicting entry was closed: the problem's code, and the server's
    # own words for it (title and detail; none when the kiosk closed it itself).
    problem_code: str = ""
    problem_title: str = ""
    problem_detail: str = ""

    @property
    def discardable(self) -> bool:
        return self.state in ("failed", "conflict")


@dataclass
class _Cached:
    pin_hash: str = field(repr=False)
    member: StaffMember
    until: datetime
    wrong: int = 0


class OfflineStaffCheck:
    """After an online sign-in, the PIN's argon2 hash and the member, in memory only (never
    on disk), for ``OFFLINE_SIGN_IN_FOR``; five wrong PINs drop the entry."""

    def __init__(self, now: Callable[[], datetime], valid_for: timedelta = OFFLINE_SIGN_IN_FOR
                 ) -> None:
        self._now = now
        self._valid_for = valid_for
        self._hasher = PasswordHasher(time_cost=2, memory_cost=HASH_MEMORY_KIB, parallelism=1)
        _large_blocks_back_to_the_system()
        self._cached: dict[str, _Cached] = {}
        self._lock = threading.Lock()

    def remember(self, badge: str, pin: str, member: StaffMember) -> None:
        pin_hash = self._hasher.hash(pin)
        with self._lock:
            self._cached[badge] = _Cached(pin_hash, member, self._now() + self._valid_for)

    def check(self, badge: str, pin: str) -> StaffMember | None:
        """The member if ``pin`` matches a fresh entry for ``badge``; raises
        ``OfflinePinIncorrect`` for a wrong PIN, None when there is no fresh entry."""
        with self._lock:
            cached = self._cached.get(badge)
            if cached is None or cached.until <= self._now():
                self._cached.pop(badge, None)
                return None
        try:
            self._hasher.verify(cached.pin_hash, pin)
        except (VerificationError, InvalidHashError):
            with self._lock:
                cached.wrong += 1
                left = OFFLINE_WRONG_PINS - cached.wrong
                if left <= 0:
                    self._cached.pop(badge, None)
            raise OfflinePinIncorrect(max(left, 0)) from None
        with self._lock:
            cached.wrong = 0
        return StaffMember(cached.member.id, cached.member.name, cached.member.role,
                           offline=True)

    def forget_all(self) -> None:
        with self._lock:
            self._cached.clear()


class OfflinePinIncorrect(Exception):
    def __init__(self, attempts_remaining: int) -> None:
        super().__init__("pin_incorrect")
        self.attempts_remaining = attempts_remaining
