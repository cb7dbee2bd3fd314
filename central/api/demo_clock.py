"""The demo clock's one route: a supervisor moves the server's time forward (only on a server
started with ``--demo-clock``), so renewals and reminders can be shown in minutes."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field

from central.api.deps import Services, SupervisorAuth
from central.clock import DemoClock
from central.fields import JSON_INTEGER, STRICT, Strict
from central.problems import ProblemError, problems

router = APIRouter(prefix="/v1/admin", tags=["staff"])

LONGEST_STEP = timedelta(days=400)


class DemoClockIn(Strict):
    advance_seconds: Annotated[
        int, STRICT, Field(ge=1, le=int(LONGEST_STEP.total_seconds())), JSON_INTEGER
    ] = Field(description="How far to move the clock forward, in seconds (at most 400 days)")


class DemoClockOut(BaseModel):
    now: datetime
    started_at: datetime
    advanced_seconds: int = Field(description="The total the clock was moved forward")


@router.post(
    "/demo-clock",
    response_model=DemoClockOut,
    responses=problems(400, 401, 403, 409, 422),
)
def advance_demo_clock(body: DemoClockIn, services: Services, _staff: SupervisorAuth
                       ) -> DemoClockOut:
    """Move the demo clock forward (supervisors only). 409 ``demo_clock_off`` unless the
    server was started with ``lobby-central serve --demo-clock START``; ``/healthz`` says
    which clock runs. Renewals due by the new time run on the scheduler's next turn."""
    clock = services.clock
    if not isinstance(clock, DemoClock):
        raise ProblemError(409, "demo_clock_off", "This server runs on the real clock",
                           "Start it with --demo-clock to move time in a demo.")
    now = clock.advance(timedelta(seconds=body.advance_seconds))
    return DemoClockOut(now=now, started_at=clock.started_at,
                        advanced_seconds=int(clock.advanced.total_seconds()))
