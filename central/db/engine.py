"""Engines and transactions for SQLite (one machine) and PostgreSQL (a fleet)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

# Threads that serve requests (anyio's pool for FastAPI's sync routes; create_app sets it) and
# the connections they share: the pool holds one for every thread plus a few for the
# scheduler and the sandbox gateway, so no request thread ever waits for a connection.
DB_THREADS = 40
POOL_SIZE = DB_THREADS + 4
_READ_ONLY = "lobby_read_only"
# How long a writer waits its turn in this process: SQLite's own busy timeout (30 s). Past
# it the BEGIN goes to SQLite anyway, which waits once more and then says "database is
# locked", as it did before the queue.
WRITER_WAIT_SECONDS = 30.0
_HOLDS_WRITER = "lobby_holds_writer"


def make_engine(url: str) -> Engine:
    """An engine whose transactions are real on both databases.

    Python's sqlite3 driver skips BEGIN in its legacy mode, so for SQLite we take over
    transaction control and emit BEGIN IMMEDIATE: writers queue on the lock instead of
    failing half-way with "database is locked". A read transaction (``Database.read``) emits a
    plain BEGIN instead: in WAL mode readers never wait on the writer, nor it on them.

    The writers of one process queue on a lock of the engine before their BEGIN IMMEDIATE
    (docs/performance.md, "One writer at a time"): SQLite's busy handler polls, sleeping up
    to 100 ms between tries, so under load the write lock sat free while 40 request threads
    slept. The queue hands it on at once; the lock is given back when the connection returns
    to the pool, after its COMMIT or ROLLBACK. Other processes (the CLI's renewals) still
    meet SQLite's busy timeout.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        on_disk = parsed.database not in (None, "", ":memory:")
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            future=True,
            **({"pool_size": POOL_SIZE, "max_overflow": 0} if on_disk else {}),
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            if on_disk:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        writers = threading.Lock()

        @event.listens_for(engine, "begin")
        def _on_begin(connection: Any) -> None:
            read_only = connection.get_execution_options().get(_READ_ONLY, False)
            if not read_only and on_disk:
                info = connection.connection.info
                if not info.get(_HOLDS_WRITER) and writers.acquire(timeout=WRITER_WAIT_SECONDS):
                    info[_HOLDS_WRITER] = True
            connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

        @event.listens_for(engine, "checkin")
        @event.listens_for(engine, "invalidate")
        @event.listens_for(engine, "detach")
        def _on_return(_dbapi_connection: Any, record: Any, *_: Any) -> None:
            if record is not None and record.info.pop(_HOLDS_WRITER, False):
                writers.release()

        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(parsed, pool_pre_ping=True, future=True,
                         pool_size=POOL_SIZE, max_overflow=0)


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


class Database:
    """The engine plus a session factory; one per app."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._readers = sessionmaker(self.engine.execution_options(**{_READ_ONLY: True}),
                                     expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A unit of work: commits when the block ends normally, rolls back otherwise."""
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A transaction that only reads: on SQLite it does not take the write lock, so
        readers run beside a writer. Nothing is committed: closing the session rolls back
        whatever it changed, and the objects it loaded stay readable."""
        with self._readers() as session:
            yield session

    def session(self) -> Session:
        return self._sessions()

    def dispose(self) -> None:
        self.engine.dispose()


def insert_ignoring_conflict(session: Session, table: Any, values: dict[str, Any]) -> None:
    """INSERT a row unless one with the same key is there: on both databases a concurrent
    insert of the same key then waits or does nothing, instead of failing the transaction."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        session.execute(pg_insert(table).values(**values).on_conflict_do_nothing())
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        session.execute(sqlite_insert(table).values(**values).on_conflict_do_nothing())
