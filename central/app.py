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
    charges,
    demo_clock,
    facilities,
    health,
    kiosks,
    payment_methods,
    sessions,
    stripe_webhook,
)
from central.api import advisor as advisor_routes
from central.api import calls as call_routes
from central.api import cash as cash_routes
from central.api import fleet as fleet_routes
from central.api import gateway as gateway_routes
from central.api import subscriptions as subscription_routes
from central.api import terminal as terminal_routes
from central.api.body_limit import BodySizeLimit
from central.api.deps import AppServices
from central.api.links import install_links
from central.api.printable import document_printable_parameters, printable_parameters
from central.calls import single_call
from central.db.engine import DB_THREADS, Database
from central.identity.limits import Limits
from central.identity.pin_work import PinWork
from central.kernel.clock import Clock, DemoClock, SystemClock
from central.kernel.idempotency import Idempotency
from central.kernel.problems import install_handlers, problem_openapi
from central.mail.mailer import EmlFolderMailer, Mailer
from central.money import cash, deposits
from central.money.attention import tries_from_env
from central.money.effects import CHARGE_EFFECTS, ChargeEffects
from central.money.gateway import PaymentGateway
from central.money.gateway.choice import build_gateway
from central.plans import purchases
from central.scheduler import RenewalScheduler

DEFAULT_MAIL_DIR = Path(tempfile.gettempdir()) / "lobby-central-mail"


def register_charge_effects(effects: ChargeEffects = CHARGE_EFFECTS,
                            tries: int | None = None) -> ChargeEffects:
    """Each capability registers what its charges do, in the registry money owns: here,
    at the root, because money stands below plans and calls and must not import them. Every
    process that may finish a charge (the server, the CLI) calls this first; calling it
    again is harmless. ``tries``: how many failures of a charge's effect set it aside for a
    person (else ``LOBBY_CENTRAL_CHARGE_TRIES``, else 5; a wrong value is a ValueError)."""
    effects.tries = tries_from_env(tries)
    deposits.register_effects(effects)
    purchases.register_effects(effects)
    single_call.register_effects(effects)
    cash.register_effects(effects)
    return effects


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
    charge_tries: int | None = None,
) -> FastAPI:
    """Build the API. The schema must already be migrated (``lobby-central migrate``).

    Without a ``gateway`` the one ``LOBBY_CENTRAL_GATEWAY`` names is built (the sandbox
    processor on the same database by default; docs/payments.md). Without a
    ``mailer``, e-mail is written as .eml files to ``DEFAULT_MAIL_DIR`` (demo mode);
    ``lobby-central serve --smtp HOST:PORT`` sends it for real. With
    ``scheduler_interval_seconds`` > 0, renewals and mail delivery run in a background thread
    while the server runs (``lobby-central serve`` does this; tests build apps without it).
    ``limits`` bounds request sizes, sign-in and sign-up rates and concurrent PIN hashing.
    ``charge_tries``: failures of a charge's effect before it waits for a person
    (else ``LOBBY_CENTRAL_CHARGE_TRIES``, else 5).
    """
    register_charge_effects(tries=charge_tries)
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
        gateway=gateway or build_gateway(db, clock),
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
    gateway_routes.install_gateway_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=limits.max_body_bytes)
    app.include_router(health.router)
    app.include_router(facilities.router)
    app.include_router(kiosks.router)
    app.include_router(fleet_routes.router)
    app.include_router(accounts.router)
    app.include_router(sessions.router)
    app.include_router(gateway_routes.router)
    app.include_router(stripe_webhook.router)
    app.include_router(payment_methods.router)
    app.include_router(advance_connect.router)
    app.include_router(admin.router)
    app.include_router(charges.router)
    app.include_router(demo_clock.router)
    app.include_router(subscription_routes.router)
    app.include_router(call_routes.router)
    app.include_router(advisor_routes.router)
    app.include_router(cash_routes.router)
    app.include_router(terminal_routes.router)
    problem_openapi(app)
    document_printable_parameters(app)
    install_links(app)
    return app
