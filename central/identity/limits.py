"""How fast one kiosk may try: fixed-window request counts per client, kept in the database
so every server process of a fleet counts the same requests."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update

from central.db.engine import Database, insert_ignoring_conflict
from central.identity.models import RateLimitWindow
from central.kernel.clock import Clock
from central.kernel.problems import ProblemError


@dataclass(frozen=True)
class RateLimit:
    """``requests`` of kind ``name`` per client in each window of ``per``."""

    name: str
    requests: int
    per: timedelta = timedelta(minutes=1)


@dataclass(frozen=True)
class Limits:
    """Every bound the API puts on its clients (the README lists them)."""

    # Sign-in (family and staff) per kiosk: a lobby sees a family every minute or two.
    sign_in: RateLimit = field(default_factory=lambda: RateLimit("sign-in", 30))
    # New accounts per kiosk: each takes a few minutes of typing at a real kiosk.
    sign_up: RateLimit = field(default_factory=lambda: RateLimit("sign-up", 10))
    # The largest request body; the biggest real one (a price list) is a few KiB.
    max_body_bytes: int = 256 * 1024
    pin_workers: int = 2
    pin_waiting: int = 16


def spend(db: Database, clock: Clock, limit: RateLimit, client: str) -> None:
    """Count one request of ``client``; 429 ``rate_limited`` with Retry-After past the limit."""
    now = clock.now()
    seconds = max(1, int(limit.per.total_seconds()))
    window_start = datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, UTC)
    key = f"{limit.name}:{client}"
    with db.transaction() as session:
        insert_ignoring_conflict(session, RateLimitWindow.__table__,
                                 {"key": key, "window_start": window_start, "count": 0})
        session.execute(
            update(RateLimitWindow)
            .where(RateLimitWindow.key == key, RateLimitWindow.window_start == window_start)
            .values(count=RateLimitWindow.count + 1)
        )
        count = session.scalar(select(RateLimitWindow.count).where(
            RateLimitWindow.key == key, RateLimitWindow.window_start == window_start))
        # Old windows of this client are of no further use.
        session.execute(delete(RateLimitWindow).where(
            RateLimitWindow.key == key, RateLimitWindow.window_start < window_start))
    if count is not None and count > limit.requests:
        wait = math.ceil((window_start + timedelta(seconds=seconds) - now).total_seconds())
        raise ProblemError(
            429, "rate_limited", f"Too many {limit.name} requests from this kiosk",
            f"At most {limit.requests} per {seconds} s; try again in {max(1, wait)} s.",
            headers={"Retry-After": str(max(1, wait))},
        )
