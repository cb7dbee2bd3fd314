"""What the kiosk can do against the central API, one module per capability (catalog,
registration, the family's session). Each runs on a worker thread, never on the GUI's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Outcome(Generic[T]):
    """A capability's answer, and whether the central API answered it (False: from cache
    or queued for later)."""

    value: T
    online: bool = True
