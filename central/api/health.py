"""Liveness and readiness: answers only when the database does."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from central.api.deps import Services
from central.problems import ProblemError, problems

router = APIRouter(tags=["operations"])


class Health(BaseModel):
    status: str
    database: str
    time: datetime


@router.get(
    "/healthz",
    response_model=Health,
    responses=problems(503),
)
def healthz(services: Services) -> Health:
    try:
        with services.db.transaction() as session:
            session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        raise ProblemError(503, "database_unavailable", "The database does not answer") from exc
    return Health(status="ok", database="ok", time=services.clock.now())
