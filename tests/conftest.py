"""Shared fixtures: real databases (SQLite files; PostgreSQL when KIOSK_TEST_PG_URL is set),
a manual clock, and the real central API served by uvicorn on loopback."""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
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
from central.db.engine import Database
from central.db.migrate import upgrade
from central.identity.security import CHEAP_PIN_HASHES
from central.kernel.clock import ManualClock
from central.mail.mailer import EmlFolderMailer
from central.seed import seed_demo
from tests import tour_support, worker_keyring
from tests.support import CollectingHandler, LiveServer, enroll_kiosk, free_port

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# PINs hashed with argon2's CHEAPEST profile in this run and the servers it starts
# (docs/testing.md "PIN hashes in tests"); tests/central/test_pin_hashes.py checks the
# real profile, and make bench measures with it.
os.environ.setdefault(CHEAP_PIN_HASHES, "1")

PG_URL = os.environ.get("KIOSK_TEST_PG_URL")
_WORKER_KEYRING: worker_keyring.PrivateKeyring | None = None


def pytest_configure(config: pytest.Config) -> None:
    """Under pytest-xdist, each worker gets its own D-Bus session and keyring
    (tests/worker_keyring.py), before any test opens the vault."""
    global _WORKER_KEYRING
    if worker_keyring.wanted():
        _WORKER_KEYRING = worker_keyring.start(os.environ["PYTEST_XDIST_WORKER"])


def pytest_unconfigure(config: pytest.Config) -> None:
    global _WORKER_KEYRING
    if _WORKER_KEYRING is not None:
        _WORKER_KEYRING.stop()
        _WORKER_KEYRING = None


DEVICE_THREADS = ("bill-acceptor", "nv200-simulator")


@pytest.fixture(autouse=True)
def _device_threads_stopped() -> Iterator[None]:
    """A test stops the bill acceptors and simulators it started, whatever its outcome (the
    kiosk's close, the fixtures' teardown). One left running fails that test by name: only
    threads started during the test count, so a leak is never blamed on the tests after it
    (CI's run of 05ac0ee: one failed cash e2e, then every later device test on its worker)."""
    before = {t for t in threading.enumerate() if t.name in DEVICE_THREADS}
    yield
    deadline = time.monotonic() + 2.0
    while left := [t.name for t in threading.enumerate()
                   if t.name in DEVICE_THREADS and t not in before]:
        if time.monotonic() > deadline:
            pytest.fail(f"device threads still running after the test: {left}")
        time.sleep(0.02)


@pytest.fixture
def private_keyring() -> Iterator[worker_keyring.PrivateKeyring]:
    """A keyring of the test's own (its bus, its daemon), for tests that restart, kill or
    lock it; this process points at it until the test ends."""
    if shutil.which("dbus-daemon") is None or shutil.which("gnome-keyring-daemon") is None:
        pytest.skip("dbus-daemon or gnome-keyring-daemon is not installed")
    keyring = worker_keyring.start("selftest")
    yield keyring
    keyring.stop()


@pytest.fixture(autouse=True)
def _worker_keyring_intact() -> Iterator[None]:
    """A test must leave the worker's keyring running and unlocked. If one did not, it fails
    by name, and the keyring is started again so the tests after it still meet the real
    thing instead of failing or skipping for a reason not theirs (tests/worker_keyring.py)."""
    yield
    if _WORKER_KEYRING is None:
        return
    try:
        _WORKER_KEYRING.check()
    except worker_keyring.KeyringBroken as broken:
        _WORKER_KEYRING.restart_daemon()
        pytest.fail(f"the worker's keyring was broken during this test: {broken}")

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
    """An empty database of each kind, migrated to head (a copy of the run's template); a
    test that also asks for ``seeded_url`` gets it as a copy of the seeded template, the same
    database under both names (one copy: on PostgreSQL a CREATE DATABASE is most of the
    fixture's cost)."""
    seeded = "seeded_url" in request.fixturenames
    if request.param == "sqlite":
        path = tmp_path / "central.sqlite3"
        shutil.copyfile(_templates.get("sqlite", seeded=seeded), path)
        yield f"sqlite:///{path}"
        return
    assert PG_URL
    url, name = _fresh_pg_database(PG_URL, _templates.get("postgresql", seeded=seeded))
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
def seeded_url(database_url: str) -> str:
    """``database_url`` with the demo data (facilities, plans, staff): ``database_url`` copies
    the run's seeded template when a test asks for this."""
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


@pytest.fixture(scope="session")
def rendered_tour(tmp_path_factory: pytest.TempPathFactory) -> tour_support.RenderedTour:
    """Every tour picture, rendered once per run (tests/tour_support.py)."""
    return tour_support.render(tmp_path_factory.mktemp("tour"))


@pytest.fixture(autouse=True)
def _earlier_widgets_deleted() -> None:
    """Delete what earlier tests closed. pytest-qt calls deleteLater() on a test's widgets,
    but nothing runs the event loop between tests, so every closed MainWindow (about 600
    widgets each) stayed alive for the rest of the worker's run, and each later style or
    font change paid for all of them: the high-contrast layout cases took 17 to 35 s after
    the other GUI tests and 3 s alone. A kiosk deletes its windows; the tests do too."""
    if "PySide6.QtCore" not in sys.modules:
        return  # no test in this process has used Qt yet
    from PySide6.QtCore import QCoreApplication, QEvent

    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


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


