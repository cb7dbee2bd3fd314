"""Heartbeats in, the fleet list out, the out-of-service switch, and the staff actions
kiosks report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from central.fleet.models import KioskAuditEvent, KioskStatus
from central.fleet.schemas import (
    AuditEventIn,
    AuditEventOut,
    FleetKioskOut,
    HeartbeatIn,
    HeartbeatOut,
)
from central.identity.models import ClientRole, Kiosk
from central.kernel.idempotency import StoredResponse, fingerprint
from central.kernel.ports import Replayable, UnitOfWork
from central.kernel.problems import ProblemError

# A kiosk beats every minute; three missed beats and staff should go and look.
QUIET_AFTER = timedelta(minutes=3)


@dataclass(frozen=True)
class ServiceState:
    in_service: bool
    reason: str | None


def _status(session: Session, kiosk_id: str) -> KioskStatus:
    status = session.get(KioskStatus, kiosk_id)
    if status is None:
        status = KioskStatus(kiosk_id=kiosk_id, in_service=True)
        session.add(status)
    return status


def record_heartbeat(
    session: Session, kiosk_id: str, report: HeartbeatIn, now: datetime
) -> ServiceState:
    status = _status(session, kiosk_id)
    status.reported_at = now
    status.version = report.version
    status.uptime_seconds = report.uptime_seconds
    status.outbox_depth = report.outbox_depth
    status.last_sync_at = report.last_sync_at
    status.printer = report.printer
    status.keyring = report.keyring
    status.acceptor = report.acceptor
    return ServiceState(status.in_service, None if status.in_service else status.service_reason)


def set_service(
    session: Session, kiosk_id: str, *, in_service: bool, reason: str, staff_id: str,
    facility_id: str, now: datetime,
) -> None:
    """Staff switch only their own facility's kiosks; another facility's look absent."""
    kiosk = session.get(Kiosk, kiosk_id)
    if kiosk is None or kiosk.role is not ClientRole.KIOSK or kiosk.facility_id != facility_id:
        raise ProblemError(404, "kiosk_unknown", "No such kiosk", f"Kiosk {kiosk_id!r}")
    status = _status(session, kiosk_id)
    status.in_service = in_service
    status.service_reason = reason
    status.service_changed_at = now
    status.service_changed_by = staff_id


def fleet(session: Session, now: datetime, facility_id: str | None = None) -> list[FleetKioskOut]:
    """Every lobby kiosk (of one facility when given), quiet ones first."""
    query = (
        select(Kiosk, KioskStatus)
        .outerjoin(KioskStatus, KioskStatus.kiosk_id == Kiosk.id)
        .where(Kiosk.role == ClientRole.KIOSK)
        .order_by(Kiosk.facility_id, Kiosk.name)
    )
    if facility_id is not None:
        query = query.where(Kiosk.facility_id == facility_id)
    entries = []
    for kiosk, status in session.execute(query).all():
        reported = status.reported_at if status else None
        entries.append(FleetKioskOut(
            id=kiosk.id, name=kiosk.name, facility_id=kiosk.facility_id,
            enrolled_at=kiosk.enrolled_at, reported_at=reported,
            quiet=reported is None or now - reported > QUIET_AFTER,
            version=status.version if status else None,
            uptime_seconds=status.uptime_seconds if status else None,
            outbox_depth=status.outbox_depth if status else None,
            last_sync_at=status.last_sync_at if status else None,
            printer=status.printer if status else None,
            keyring=status.keyring if status else None,
            acceptor=status.acceptor if status else None,
            in_service=status.in_service if status else True,
            out_of_service_reason=(status.service_reason
                                   if status and not status.in_service else None),
            service_changed_at=status.service_changed_at if status else None,
            service_changed_by=status.service_changed_by if status else None,
        ))
    entries.sort(key=lambda entry: not entry.quiet)
    return entries


class Ports(Replayable, Protocol):
    """What recording a staff action needs: the unit of work, the clock and the
    Idempotency-Key store."""


@dataclass(frozen=True)
class RecordStaffAction:
    event: AuditEventIn
    kiosk_id: str
    idempotency_key: str


def record_staff_action(command: RecordStaffAction, ports: Ports) -> StoredResponse:
    """A staff action a kiosk recorded in staff mode (201); a retry with the same key
    records it once."""
    body = command.event

    def work(session: Session) -> tuple[int, dict[str, Any]]:
        event = KioskAuditEvent(kiosk_id=command.kiosk_id, staff_id=body.staff_id,
                                event=body.event, detail=body.detail,
                                occurred_at=body.occurred_at, received_at=ports.clock.now())
        session.add(event)
        session.flush()
        return 201, AuditEventOut.model_validate(event, from_attributes=True).model_dump(
            mode="json")

    return ports.idempotency.run(
        f"kiosk:{command.kiosk_id}", command.idempotency_key,
        fingerprint("POST /v1/kiosks/audit-events", body.model_dump(mode="json")), work,
    )


@dataclass(frozen=True)
class Heartbeat:
    kiosk_id: str
    report: HeartbeatIn


def heartbeat(command: Heartbeat, ports: UnitOfWork) -> HeartbeatOut:
    """Record the kiosk's report; the answer says whether it may serve families."""
    now = ports.clock.now()
    with ports.db.transaction() as session:
        state = record_heartbeat(session, command.kiosk_id, command.report, now)
    return HeartbeatOut(in_service=state.in_service, out_of_service_reason=state.reason,
                        server_time=now)


@dataclass(frozen=True)
class SwitchService:
    kiosk_id: str
    in_service: bool
    reason: str
    staff_id: str
    facility_id: str  # the supervisor's: another facility's kiosk is 404


def switch_service(command: SwitchService, ports: UnitOfWork) -> list[FleetKioskOut]:
    """Take a kiosk out of service or back; answers its fleet entry."""
    now = ports.clock.now()
    with ports.db.transaction() as session:
        set_service(session, command.kiosk_id, in_service=command.in_service,
                    reason=command.reason, staff_id=command.staff_id,
                    facility_id=command.facility_id, now=now)
    with ports.db.transaction() as session:
        return [entry for entry in fleet(session, now, command.facility_id)
                if entry.id == command.kiosk_id]
