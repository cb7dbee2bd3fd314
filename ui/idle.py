"""Notices when nobody has touched the kiosk for a while, counts down, then says time is up."""

from __future__ import annotations

import math

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QWindow

ACTIVITY_EVENTS = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TouchEnd,
        QEvent.Type.KeyPress,
        QEvent.Type.Wheel,
    }
)


class IdleWatcher(QObject):
    """Any touch, click or key press on the kiosk's window restarts the quiet time.

    It filters the events of the top-level ``QWindow`` only (``watch()``): every input from
    the screen or keyboard arrives there before Qt hands it to a widget, while the far more
    numerous paint, layout, style and timer events go straight to the widgets and never
    cost a Python call here (an application-wide filter ran for all of them).

    After ``idle_seconds`` of quiet it starts a countdown of ``countdown_seconds``; any
    activity (or ``more_time()``) cancels it. Times are floats so tests can use tiny ones.

    Signals:
        countdown_started(int): the countdown began; whole seconds left.
        countdown_tick(int): whole seconds left, while counting down.
        countdown_cancelled(): the family is still there.
        timed_out(): the countdown ran out; wipe and go back to the start.
    """

    countdown_started = Signal(int)
    countdown_tick = Signal(int)
    countdown_cancelled = Signal()
    timed_out = Signal()

    def __init__(
        self, idle_seconds: float, countdown_seconds: float, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._countdown_ms = max(1, int(countdown_seconds * 1000))
        self._active = False
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(max(1, int(idle_seconds * 1000)))
        self._idle.timeout.connect(self._start_countdown)
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.setInterval(self._countdown_ms)
        self._deadline.timeout.connect(self._time_out)
        self._tick = QTimer(self)
        self._tick.setInterval(min(1000, self._countdown_ms))
        self._tick.timeout.connect(self._emit_tick)
        self._elapsed = QElapsedTimer()
        self._watched: QWindow | None = None

    def watch(self, window: QWindow) -> None:
        """Take input from ``window`` (the kiosk's top-level window, once it exists)."""
        if window is self._watched:
            return
        if self._watched is not None:
            self._watched.removeEventFilter(self)
        window.installEventFilter(self)
        self._watched = window

    @property
    def counting_down(self) -> bool:
        return self._deadline.isActive()

    def seconds_left(self) -> int:
        if not self.counting_down:
            return 0
        left_ms = self._countdown_ms - self._elapsed.elapsed()
        return max(0, math.ceil(left_ms / 1000))

    def set_active(self, active: bool) -> None:
        """Watch only while someone is mid-task (not on the attract screen)."""
        self._active = active
        self._stop_countdown()
        if active:
            self._idle.start()
        else:
            self._idle.stop()

    def set_times(self, idle_seconds: float, countdown_seconds: float) -> None:
        """New lengths for the quiet time and the countdown; a quiet time or countdown under
        way starts again with them."""
        self._countdown_ms = max(1, int(countdown_seconds * 1000))
        self._deadline.setInterval(self._countdown_ms)
        self._tick.setInterval(min(1000, self._countdown_ms))
        self._idle.setInterval(max(1, int(idle_seconds * 1000)))
        if self._active:
            self._stop_countdown()
            self._idle.start()

    def more_time(self) -> None:
        self.poke()

    def poke(self) -> None:
        """Someone is here: cancel a countdown and restart the quiet time."""
        if not self._active:
            return
        if self.counting_down:
            self._stop_countdown()
            self.countdown_cancelled.emit()
        self._idle.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._active and event.type() in ACTIVITY_EVENTS:
            self.poke()
        return False

    def _start_countdown(self) -> None:
        self._elapsed.start()
        self._deadline.start()
        self._tick.start()
        self.countdown_started.emit(self.seconds_left())

    def _emit_tick(self) -> None:
        if self.counting_down:
            self.countdown_tick.emit(self.seconds_left())

    def _stop_countdown(self) -> None:
        self._deadline.stop()
        self._tick.stop()

    def _time_out(self) -> None:
        self._tick.stop()
        self._active = False
        self.timed_out.emit()
