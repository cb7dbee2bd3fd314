"""Shared fixtures: real databases (SQLite files; PostgreSQL when KIOSK_TEST_PG_URL is set),
a manual clock, and the real central API served by uvicorn on loopback."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
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


def _pg_admin(base_url: str) -> Engine:
    return create_engine(make_url(base_url).set(drivername="postgresql+psycopg"),
                         isolation_level="AUTOCOMMIT")


def _fresh_pg_database(base_url: str, template: str | None = None) -> tuple[str, str]:
    """Create a database on the test server, empty or a copy of ``template``; returns
    (url, name)."""
    name = f"kiosk_test_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin(base_url)
    copy_of = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"{copy_of}'))
    admin.dispose()
    url = make_url(base_url).set(drivername="postgresql+psycopg", database=name)
    return url.render_as_string(hide_password=False), name


def _drop_pg_database(base_url: str, name: str) -> None:
    admin = _pg_admin(base_url)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


class _Templates:
    """A migrated and a seeded database of each kind, built once per test run: each test
    gets a copy (a file copy, or PostgreSQL's CREATE DATABASE ... TEMPLATE) instead of
    running every migration and the demo seed again, which cost about a second a test."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._made: dict[tuple[str, bool], str] = {}

    def get(self, kind: str, seeded: bool) -> str:
        """The template's file path (sqlite) or database name (postgresql)."""
        if (kind, seeded) not in self._made:
            if kind == "sqlite":
                path = self._folder / f"template-{'seeded' if seeded else 'migrated'}.sqlite3"
                url = f"sqlite:///{path}"
                made = str(path)
            else:
                assert PG_URL
                url, made = _fresh_pg_database(PG_URL)
            upgrade(url)
            if seeded:
                db = Database(url)
                seed_demo(db)
                db.dispose()
            self._made[(kind, seeded)] = made
        return self._made[(kind, seeded)]

    def drop(self) -> None:
        for (kind, _), made in self._made.items():
            if kind == "postgresql" and PG_URL:
                _drop_pg_database(PG_URL, made)


@pytest.fixture(scope="session")
def _templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Templates]:
    templates = _Templates(tmp_path_factory.mktemp("db-templates"))
    yield templates
    templates.drop()


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgresql", marks=[pytest.mark.postgres,
                                          pytest.mark.skipif(not PG_URL, reason=PG_SKIP)]),
    ]
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path, _templates: _Templates
                 ) -> Iterator[str]:
    """An empty database of each kind, migrated to head (a copy of the run's template).
    ``seeded_url`` turns this same database into the seeded one."""
    if request.param == "sqlite":
        path = tmp_path / "central.sqlite3"
        shutil.copyfile(_templates.get("sqlite", seeded=False), path)
        yield f"sqlite:///{path}"
        return
    assert PG_URL
    url, name = _fresh_pg_database(PG_URL, _templates.get("postgresql", seeded=False))
    try:
        yield url
    finally:
        _drop_pg_database(PG_URL, name)


@pytest.fixture
def sqlite_url(tmp_path: Path, _templates: _Templates) -> str:
    """A migrated SQLite file, for tests where the database kind does not matter."""
    path = tmp_path / "central.sqlite3"
    shutil.copyfile(_templates.get("sqlite", seeded=False), path)
    return f"sqlite:///{path}"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 1, 15, 17, 0, tzinfo=UTC))


@pytest.fixture
def seeded_url(database_url: str, _templates: _Templates) -> str:
    """``database_url`` with the demo data (facilities, plans, staff), copied from the
    run's seeded template; nothing has opened ``database_url`` yet, so it is replaced."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        assert url.database
        shutil.copyfile(_templates.get("sqlite", seeded=True), url.database)
    else:
        assert PG_URL and url.database
        admin = _pg_admin(PG_URL)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{url.database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{url.database}" '
                              f'TEMPLATE "{_templates.get("postgresql", seeded=True)}"'))
        admin.dispose()
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


