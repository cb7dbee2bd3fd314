"""Request and response bodies of the fleet routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from central.fleet.models import AcceptorState, KeyringState, PrinterState
from central.kernel.fields import (
    JSON_INTEGER,
    STRICT,
    Identifier,
    JsonBool,
    JsonText,
    Line,
    Strict,
    Timestamp,
)

Count = Annotated[int, STRICT, Field(ge=0, le=10**9), JSON_INTEGER]


class HeartbeatIn(Strict):
    """What a kiosk says about itself every minute or so."""

    # A release name in ASCII ("1.4.2+b7"): `\w` is not the same class in the regular
    # expressions of the document's readers and of the server.
    version: Annotated[str, StringConstraints(min_length=1, max_length=40,
                                              pattern=r"^[A-Za-z0-9_.+-]+$")]
    uptime_seconds: Count
    outbox_depth: Count
    last_sync_at: Timestamp | None = None
    printer: PrinterState
    keyring: KeyringState
    # Left out by kiosks older than the note acceptor: as "none".
    acceptor: AcceptorState = Field(
        AcceptorState.NONE, description="The note acceptor: ready, or the alert staff must "
        "see (offline, jammed, full, taken_back); none when there is no acceptor")


class HeartbeatOut(BaseModel):
    """The server's answer: whether this kiosk may serve families."""

    in_service: bool
    out_of_service_reason: str | None
    server_time: datetime


class FleetKioskOut(BaseModel):
    id: str
    name: str
    facility_id: str
    enrolled_at: datetime
    reported_at: datetime | None
    quiet: bool  # no heartbeat for longer than the fleet's quiet limit
    version: str | None
    uptime_seconds: int | None
    outbox_depth: int | None
    last_sync_at: datetime | None
    printer: PrinterState | None
    keyring: KeyringState | None
    acceptor: AcceptorState | None
    in_service: bool
    out_of_service_reason: str | None
    service_changed_at: datetime | None
    service_changed_by: str | None


class ServiceIn(Strict):
    """Switch a kiosk out of service (it shows a notice instead of the journeys) or back,
    always saying why: staff and the next shift read it."""

    in_service: JsonBool
    reason: Line


class AuditEventIn(Strict):
    """One staff action from the kiosk's local audit trail; ``detail`` is the kiosk's JSON
    text (never a PIN)."""

    event: Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,64}$")]
    staff_id: Identifier
    detail: JsonText = ""
    occurred_at: Timestamp


class AuditEventOut(BaseModel):
    id: str
    kiosk_id: str
    staff_id: str
    event: str
    detail: str
    occurred_at: datetime
    received_at: datetime


class AuditEventPage(BaseModel):
    """One page of the audit trail, newest first; ``next`` is the ``before`` of the page
    after it (None on the last page)."""

    events: list[AuditEventOut]
    next: str | None
