"""What every route may depend on: the app's services and the calling kiosk."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select

from central.clock import Clock
from central.db import Database
from central.idempotency import Idempotency
from central.models import Kiosk
from central.problems import ProblemError
from central.security import token_digest


@dataclass
class AppServices:
    db: Database
    clock: Clock
    idempotency: Idempotency


def get_services(request: Request) -> AppServices:
    services: AppServices = request.app.state.services
    return services


Services = Annotated[AppServices, Depends(get_services)]

_bearer = HTTPBearer(auto_error=False, description="Kiosk token issued at enrollment")


@dataclass(frozen=True)
class CallingKiosk:
    id: str
    facility_id: str


def current_kiosk(
    services: Services,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> CallingKiosk:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ProblemError(
            401,
            "unauthorized",
            "This kiosk is not enrolled",
            "Send the kiosk's bearer token.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    with services.db.transaction() as session:
        kiosk = session.execute(
            select(Kiosk).where(Kiosk.token_hash == token_digest(credentials.credentials))
        ).scalar_one_or_none()
        if kiosk is None:
            raise ProblemError(
                401,
                "unauthorized",
                "This kiosk token is not valid",
                "Enroll the kiosk again with a new code.",
                headers={"WWW-Authenticate": "Bearer"},
            )
        kiosk.last_seen_at = services.clock.now()
        return CallingKiosk(id=kiosk.id, facility_id=kiosk.facility_id)


KioskAuth = Annotated[CallingKiosk, Depends(current_kiosk)]
