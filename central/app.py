"""The FastAPI application factory: one database URL and one clock make a server."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from fastapi import Depends, FastAPI

from central import __version__
from central.api import (
    accounts,
    admin,
    advance_connect,
    demo_clock,
    facilities,
    health,
    kiosks,
    payment_methods,
    sessions,
)
from central.api import advisor as advisor_routes
from central.api import calls as call_routes
from central.api import fleet as fleet_routes
from central.api import gateway as gateway_routes
from central.api import subscriptions as subscription_routes
from central.api.body_limit import BodySizeLimit
from central.api.deps import AppServices
from central.api.links import install_links
from central.api.printable import document_printable_parameters, printable_parameters
from central.clock import Clock, DemoClock, SystemClock
from central.db.engine import DB_THREADS, Database
from central.idempotency import Idempotency
from central.identity.limits import Limits
from central.identity.pin_work import PinWork
from central.mail.mailer import EmlFolderMailer, Mailer
from central.money.gateway import PaymentGateway
from central.money.gateway.sandbox import SandboxGateway
from central.problems import install_handlers, problem_openapi
from central.scheduler import RenewalScheduler

DEFAULT_MAIL_DIR = Path(tempfile.gettempdir()) / "lobby-central-mail"


@asynccontextmanager
async def _scheduler_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Runs renewals and mail delivery in the background while the server runs, if asked,
    and sizes the request threads to the connection pool (DB_THREADS each)."""
    anyio.to_thread.current_default_thread_limiter().total_tokens = DB_THREADS
    scheduler: RenewalScheduler | None = app.state.scheduler
    if scheduler is not None:
        scheduler.start()
    try:
        yield
    finally:
        if scheduler is not None:
            scheduler.stop()


def create_app(
    database_url: str,
    clock: Clock | None = None,
    gateway: PaymentGateway | None = None,
    mailer: Mailer | None = None,
    scheduler_interval_seconds: float = 0,
    limits: Limits | None = None,
) -> FastAPI:
    """Build the API. The schema must already be migrated (``lobby-central migrate``).

    Without a ``gateway`` the sandbox processor runs on the same database. Without a
    ``mailer``, e-mail is written as .eml files to ``DEFAULT_MAIL_DIR`` (demo mode);
    ``lobby-central serve --smtp HOST:PORT`` sends it for real. With
    ``scheduler_interval_seconds`` > 0, renewals and mail delivery run in a background thread
    while the server runs (``lobby-central serve`` does this; tests build apps without it).
    ``limits`` bounds request sizes, sign-in and sign-up rates and concurrent PIN hashing.
    """
    clock = clock or SystemClock()
    limits = limits or Limits()
    db = Database(database_url)
    if isinstance(clock, DemoClock) and db.engine.dialect.name != "sqlite":
        db.dispose()
        # A fleet's database is shared: a clock moved for a demo would bill real families.
        raise ValueError("the demo clock runs only on a SQLite database")
    app = FastAPI(
        title="Lobby Kiosk central API",
        version=__version__,
        description=(
            "Accounts, AdvanceConnect, plans and subscriptions for visitation-lobby kiosks. "
            "Errors are RFC 9457 application/problem+json with a stable `code`."
        ),
        lifespan=_scheduler_lifespan,
        dependencies=[Depends(printable_parameters)],
    )
    app.state.services = AppServices(
        db=db, clock=clock, idempotency=Idempotency(db, clock),
        gateway=gateway or SandboxGateway(db, clock),
        mailer=mailer or EmlFolderMailer(DEFAULT_MAIL_DIR, clock=clock),
        limits=limits, pins=PinWork(limits.pin_workers, limits.pin_waiting),
    )
    services = app.state.services
    app.state.scheduler = (
        RenewalScheduler(services.db, services.gateway, services.mailer, clock,
                         scheduler_interval_seconds)
        if scheduler_interval_seconds > 0 else None
    )
    install_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=limits.max_body_bytes)
    app.include_router(health.router)
    app.include_router(facilities.router)
    app.include_router(kiosks.router)
    app.include_router(fleet_routes.router)
    app.include_router(accounts.router)
    app.include_router(sessions.router)
    app.include_router(gateway_routes.router)
    app.include_router(payment_methods.router)
    app.include_router(advance_connect.router)
    app.include_router(admin.router)
    app.include_router(demo_clock.router)
    app.include_router(subscription_routes.router)
    app.include_router(call_routes.router)
    app.include_router(advisor_routes.router)
    problem_openapi(app)
    document_printable_parameters(app)
    install_links(app)
    return app
