"""The demo clock's one route: a supervisor moves the server's time forward (only on a server
started with ``--demo-clock``), so renewals and reminders can be shown in minutes."""

from __future__ import annotations

from fastapi import APIRouter

from central.api.deps import Services, SupervisorAuth
from central.kernel.demo_clock import (
    AdvanceDemoClock,
    DemoClockIn,
    DemoClockOut,
)
from central.kernel.demo_clock import advance_demo_clock as advance
from central.kernel.problems import problems

router = APIRouter(prefix="/v1/admin", tags=["staff"])


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
    return advance(AdvanceDemoClock(body.advance_seconds), services)
