"""Moving the demo clock (``lobby-central serve --demo-clock START``): its request and answer
bodies and the handler the supervisor's route calls."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated

from pydantic import BaseModel, Field

from central.kernel.clock import DemoClock
from central.kernel.fields import JSON_INTEGER, STRICT, Strict
from central.kernel.ports import UnitOfWork
from central.kernel.problems import ProblemError

LONGEST_STEP = timedelta(days=400)


class DemoClockIn(Strict):
    advance_seconds: Annotated[
        int, STRICT, Field(ge=1, le=int(LONGEST_STEP.total_seconds())), JSON_INTEGER
    ] = Field(description="How far to move the clock forward, in seconds (at most 400 days)")


class DemoClockOut(BaseModel):
    now: datetime
    started_at: datetime
    advanced_seconds: int = Field(description="The total the clock was moved forward")

    @classmethod
    def of(cls, clock: DemoClock) -> DemoClockOut:
        return cls(now=clock.now(), started_at=clock.started_at,
                   advanced_seconds=int(clock.advanced.total_seconds()))


@dataclass(frozen=True)
class AdvanceDemoClock:
    seconds: int


def advance_demo_clock(command: AdvanceDemoClock, ports: UnitOfWork) -> DemoClockOut:
    """Move the server's clock forward; 409 ``demo_clock_off`` on the real clock."""
    clock = ports.clock
    if not isinstance(clock, DemoClock):
        raise ProblemError(409, "demo_clock_off", "This server runs on the real clock",
                           "Start it with --demo-clock to move time in a demo.")
    clock.advance(timedelta(seconds=command.seconds))
    return DemoClockOut.of(clock)
