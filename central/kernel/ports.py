"""What a capability's handlers are given, as protocols the API's services satisfy.

Each capability names its own ``Ports`` (what its handlers need, no more) by extending
these: ``UnitOfWork`` for a handler that reads and writes, ``Replayable`` for one whose
answer an Idempotency-Key replays.
"""

from __future__ import annotations

from typing import Protocol

from central.db.engine import Database
from central.kernel.clock import Clock
from central.kernel.idempotency import Idempotency


class UnitOfWork(Protocol):
    """The database (``db.transaction()`` is the unit of work) and the clock."""

    @property
    def db(self) -> Database: ...

    @property
    def clock(self) -> Clock: ...


class Replayable(UnitOfWork, Protocol):
    """A unit of work whose answers are stored under their Idempotency-Key."""

    @property
    def idempotency(self) -> Idempotency: ...
