"""The flow engine: a journey is a map of step name -> next step (a name, or a function of
what the family entered so far); a ``Flow`` walks it with a back stack and holds the data."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from kiosk.flows.keys import LANGUAGE

log = logging.getLogger(__name__)

Data = Mapping[str, Any]


def language_of(data: Data) -> str:
    """The family's language on screen when the step was shown ('en', 'es'; '' if unknown):
    what the server answers in it (plan names, the no-refund terms) comes in it."""
    language = LANGUAGE.of(data)
    return str(language) if language else ""


# A step's successor: a step of the same journey, "journey:" (that journey's first step),
# "journey:step", or None when the journey ends here.
NextStep = str | Callable[[Data], str | None] | None
# A request the controller runs: built from the data when a step needs the server.
RequestFor = Callable[[Data], object | None]
SCRUBBED = "•••"
EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Step:
    """One screen of a journey. The screen's widget has the step's name."""

    next: NextStep = None
    provides: tuple[str, ...] = ()  # data keys this step fills in
    load: RequestFor | None = None  # asked for each time the step is shown
    submit: RequestFor | None = None  # sent when the step is done; None from it = incomplete
    # When this says so, the step is done without ``submit`` (the card reader's own screen,
    # next, takes the payment).
    submit_unless: Callable[[Data], bool] | None = None
    result: str = ""  # the data key the answer to ``submit`` (or ``load``) is kept under
    counted: bool = False  # part of "Step N of M"
    back: bool = True  # whether Back is offered here
    clears: tuple[str, ...] = ()  # data keys dropped on arriving here (a new errand starts)
    # Arriving here starts afresh: every data key but these is dropped, and any family
    # session ends (the staff home, between two families). None: nothing is dropped.
    keeps: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class Journey:
    """What a family came to do, as data."""

    name: str
    first: str
    steps: Mapping[str, Step]
    sensitive: frozenset[str] = frozenset()  # keys never logged and dropped after use
    field_steps: Mapping[str, str] = field(default_factory=dict)  # problem field -> fix step
    code_steps: Mapping[str, str] = field(default_factory=dict)  # problem code -> fix step
    invalidates: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Where a submit that could not reach the server goes, to be queued instead ("" when
    # the journey's requests cannot wait): a step of this journey.
    offline_step: str = ""

    def progress(self, step: str) -> tuple[int, int] | None:
        """(N, M) for "Step N of M" when ``step`` is counted, else None."""
        counted = [name for name, s in self.steps.items() if s.counted]
        return (counted.index(step) + 1, len(counted)) if step in counted else None

    def fix_step(self, code: str, problem_field: str) -> str | None:
        """Where a problem the server reported about ``field`` (or ``code``) is fixed."""
        return self.field_steps.get(problem_field) or self.code_steps.get(code)


# Refusals that mean the server was not reached (services.central_client.CentralUnreachable).
UNREACHABLE_CODES = frozenset({"offline", "timeout"})


class FlowError(LookupError):
    """A journey's map names a step or journey that does not exist."""


class Flow:
    """Walks the journeys from ``start``; ``data`` is the whole session's, wiped together."""

    def __init__(self, journeys: Mapping[str, Journey], start: str) -> None:
        self._journeys = journeys
        self._start = start
        self._data: dict[str, Any] = {}
        self._stack: list[tuple[str, str]] = [(start, journeys[start].first)]
        self._return_to: tuple[str, str] | None = None
        self.sensitive = frozenset().union(*(j.sensitive for j in journeys.values()))

    # -- where we are ---------------------------------------------------------------------

    @property
    def journeys(self) -> Mapping[str, Journey]:
        return self._journeys

    @property
    def journey(self) -> Journey:
        return self._journeys[self._stack[-1][0]]

    @property
    def step_name(self) -> str:
        return self._stack[-1][1]

    @property
    def step(self) -> Step:
        return self.journey.steps[self.step_name]

    @property
    def at_start(self) -> bool:
        return len(self._stack) == 1

    @property
    def can_go_back(self) -> bool:
        return self.step.back and (len(self._stack) > 1 or self._return_to is not None)

    @property
    def data(self) -> Data:
        return MappingProxyType(self._data)

    @property
    def revisiting(self) -> bool:
        return self._return_to is not None

    # -- what the family entered ----------------------------------------------------------

    def record(self, values: Data) -> None:
        """Keep a step's values; a changed value drops the entries that depended on it."""
        for key, value in values.items():
            if key in self._data and self._data[key] != value:
                for dependent in self.journey.invalidates.get(key, ()):
                    self._data.pop(dependent, None)
            self._data[key] = value

    def forget(self, *keys: str) -> None:
        for key in keys:
            self._data.pop(key, None)

    def forget_sensitive(self) -> None:
        """Drop every PIN and card entry once the request that needed it has been sent."""
        self.forget(*self.sensitive)

    def scrubbed(self, values: Data | None = None) -> dict[str, Any]:
        """``values`` (default: the data) safe to log: sensitive entries are masked."""
        shown = self._data if values is None else values
        return {k: SCRUBBED if k in self.sensitive else v for k, v in shown.items()}

    # -- moving ---------------------------------------------------------------------------

    def advance(self) -> str | None:
        """Go to the current step's successor; None when the journey has ended."""
        target = self._successor(self.journey, self.step_name)
        if target is None:
            return None
        if self._return_to is not None:
            target = self._skip_done(target)
        self._go(target)
        return self.step_name

    def jump(self, target: str) -> str:
        """Go to ``target`` (a step of this journey or "journey:step") as a new screen."""
        self._return_to = None
        self._go(self._resolve(self.journey.name, target))
        return self.step_name

    def revisit(self, step: str) -> str:
        """Open an earlier step to change it; Next or Back then return here."""
        self._return_to = self._stack[-1]
        self._stack.append(self._resolve(self.journey.name, step))
        self._log()
        return self.step_name

    def back(self) -> str:
        if not self.can_go_back:
            return self.step_name
        if self._return_to is not None:
            self._go(self._return_to)
        else:
            self._stack.pop()
            self._log()
        return self.step_name

    def wipe(self) -> None:
        """Forget everything and return to the start (idle, sign-out, finish)."""
        self._data.clear()
        self._stack = [(self._start, self._journeys[self._start].first)]
        self._return_to = None
        self._log()

    # -- internals ------------------------------------------------------------------------

    def _successor(self, journey: Journey, step: str) -> tuple[str, str] | None:
        following = journey.steps[step].next
        name = following(self.data) if callable(following) else following
        return None if name is None else self._resolve(journey.name, name)

    def _resolve(self, journey: str, name: str) -> tuple[str, str]:
        if ":" in name:
            journey, _, step = name.partition(":")
            if journey not in self._journeys:
                raise FlowError(f"no journey {journey!r}")
            step = step or self._journeys[journey].first
        else:
            step = name
        if step not in self._journeys[journey].steps:
            raise FlowError(f"no step {step!r} in journey {journey!r}")
        return journey, step

    def _skip_done(self, target: tuple[str, str]) -> tuple[str, str]:
        """While revisiting: skip the steps whose data is still there, back to the review."""
        assert self._return_to is not None
        seen: set[tuple[str, str]] = set()
        while target != self._return_to and target not in seen:
            seen.add(target)
            provides = self._journeys[target[0]].steps[target[1]].provides
            if not provides or any(key not in self._data for key in provides):
                return target
            following = self._successor(self._journeys[target[0]], target[1])
            if following is None:
                break
            target = following
        return self._return_to

    def _go(self, target: tuple[str, str]) -> None:
        if target == self._return_to:
            self._return_to = None
        # Returning to a screen already on the stack closes what was opened after it, so
        # Back never walks into a finished payment or a closed edit.
        if target in self._stack:
            del self._stack[self._stack.index(target) + 1 :]
        else:
            self._stack.append(target)
        self.forget(*self.step.clears)
        if self.step.keeps is not None:
            self.forget(*(key for key in list(self._data) if key not in self.step.keeps))
        self._log()

    def _log(self) -> None:
        log.debug("flow at %s:%s with %s", *self._stack[-1], sorted(self.scrubbed()))
