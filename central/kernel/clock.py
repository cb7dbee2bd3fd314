"""Where the server gets the time from: injectable so tests can move it."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class Clock(Protocol):
    def now(self) -> datetime:
        """An aware datetime in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to; used by tests and by ``renew --as-of``."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        self._now = when.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self._now += delta


class DemoClock:
    """For demos and acceptance runs (``lobby-central serve --demo-clock START``): starts at
    ``start``, runs on with real time, and jumps forward when a supervisor moves it. It never
    goes back, so nothing dated by it can end before it began."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("DemoClock needs an aware datetime")
        self.started_at = start.astimezone(UTC)
        self._began = time.monotonic()
        self._advanced = timedelta(0)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            elapsed = timedelta(seconds=time.monotonic() - self._began)
            return self.started_at + elapsed + self._advanced

    def real_now(self) -> datetime:
        """The real time: for what was dated outside the demo (enrollment codes the CLI
        issued on the real clock)."""
        return datetime.now(UTC)

    @property
    def advanced(self) -> timedelta:
        with self._lock:
            return self._advanced

    def advance(self, delta: timedelta) -> datetime:
        """Move forward by ``delta`` (positive); returns the new time."""
        if delta <= timedelta(0):
            raise ValueError("the demo clock only moves forward")
        with self._lock:
            self._advanced += delta
        return self.now()


class UnknownTimeZone(ValueError):
    """A facility time zone name that is not in the IANA database."""

    def __init__(self, name: str) -> None:
        super().__init__(f"unknown IANA time zone {name!r}")
        self.name = name


def zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name``, or :class:`UnknownTimeZone`."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UnknownTimeZone(name) from exc
