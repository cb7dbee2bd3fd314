"""Idempotency-Key handling: a retried POST gets the first answer and never repeats the effect.

With no step outside the database (:meth:`Idempotency.run`), the claim, the effect and the
stored response are one transaction: a concurrent duplicate waits for it (SQLite's write
lock; on PostgreSQL the key's unique index) and then replays the answer, or gets 409 when
the other is still running. With a step outside (:meth:`Idempotency.run_staged`, a call to
the payment gateway) the key is claimed in its own short transaction first, so a concurrent
duplicate sees it and gets 409, then the effect and the stored response commit together.

A record whose request created something (``keep``: an account, a subscription, a deposit)
answers with it for as long as it exists, which for these is forever (ended subscriptions
and removed cards stay as rows): replaying the key can never run the request a second
time. Other records are purged after ``KEEP_FOR`` by :func:`purge_expired`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from sqlalchemy import Boolean, Integer, String, Text, delete, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from central.db.base import Base, utc_time
from central.db.engine import Database
from central.kernel.clock import Clock
from central.kernel.problems import ProblemError

SCOPE_LENGTH = 64


def stored_scope(scope: str) -> str:
    """The scope as the key store keeps it: as given when it fits the column, else its first
    characters and a digest of the whole (a scope built from a long path id, say), so that
    no caller can make the store fail, and one scope always maps to one stored value."""
    if len(scope) <= SCOPE_LENGTH:
        return scope
    digest = hashlib.sha256(scope.encode()).hexdigest()[:32]
    return f"{scope[:SCOPE_LENGTH - 33]}~{digest}"

KEEP_FOR = timedelta(hours=24)
IN_FLIGHT_TAKEOVER = timedelta(seconds=60)
KEY_MAX = 200

Prepared = TypeVar("Prepared")


class IdempotencyRecord(Base):
    """The first response to a creating or money-moving POST, replayed on retries."""

    __tablename__ = "idempotency_records"

    scope: Mapped[str] = mapped_column(String(SCOPE_LENGTH), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[utc_time]
    completed: Mapped[bool] = mapped_column(Boolean, default=False)
    # The request created a resource: the record answers with it and is never purged.
    keep: Mapped[bool] = mapped_column(Boolean, default=False)
    status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    response_body: Mapped[str | None] = mapped_column(Text, nullable=True)


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: dict[str, Any]
    replayed: bool = False


def fingerprint(route: str, payload: Any) -> str:
    canonical = json.dumps({"route": route, "payload": payload}, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > KEY_MAX or not (key.isascii() and key.isprintable()):
        raise ProblemError(
            422,
            "invalid_idempotency_key",
            "The Idempotency-Key header is not valid",
            f"Use 1 to {KEY_MAX} printable ASCII characters, unique per operation.",
            field="Idempotency-Key",
        )
    return key


class Idempotency:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def run(
        self,
        scope: str,
        key: str,
        request_hash: str,
        work: Callable[[Session], tuple[int, dict[str, Any]]],
        *, keep: bool = False,
    ) -> StoredResponse:
        """Claim the key, do ``work`` and store its answer in one write transaction (on
        the hot path of ``POST /v1/calls/authorize``, one BEGIN and COMMIT where there were
        two: docs/performance.md). An error anywhere rolls all of it back, the claim
        included, so a corrected retry may use the key."""
        key = check_key(key)
        scope = stored_scope(scope)
        with self._db.transaction() as session:
            replay = self._claim_in(session, scope, key, request_hash)
            if replay is not None:
                return replay
            status, body = work(session)
            self._complete(session, scope, key, status, body, keep)
        return StoredResponse(status, body)

    def run_staged(
        self,
        scope: str,
        key: str,
        request_hash: str,
        outside: Callable[[], Prepared],
        work: Callable[[Session, Prepared], tuple[int, dict[str, Any]]],
        *, keep: bool = False,
    ) -> StoredResponse:
        """Like :meth:`run`, with a first step that holds no database transaction.

        ``outside`` runs after the key is claimed and before the write transaction: it is
        where a call to another system goes (the payment gateway, which must be idempotent
        by a key derived from this one). Holding a transaction across it would keep
        SQLite's write lock while we wait on the network. Its result is handed to ``work``,
        whose effect commits together with the stored response. ``keep``: a successful
        answer created a resource, so the record is kept as long as it (see the module).
        """
        key = check_key(key)
        scope = stored_scope(scope)
        replay = self._claim(scope, key, request_hash)
        if replay is not None:
            return replay
        try:
            prepared = outside()
            with self._db.transaction() as session:
                status, body = work(session, prepared)
                self._complete(session, scope, key, status, body, keep)
            return StoredResponse(status, body)
        except BaseException:
            # The effect rolled back; free the key so a corrected retry can use it.
            with self._db.transaction() as session:
                session.execute(
                    delete(IdempotencyRecord).where(
                        IdempotencyRecord.scope == scope,
                        IdempotencyRecord.key == key,
                        IdempotencyRecord.completed.is_(False),
                    )
                )
            raise

    @staticmethod
    def _complete(session: Session, scope: str, key: str, status: int, body: dict[str, Any],
                  keep: bool) -> None:
        # One UPDATE of the claimed row, not a read of it and then the write: the claim's
        # object is gone from the session by now (its identity map holds objects weakly), and
        # on the authorization's path every statement is time other writers wait
        # (docs/performance.md, "Fewer trips to a worker thread").
        done = session.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.scope == scope, IdempotencyRecord.key == key)
            .values(completed=True, keep=keep and status < 300, status_code=status,
                    response_body=json.dumps(body, default=str))
        )
        if not isinstance(done, CursorResult) or done.rowcount != 1:  # pragma: no cover
            raise RuntimeError("idempotency claim vanished")  # claimed above, in this process

    def _claim(self, scope: str, key: str, request_hash: str) -> StoredResponse | None:
        with self._db.transaction() as session:
            return self._claim_in(session, scope, key, request_hash)

    def _claim_in(self, session: Session, scope: str, key: str, request_hash: str
                  ) -> StoredResponse | None:
        """In ``session``: the stored answer to replay, or None with the key claimed (the
        claim is flushed, so a concurrent claim of the same key fails here, as 409)."""
        now = self._clock.now()
        record = session.execute(
            select(IdempotencyRecord).where(
                IdempotencyRecord.scope == scope, IdempotencyRecord.key == key
            )
        ).scalar_one_or_none()
        if (record is not None and not record.keep
                and now - record.created_at > KEEP_FOR):
            session.delete(record)
            session.flush()
            record = None
        if record is None:
            session.add(
                IdempotencyRecord(
                    scope=scope, key=key, request_hash=request_hash, created_at=now
                )
            )
            try:
                session.flush()
            except IntegrityError:
                raise _in_flight() from None
            return None
        if record.request_hash != request_hash:
            raise ProblemError(
                422,
                "idempotency_key_reused",
                "This Idempotency-Key was already used for a different request",
                "Use a new key for a new operation.",
                field="Idempotency-Key",
            )
        if record.completed and record.status_code is not None:
            return StoredResponse(
                record.status_code, json.loads(record.response_body or "{}"), True
            )
        if now - record.created_at < IN_FLIGHT_TAKEOVER:
            raise _in_flight()
        record.created_at = now  # abandoned by a crashed worker: take it over
        return None


def _in_flight() -> ProblemError:
    return ProblemError(
        409,
        "request_in_flight",
        "A request with this Idempotency-Key is still being processed",
        "Retry in a few seconds.",
        headers={"Retry-After": "2"},
    )


def purge_expired(db: Database, clock: Clock) -> int:
    """Delete records older than ``KEEP_FOR`` except those that keep answering for what
    their request created; the scheduler calls this every round. Returns how many went."""
    with db.transaction() as session:
        result = session.execute(
            delete(IdempotencyRecord).where(
                IdempotencyRecord.keep.is_(False),
                IdempotencyRecord.created_at < clock.now() - KEEP_FOR,
            )
        )
        return int(result.rowcount) if isinstance(result, CursorResult) else 0
