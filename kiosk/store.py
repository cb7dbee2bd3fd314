"""The kiosk's local SQLite database: sign-ups waiting to be sent (the outbox), the catalog
cache and an audit trail. No secret is ever stored here: the outbox names a vault entry."""

from __future__ import annotations

import enum
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    String,
    Text,
    TypeDecorator,
    create_engine,
    event,
    select,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from kiosk.clock import Clock


class _UTC(TypeDecorator[datetime]):
    impl = DateTime()
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


# What an outbox row asks the server to do.
CREATE_ACCOUNT = "create_account"
REPORT_CONFLICT = "report_sign_up_conflict"
RECORD_AUDIT_EVENT = "record_audit_event"  # a staff action, for the server's audit trail
LINK_RESIDENT = "link_resident"  # a signed-in family's new loved one, confirmed with the PIN
REPORT_LINK_CONFLICT = "report_link_conflict"  # a queued link the server refused
# The vault entries of queued links' PINs (a sign-up's PIN is under "pin").
LINK_PIN_PREFIX = "link-pin"
# The sign-up fields a conflict report carries (no address, no resident, never the PIN).
_REPORTED_FIELDS = ("first_name", "phone", "email", "language")
# What a refused link's report carries: whose account, which loved one, never the PIN.
_REPORTED_LINK_FIELDS = ("account_id", "phone", "facility_id", "resident_name")


class LocalBase(DeclarativeBase):
    type_annotation_map = {datetime: _UTC()}  # noqa: RUF012


# The most of a server's problem title or detail kept with a closed outbox entry.
PROBLEM_TEXT_MAX = 300


class OutboxState(enum.StrEnum):
    PENDING = "pending"  # not yet accepted by the server; sent again when due
    SENT = "sent"  # the server answered with success
    CONFLICT = "conflict"  # the server holds something that clashes (a registered phone)
    FAILED = "failed"  # the server said no for good (bad data, a PIN lost in a restart)
    DISCARDED = "discarded"  # staff closed a failed or conflicting entry, with a reason

    @property
    def final(self) -> bool:
        return self is not OutboxState.PENDING


class OutboxEntry(LocalBase):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime]
    operation: Mapped[str] = mapped_column(String(40))
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    payload: Mapped[str] = mapped_column(Text)
    secret_ref: Mapped[str | None] = mapped_column(String(120), nullable=True)
    state: Mapped[str] = mapped_column(String(16), default=OutboxState.PENDING.value, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # Not before this time (backoff after a transient failure); None: as soon as possible.
    next_attempt_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # The server's final answer, as JSON: the created resource's id, or its problem code.
    response: Mapped[str | None] = mapped_column(Text, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(nullable=True)


class LocalRegistration(LocalBase):
    """What this kiosk knows of a sign-up it took, for staff and for the family's receipt."""

    __tablename__ = "registrations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime]
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox.id"), unique=True)
    phone: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(16))
    account_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    error_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    error_field: Mapped[str | None] = mapped_column(String(64), nullable=True)


class CatalogEntry(LocalBase):
    """Last good answers from the central API (facility list), for offline use."""

    __tablename__ = "catalog"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    fetched_at: Mapped[datetime]
    body: Mapped[str] = mapped_column(Text)


class AuditEvent(LocalBase):
    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    event: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="")


def _conflict_report(entry: OutboxEntry, reason: str, now: datetime) -> OutboxEntry:
    """The outbox row that reports a refused sign-up, keyed by the sign-up's own key."""
    sign_up = json.loads(entry.payload)
    report = {name: sign_up[name] for name in _REPORTED_FIELDS if name in sign_up}
    report |= {"reason": reason, "signed_up_at": entry.created_at.isoformat()}
    return OutboxEntry(created_at=now, operation=REPORT_CONFLICT,
                       idempotency_key=f"conflict:{entry.idempotency_key}"[:80],
                       payload=json.dumps(report))


def _link_conflict_report(entry: OutboxEntry, reason: str, now: datetime) -> OutboxEntry:
    """The outbox row that reports a refused link, so the server writes to the family."""
    link = json.loads(entry.payload)
    report = {name: link[name] for name in _REPORTED_LINK_FIELDS if name in link}
    report |= {"reason": reason, "requested_at": entry.created_at.isoformat()}
    return OutboxEntry(created_at=now, operation=REPORT_LINK_CONFLICT,
                       idempotency_key=f"conflict:{entry.idempotency_key}"[:80],
                       payload=json.dumps(report))


def _add_staff_audit(session: Session, now: datetime, event_name: str, staff_id: str,
                     detail: dict[str, object]) -> None:
    text = json.dumps({"staff_id": staff_id, **detail}, sort_keys=True)
    session.add(AuditEvent(at=now, event=event_name, detail=text))
    session.add(OutboxEntry(
        created_at=now, operation=RECORD_AUDIT_EVENT,
        idempotency_key=f"audit:{uuid.uuid4()}",
        payload=json.dumps({"event": event_name, "staff_id": staff_id, "detail": text,
                            "occurred_at": now.isoformat()})))


def _engine(path: Path) -> Engine:
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False,
                                                              "timeout": 30})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")  # a sign-up must survive a power cut
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _add_missing_columns(engine: Engine) -> None:
    """Upgrade a database made by an older kiosk: add the nullable columns it lacks (a
    kiosk keeps its outbox across updates, so its tables are never dropped)."""
    with engine.begin() as connection:
        for table in LocalBase.metadata.sorted_tables:
            present = {
                row[1] for row in connection.exec_driver_sql(f"PRAGMA table_info({table.name})")
            }
            for column in table.columns:
                if column.name not in present and column.nullable:
                    kind = column.type.compile(dialect=engine.dialect)
                    connection.exec_driver_sql(
                        f"ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}"
                    )


class LocalStore:
    def __init__(self, path: Path, clock: Clock) -> None:
        self.path = path
        self.clock = clock
        self.engine = _engine(path)
        LocalBase.metadata.create_all(self.engine)
        _add_missing_columns(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()

    # -- outbox ----------------------------------------------------------------------------

    def queue_registration(
        self, payload: dict[str, Any], secret_ref: str, idempotency_key: str
    ) -> int:
        """Record a sign-up and its outbox entry in one transaction; returns the outbox id."""
        now = self.clock.now()
        with self.transaction() as session:
            entry = OutboxEntry(
                created_at=now,
                operation=CREATE_ACCOUNT,
                idempotency_key=idempotency_key,
                payload=json.dumps(payload),
                secret_ref=secret_ref,
            )
            session.add(entry)
            session.flush()
            session.add(
                LocalRegistration(
                    created_at=now, outbox_id=entry.id, phone=str(payload["phone"]),
                    status=OutboxState.PENDING.value,
                )
            )
            session.add(AuditEvent(at=now, event="registration_queued",
                                   detail=f"outbox {entry.id}"))
            return entry.id

    def queue_link(
        self, payload: dict[str, Any], secret_ref: str, idempotency_key: str
    ) -> int:
        """Record a loved one a signed-in family asked to add while the server could not be
        reached, and its outbox entry, in one transaction; returns the outbox id. The PIN
        that will sign them in is in the vault under ``secret_ref``, never in the payload."""
        now = self.clock.now()
        with self.transaction() as session:
            entry = OutboxEntry(
                created_at=now,
                operation=LINK_RESIDENT,
                idempotency_key=idempotency_key,
                payload=json.dumps(payload),
                secret_ref=secret_ref,
            )
            session.add(entry)
            session.flush()
            session.add(AuditEvent(at=now, event="link_queued", detail=f"outbox {entry.id}"))
            return entry.id

    def waiting_links(self, account_id: str) -> list[str]:
        """The names of the loved ones still queued for ``account_id``, oldest first."""
        waiting = [entry for entry in self.pending() if entry.operation == LINK_RESIDENT]
        links = [json.loads(entry.payload) for entry in waiting]
        return [str(link["resident_name"]) for link in links
                if link.get("account_id") == account_id]

    def pending(self) -> list[OutboxEntry]:
        with self.transaction() as session:
            return list(
                session.execute(
                    select(OutboxEntry)
                    .where(OutboxEntry.state == OutboxState.PENDING.value)
                    .order_by(OutboxEntry.id)
                ).scalars()
            )

    def secret_refs(self) -> set[str]:
        """Every vault entry an outbox row still needs."""
        with self.transaction() as session:
            refs = session.execute(
                select(OutboxEntry.secret_ref).where(OutboxEntry.secret_ref.is_not(None))
            ).scalars()
            return {ref for ref in refs if ref is not None}

    def entry(self, outbox_id: int) -> OutboxEntry | None:
        with self.transaction() as session:
            return session.get(OutboxEntry, outbox_id)

    def note_attempt(
        self, outbox_id: int, error: str, retry_at: datetime | None = None
    ) -> None:
        """Count a failed try; the entry stays pending and is not due before ``retry_at``."""
        with self.transaction() as session:
            entry = session.get(OutboxEntry, outbox_id)
            if entry is not None:
                entry.attempts += 1
                entry.last_error = error[:200]
                entry.next_attempt_at = retry_at

    def finish(
        self,
        outbox_id: int,
        state: OutboxState,
        *,
        account_id: str | None = None,
        error_code: str | None = None,
        error_field: str | None = None,
        problem_title: str = "",
        problem_detail: str = "",
    ) -> None:
        """Close an entry with the server's answer (for a "no", its problem's code, field,
        title and detail, which staff read on the outbox screen). Personal data in the
        payload is dropped once it is no longer needed."""
        now = self.clock.now()
        answer = {"account_id": account_id} if account_id else {
            "code": error_code, "field": error_field or "",
            "title": problem_title[:PROBLEM_TEXT_MAX],
            "detail": problem_detail[:PROBLEM_TEXT_MAX]}
        with self.transaction() as session:
            entry = session.get(OutboxEntry, outbox_id)
            if entry is None:
                return
            if state is OutboxState.CONFLICT and entry.operation == CREATE_ACCOUNT:
                # In the same transaction: the conflict is reported to the server, which
                # writes to the family and lists it for staff. Only what that needs is kept.
                session.add(_conflict_report(entry, error_code or "", now))
            elif state is OutboxState.CONFLICT and entry.operation == LINK_RESIDENT:
                session.add(_link_conflict_report(entry, error_code or "", now))
            entry.state = state.value
            entry.finished_at = now
            entry.payload = "{}"
            entry.secret_ref = None
            entry.response = json.dumps(answer)
            entry.next_attempt_at = None
            entry.attempts += 1
            registration = session.execute(
                select(LocalRegistration).where(LocalRegistration.outbox_id == outbox_id)
            ).scalar_one_or_none()
            if registration is not None:
                registration.status = state.value
                registration.account_id = account_id
                registration.error_code = error_code
                registration.error_field = error_field
            session.add(AuditEvent(at=now, event=f"outbox_{state.value}",
                                   detail=f"outbox {outbox_id} {error_code or ''}".strip()))

    def registration_for(self, outbox_id: int) -> LocalRegistration | None:
        with self.transaction() as session:
            return session.execute(
                select(LocalRegistration).where(LocalRegistration.outbox_id == outbox_id)
            ).scalar_one_or_none()

    # -- catalog cache ---------------------------------------------------------------------

    def save_catalog(self, name: str, body: Any) -> None:
        with self.transaction() as session:
            session.merge(CatalogEntry(name=name, fetched_at=self.clock.now(),
                                       body=json.dumps(body)))

    def load_catalog(self, name: str) -> Any | None:
        with self.transaction() as session:
            entry = session.get(CatalogEntry, name)
            return None if entry is None else json.loads(entry.body)

    def catalog_fetched_at(self, name: str) -> datetime | None:
        with self.transaction() as session:
            entry = session.get(CatalogEntry, name)
            return None if entry is None else entry.fetched_at

    def audit(self, event_name: str, detail: str = "") -> None:
        with self.transaction() as session:
            session.add(AuditEvent(at=self.clock.now(), event=event_name, detail=detail))

    # -- staff -----------------------------------------------------------------------------

    def outbox_rows(self, limit: int = 50) -> list[OutboxEntry]:
        """The newest outbox entries, for staff (the screen shows no payload); staff actions
        already delivered to the server are left out, or they would fill the list."""
        delivered_audit = (OutboxEntry.operation == RECORD_AUDIT_EVENT) & (
            OutboxEntry.state == OutboxState.SENT.value)
        with self.transaction() as session:
            return list(session.execute(
                select(OutboxEntry).where(~delivered_audit)
                .order_by(OutboxEntry.id.desc()).limit(limit)).scalars())

    def discard(self, outbox_id: int, reason: str, staff_id: str) -> bool:
        """Close a failed or conflicting entry for good, with who did it and why, in one
        transaction; False when the entry is not one that may be discarded."""
        now = self.clock.now()
        with self.transaction() as session:
            entry = session.get(OutboxEntry, outbox_id)
            if entry is None or entry.state not in (OutboxState.FAILED.value,
                                                    OutboxState.CONFLICT.value):
                return False
            entry.state = OutboxState.DISCARDED.value
            entry.payload = "{}"
            entry.secret_ref = None
            _add_staff_audit(session, now, "outbox_discarded", staff_id,
                             {"outbox_id": outbox_id, "reason": reason})
            return True

    def staff_audit(self, event_name: str, staff_id: str, **detail: object) -> None:
        """Record a staff action with the staff member's id, and queue it for the server in
        the same transaction (docs/staff-mode.md, "Audit trail")."""
        with self.transaction() as session:
            _add_staff_audit(session, self.clock.now(), event_name, staff_id, detail)

    def audit_events(self) -> list[AuditEvent]:
        with self.transaction() as session:
            return list(session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars())
