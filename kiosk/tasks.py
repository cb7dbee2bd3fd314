"""Background work for the GUI: run a function on a thread pool, get ``result`` or ``error``
back on the GUI thread. Widgets are never touched from a worker."""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)
T = TypeVar("T")


class _Relay(QObject):
    """Lives on the GUI thread; signals emitted from workers are queued to it."""

    delivered = Signal(object, object)

    def __init__(self) -> None:
        super().__init__()
        self.delivered.connect(self._deliver)

    @Slot(object, object)
    def _deliver(self, callback: Callable[[Any], None], value: Any) -> None:
        callback(value)


class _Job(QRunnable):
    def __init__(
        self,
        work: Callable[[], Any],
        relay: _Relay,
        on_result: Callable[[Any], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        super().__init__()
        self._work = work
        self._relay = relay
        self._on_result = on_result
        self._on_error = on_error

    def run(self) -> None:
        try:
            value = self._work()
        except Exception as exc:  # noqa: BLE001 - every failure goes back to the GUI as data
            self._relay.delivered.emit(self._on_error, exc)
        else:
            self._relay.delivered.emit(self._on_result, value)


class TaskRunner(QObject):
    """Runs callables off the GUI thread. One per controller; tests check all are idle."""

    instances: ClassVar[weakref.WeakSet[TaskRunner]] = weakref.WeakSet()

    def __init__(self, max_threads: int = 4, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._relay = _Relay()
        TaskRunner.instances.add(self)

    def submit(
        self,
        work: Callable[[], T],
        on_result: Callable[[T], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        self._pool.start(_Job(work, self._relay, on_result, on_error))

    @property
    def active_count(self) -> int:
        return int(self._pool.activeThreadCount())

    def wait_until_idle(self, msecs: int = 10_000) -> bool:
        """Block until every job has finished (shutdown and tests only, never in a slot)."""
        return bool(self._pool.waitForDone(msecs))
