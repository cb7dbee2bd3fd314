"""Shared fixtures: real databases (SQLite files; PostgreSQL when KIOSK_TEST_PG_URL is set),
a manual clock, and the real central API served by uvicorn on loopback."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from central.app import create_app
from central.clock import ManualClock
from central.db.engine import Database
from central.db.migrate import upgrade
from central.mail.mailer import EmlFolderMailer
from central.seed import seed_demo
from tests.support import CollectingHandler, LiveServer, enroll_kiosk, free_port

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PG_URL = os.environ.get("KIOSK_TEST_PG_URL")
PG_SKIP = "PostgreSQL tests need KIOSK_TEST_PG_URL (CI sets it; see .ci/run)"


def _fresh_pg_database(base_url: str) -> tuple[str, str]:
    """Create an empty database on the test server; returns (url, name)."""
    name = f"kiosk_test_{uuid.uuid4().hex[:12]}"
    admin_url = make_url(base_url).set(drivername="postgresql+psycopg")
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return admin_url.set(database=name).render_as_string(hide_password=False), name


def _drop_pg_database(base_url: str, name: str) -> None:
    admin = create_engine(
        make_url(base_url).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgresql", marks=[pytest.mark.postgres,
                                          pytest.mark.skipif(not PG_URL, reason=PG_SKIP)]),
    ]
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each kind, migrated to head."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'central.sqlite3'}"
        upgrade(url)
        yield url
        return
    assert PG_URL
    url, name = _fresh_pg_database(PG_URL)
    upgrade(url)
    try:
        yield url
    finally:
        _drop_pg_database(PG_URL, name)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A migrated SQLite file, for tests where the database kind does not matter."""
    url = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    upgrade(url)
    return url


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 1, 15, 17, 0, tzinfo=UTC))


@pytest.fixture
def seeded_url(database_url: str) -> str:
    db = Database(database_url)
    seed_demo(db)
    db.dispose()
    return database_url


@pytest.fixture
def mail_dir(tmp_path: Path) -> Path:
    """Where the app's demo-mode mailer writes .eml files in tests."""
    return tmp_path / "mail"


@pytest.fixture
def app(seeded_url: str, clock: ManualClock, mail_dir: Path) -> Iterator[FastAPI]:
    application = create_app(seeded_url, clock, mailer=EmlFolderMailer(mail_dir, clock=clock))
    yield application
    application.state.services.db.dispose()


@pytest.fixture
def api(app: FastAPI) -> Iterator[TestClient]:
    """The real app, called in-process (server-side tests)."""
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def kiosk_token(app: FastAPI) -> str:
    return enroll_kiosk(app)


@pytest.fixture
def kiosk_api(api: TestClient, kiosk_token: str) -> TestClient:
    api.headers["Authorization"] = f"Bearer {kiosk_token}"
    return api


@pytest.fixture
def live_server(app: FastAPI) -> Iterator[LiveServer]:
    server = LiveServer(app)
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _no_worker_left_running() -> Iterator[None]:
    """A test must wait for the work it started; a worker still busy afterwards is a bug."""
    from kiosk.tasks import TaskRunner

    yield
    for runner in list(TaskRunner.instances):
        if not runner.wait_until_idle(3000):
            pytest.fail("a background task was still running after the test")


@pytest.fixture
def smtp_server() -> Iterator[tuple[CollectingHandler, int]]:
    """A real SMTP server (aiosmtpd) on a loopback port that keeps what it receives."""
    handler = CollectingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, ready_timeout=5)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


