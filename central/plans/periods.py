"""Subscription periods (rule 4): anniversary months in the facility's time zone.

A subscription's *anchor* is the instant its first period started. The n-th period boundary
is the anchor's local wall-clock date and time plus n calendar months, the day clamped to the
end of a short month (anchor Jan 31: Feb 28 or 29, Mar 31, Apr 30, ...). Each boundary is
computed from the anchor, never from the previous boundary, so the anchor day comes back
after a short month. Boundaries keep the local wall-clock time across daylight-saving
changes and are returned as aware UTC datetimes.

Two local wall-clock times need a rule:

* a time skipped when clocks spring forward (02:30 on a March Sunday in Chicago) resolves to
  the first instant the wall clock reads at least that time: the moment of the change
  (03:00 CDT);
* a time that happens twice when clocks fall back (01:30 on a November Sunday) resolves to
  its first occurrence (01:30 CDT).

Both are "the earliest instant at which the local clock reads the nominal time or later", so
a period never runs longer than the month it stands for. Boundary 0 is the anchor itself,
unchanged.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from central.kernel.clock import zone


@dataclass(frozen=True)
class Period:
    """One subscription period, ``start <= t < end``; ``index`` 0 is the first period."""

    index: int
    start: datetime
    end: datetime

    def contains(self, at: datetime) -> bool:
        return self.start <= at < self.end


def _require_aware(value: datetime, what: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be an aware datetime, got a naive one: {value!r}")


def add_months_clamped(local: datetime, months: int) -> datetime:
    """The naive wall-clock ``local`` plus ``months`` calendar months, the day clamped."""
    month_index = local.year * 12 + (local.month - 1) + months
    year, month0 = divmod(month_index, 12)
    month = month0 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


def _wall(instant_utc: datetime, tz: ZoneInfo) -> datetime:
    return instant_utc.astimezone(tz).replace(tzinfo=None)


def _earliest_instant_at_or_after(wall: datetime, tz: ZoneInfo) -> datetime:
    """The earliest UTC instant at which the local clock in ``tz`` reads ``wall`` or later."""
    first = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if _wall(first, tz) == wall:
        # An ordinary time, or the first occurrence of a repeated one.
        return first
    # Skipped by a spring-forward change. fold=1 reads the wall time with the offset from
    # after the change (an instant before it), fold=0 with the offset from before (an
    # instant after it). The change lies between, on a whole second, and the clock reads
    # >= wall from then on: search the seconds between.
    low = math.floor(wall.replace(tzinfo=tz, fold=1).astimezone(UTC).timestamp())
    high = math.ceil(first.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if _wall(datetime.fromtimestamp(middle, UTC), tz) >= wall:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


def boundary(anchor: datetime, n: int, tz: str) -> datetime:
    """The n-th period boundary after ``anchor`` (n >= 0), as an aware UTC datetime.

    ``boundary(anchor, 0, tz)`` is the anchor; ``boundary(anchor, n, tz)`` ends period n-1.
    """
    _require_aware(anchor, "anchor")
    if n < 0:
        raise ValueError(f"period boundaries are counted from 0, got {n}")
    anchor_utc = anchor.astimezone(UTC)
    if n == 0:
        return anchor_utc
    local_zone = zone(tz)
    nominal = add_months_clamped(_wall(anchor_utc, local_zone), n)
    return _earliest_instant_at_or_after(nominal, local_zone)


def period_end(start: datetime, tz: str, *, anchor: datetime | None = None) -> datetime:
    """The end of the period that begins at ``start``, as an aware UTC datetime.

    Without ``anchor``, ``start`` is taken as its own anchor: one month later, clamped. For
    the second and later periods of a subscription pass its ``anchor`` (the first period's
    start) too: chaining ``period_end(period_end(jan31))`` would give Mar 28, not Mar 31.
    With ``anchor``, the answer is the first boundary after ``start``.
    """
    _require_aware(start, "start")
    if anchor is None:
        return boundary(start, 1, tz)
    return period_containing(anchor, start, tz).end


def periods_from(anchor: datetime, n: int, tz: str) -> list[Period]:
    """The first ``n`` periods of a subscription anchored at ``anchor``; they tile exactly."""
    if n < 0:
        raise ValueError(f"cannot list {n} periods")
    edges = [boundary(anchor, i, tz) for i in range(n + 1)]
    return [Period(index=i, start=edges[i], end=edges[i + 1]) for i in range(n)]


def period_containing(anchor: datetime, at: datetime, tz: str) -> Period:
    """The period of a subscription anchored at ``anchor`` that contains the instant ``at``."""
    _require_aware(anchor, "anchor")
    _require_aware(at, "at")
    anchor_utc = anchor.astimezone(UTC)
    at_utc = at.astimezone(UTC)
    if at_utc < anchor_utc:
        raise ValueError(f"{at_utc.isoformat()} is before the first period ({anchor_utc})")
    local_zone = zone(tz)
    anchor_wall = _wall(anchor_utc, local_zone)
    at_wall = _wall(at_utc, local_zone)
    # A first guess from the calendar months between the two; then step to the right one.
    index = max(0, (at_wall.year - anchor_wall.year) * 12 + (at_wall.month - anchor_wall.month) - 1)
    while index > 0 and boundary(anchor_utc, index, tz) > at_utc:
        index -= 1
    while boundary(anchor_utc, index + 1, tz) <= at_utc:
        index += 1
    return Period(
        index=index,
        start=boundary(anchor_utc, index, tz),
        end=boundary(anchor_utc, index + 1, tz),
    )


def canonical_utc(instant: datetime) -> str:
    """``instant`` as canonical ISO-8601 UTC text: ``YYYY-MM-DDTHH:MM:SSZ``, or with exactly
    six fractional digits (``...SS.ffffffZ``) when the instant has microseconds.

    One instant always gives the same text, whatever zone the datetime was expressed in.
    """
    _require_aware(instant, "instant")
    utc = instant.astimezone(UTC)
    text = utc.strftime("%Y-%m-%dT%H:%M:%S")
    if utc.microsecond:
        text += f".{utc.microsecond:06d}"
    return text + "Z"


def renewal_idempotency_key(subscription_id: str, period_start: datetime) -> str:
    """The period part of the gateway key for paying the period that starts at
    ``period_start`` (rule 5): ``renewal:{subscription_id}:{start}``, the start written by
    :func:`canonical_utc`, e.g. ``renewal:ab12:2026-02-28T06:00:00Z``. Each attempt to pay
    it adds its number (:func:`central.plans.next_period.attempt_key`); that the period is
    paid once is kept by the database, not by this key.
    """
    if not subscription_id or ":" in subscription_id:
        raise ValueError(f"subscription id {subscription_id!r} cannot make a renewal key")
    return f"renewal:{subscription_id}:{canonical_utc(period_start)}"
