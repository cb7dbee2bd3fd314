"""The hidden staff gesture: taps in the header's corner (docs/staff-mode.md).

Apart from ``kiosk.staff`` (which hashes PINs, and imports argon2 for it) so that the
header, on the kiosk's first frame, imports nothing slow; ``kiosk.staff`` re-exports these.
"""

from __future__ import annotations

STAFF_TAPS = 5
STAFF_TAP_WINDOW_SECONDS = 3.0
STAFF_CORNER_PX = 96


class TapCounter:
    """Counts taps; ``tap(now)`` is True on the ``STAFF_TAPS``-th within the window."""

    def __init__(self, taps: int = STAFF_TAPS, window: float = STAFF_TAP_WINDOW_SECONDS) -> None:
        self._taps = taps
        self._window = window
        self._times: list[float] = []

    def tap(self, now: float) -> bool:
        self._times = [t for t in self._times if now - t <= self._window] + [now]
        if len(self._times) >= self._taps:
            self._times.clear()
            return True
        return False
