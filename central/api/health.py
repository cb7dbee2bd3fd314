"""Liveness and readiness: answers only when the database does, and says which clock the
server runs on (a demo clock is never mistaken for the real time)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from central.api.deps import Services
from central.kernel.clock import DemoClock
from central.kernel.problems import ProblemError, problems

router = APIRouter(tags=["operations"])


class Health(BaseModel):
    status: str
    database: str
    time: datetime
    clock: Literal["system", "demo"] = Field(
        description="`demo`: started with --demo-clock; `time` is the demo's, not the real one")
    demo_clock_started_at: datetime | None = None


@router.get(
    "/healthz",
    response_model=Health,
    responses=problems(503),
)
def healthz(services: Services) -> Health:
    try:
        with services.db.read() as session:
            session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        raise ProblemError(503, "database_unavailable", "The database does not answer") from exc
    clock = services.clock
    if isinstance(clock, DemoClock):
        return Health(status="ok", database="ok", time=clock.now(), clock="demo",
                      demo_clock_started_at=clock.started_at)
    return Health(status="ok", database="ok", time=clock.now(), clock="system")
