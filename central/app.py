"""The FastAPI application factory: one database URL and one clock make a server."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import FastAPI

from central import __version__
from central.api import (
    accounts,
    admin,
    advance_connect,
    facilities,
    health,
    kiosks,
    payment_methods,
    sessions,
)
from central.api import gateway as gateway_routes
from central.api.deps import AppServices
from central.clock import Clock, SystemClock
from central.db import Database
from central.gateway import PaymentGateway
from central.gateway.sandbox import SandboxGateway
from central.idempotency import Idempotency
from central.notifications import EmlFolderMailer, Mailer
from central.problems import install_handlers, problem_openapi

DEFAULT_MAIL_DIR = Path(tempfile.gettempdir()) / "lobby-central-mail"


def create_app(
    database_url: str,
    clock: Clock | None = None,
    gateway: PaymentGateway | None = None,
    mailer: Mailer | None = None,
) -> FastAPI:
    """Build the API. The schema must already be migrated (``lobby-central migrate``).

    Without a ``gateway`` the sandbox processor runs on the same database. Without a
    ``mailer``, e-mail is written as .eml files to ``DEFAULT_MAIL_DIR`` (demo mode);
    ``lobby-central serve --smtp HOST:PORT`` sends it for real.
    """
    clock = clock or SystemClock()
    db = Database(database_url)
    app = FastAPI(
        title="Lobby Kiosk central API",
        version=__version__,
        description=(
            "Accounts, AdvanceConnect, plans and subscriptions for visitation-lobby kiosks. "
            "Errors are RFC 9457 application/problem+json with a stable `code`."
        ),
    )
    app.state.services = AppServices(
        db=db, clock=clock, idempotency=Idempotency(db, clock),
        gateway=gateway or SandboxGateway(db, clock),
        mailer=mailer or EmlFolderMailer(DEFAULT_MAIL_DIR, clock=clock),
    )
    install_handlers(app)
    app.include_router(health.router)
    app.include_router(facilities.router)
    app.include_router(kiosks.router)
    app.include_router(accounts.router)
    app.include_router(sessions.router)
    app.include_router(gateway_routes.router)
    app.include_router(payment_methods.router)
    app.include_router(advance_connect.router)
    app.include_router(admin.router)
    problem_openapi(app)
    return app
