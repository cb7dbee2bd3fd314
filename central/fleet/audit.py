"""The staff audit trail the kiosks send (``kiosk_audit_events``), read back by supervisors:
filtered by kiosk, staff member and time, newest first, a page at a time.

Pages are cut by a cursor on (occurred_at, id), not by an offset: events arrive late from
kiosks that were offline, and an offset would then shift every later page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from central.fleet.models import KioskAuditEvent
from central.fleet.schemas import AuditEventOut, AuditEventPage
from central.identity.models import Kiosk
from central.kernel.problems import ProblemError

# "<microseconds since 1970>-<event id>": opaque to clients, readable in a log.
CURSOR_PATTERN = r"^[0-9]{1,20}-[0-9a-f]{32}$"
_CURSOR = re.compile(CURSOR_PATTERN)


@dataclass(frozen=True)
class AuditFilter:
    facility_id: str | None = None  # a supervisor sees the kiosks of their facility only
    kiosk_id: str | None = None
    staff_id: str | None = None
    since: datetime | None = None  # occurred at or after
    until: datetime | None = None  # occurred before


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def _cursor(event: KioskAuditEvent) -> str:
    return f"{(event.occurred_at - _EPOCH) // _MICROSECOND}-{event.id}"


def _parse_cursor(cursor: str) -> tuple[datetime, str]:
    if not _CURSOR.match(cursor):
        raise _cursor_invalid()
    micros, _, event_id = cursor.partition("-")
    try:
        at = _EPOCH + int(micros) * _MICROSECOND
    except OverflowError:
        raise _cursor_invalid() from None
    return at, event_id


def _cursor_invalid() -> ProblemError:
    return ProblemError(422, "cursor_invalid", "This page cursor is not valid",
                        "Pass the `next` of an earlier page unchanged.", field="before")


def audit_events(session: Session, where: AuditFilter, limit: int,
                 before: str | None = None) -> AuditEventPage:
    """The newest ``limit`` events matching ``where``, older than the cursor ``before``."""
    query = select(KioskAuditEvent)
    if where.facility_id is not None:
        query = query.join(Kiosk, Kiosk.id == KioskAuditEvent.kiosk_id).where(
            Kiosk.facility_id == where.facility_id)
    if where.kiosk_id is not None:
        query = query.where(KioskAuditEvent.kiosk_id == where.kiosk_id)
    if where.staff_id is not None:
        query = query.where(KioskAuditEvent.staff_id == where.staff_id)
    if where.since is not None:
        query = query.where(KioskAuditEvent.occurred_at >= where.since)
    if where.until is not None:
        query = query.where(KioskAuditEvent.occurred_at < where.until)
    if before is not None:
        at, event_id = _parse_cursor(before)
        query = query.where(or_(
            KioskAuditEvent.occurred_at < at,
            and_(KioskAuditEvent.occurred_at == at, KioskAuditEvent.id < event_id),
        ))
    rows = list(session.execute(
        query.order_by(KioskAuditEvent.occurred_at.desc(), KioskAuditEvent.id.desc())
        .limit(limit + 1)
    ).scalars())
    page, more = rows[:limit], len(rows) > limit
    return AuditEventPage(
        events=[AuditEventOut.model_validate(e, from_attributes=True) for e in page],
        next=_cursor(page[-1]) if more else None,
    )
