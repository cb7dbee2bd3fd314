"""Credentials of API clients: one-time enrollment codes for new kiosks, and the token of a
facility's call platform (both shown once, stored hashed), their revocation, and the two
steps of a kiosk's enrollment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from central.db.base import new_id
from central.db.engine import Database
from central.identity.models import ClientRole, EnrollmentCode, Kiosk
from central.identity.schemas import EnrollConfirmOut, EnrollOut
from central.identity.security import digest, new_enrollment_code, new_token, token_digest
from central.kernel.clock import Clock, DemoClock
from central.kernel.facilities import Facility
from central.kernel.ports import UnitOfWork
from central.kernel.problems import ProblemError

CODE_LIFETIME = timedelta(hours=24)


def issue_enrollment_code(db: Database, clock: Clock, facility_id: str) -> str:
    """Create a one-time code for a new kiosk at ``facility_id``; only its hash is stored."""
    code = new_enrollment_code()
    now = clock.now()
    with db.transaction() as session:
        if session.get(Facility, facility_id) is None:
            raise LookupError(f"no facility {facility_id!r}")
        session.add(
            EnrollmentCode(
                code_hash=digest(code),
                facility_id=facility_id,
                created_at=now,
                expires_at=now + CODE_LIFETIME,
            )
        )
    return code


def issue_call_platform_token(db: Database, clock: Clock, facility_id: str, name: str) -> str:
    """Create the credential of a facility's call platform and return its token (shown once,
    stored hashed). Only such a token may authorize and rate calls."""
    token = new_token()
    with db.transaction() as session:
        if session.get(Facility, facility_id) is None:
            raise LookupError(f"no facility {facility_id!r}")
        session.add(Kiosk(facility_id=facility_id, name=name, role=ClientRole.CALL_PLATFORM,
                          token_hash=token_digest(token), enrolled_at=clock.now(),
                          confirmed_at=clock.now()))
    return token


@dataclass(frozen=True)
class RevokedClient:
    id: str
    name: str
    role: ClientRole
    facility_id: str
    revoked_at: datetime


def revoke_client(
    db: Database, clock: Clock, client_id: str | None = None, token: str | None = None
) -> RevokedClient:
    """Revoke a kiosk's or call platform's token, named by its client id or by the token
    itself; from now on every request with it is 401. Revoking twice keeps the first time.
    Raises LookupError when no client matches."""
    if (client_id is None) == (token is None):
        raise ValueError("name the client by its id or by its token, not both")
    with db.transaction() as session:
        query = select(Kiosk).with_for_update()
        query = (query.where(Kiosk.id == client_id) if client_id is not None
                 else query.where(Kiosk.token_hash == token_digest(str(token).strip())))
        client = session.execute(query).scalar_one_or_none()
        if client is None:
            raise LookupError("no kiosk or call platform has this id or token")
        if client.revoked_at is None:
            client.revoked_at = clock.now()
        return RevokedClient(client.id, client.name, client.role, client.facility_id,
                             client.revoked_at)


# --- enrollment (the routes' handlers) ------------------------------------------------------


def code_invalid() -> ProblemError:
    return ProblemError(
        401,
        "enrollment_code_invalid",
        "This enrollment code is not valid",
        "Codes work once and expire after 24 hours; ask for a new one.",
        field="code",
    )


@dataclass(frozen=True)
class EnrolledKiosk:
    kiosk_id: str
    facility_id: str
    token: str  # shown once; only its digest is stored


def enroll_kiosk(session: Session, code: str, name: str, now: datetime, code_now: datetime
                 ) -> EnrolledKiosk:
    """Trade a one-time code for a kiosk token (checked against ``code_now``, the clock the
    code was issued on). The token works once the kiosk confirms it stored it; the code is
    spent only then. 401 ``enrollment_code_invalid`` for a spent, expired or unknown code."""
    code_hash = digest(code)
    kiosk_id = new_id()
    previous = session.execute(
        select(EnrollmentCode.pending_kiosk_id).where(EnrollmentCode.code_hash == code_hash)
    ).scalar_one_or_none()
    # Take the code for this kiosk with a conditional update: of two kiosks enrolling at
    # once, one wins, and a spent or expired code matches nothing.
    taken = session.execute(
        update(EnrollmentCode)
        .where(
            EnrollmentCode.code_hash == code_hash,
            EnrollmentCode.used_at.is_(None),
            EnrollmentCode.expires_at > code_now,
            EnrollmentCode.pending_kiosk_id.is_(None) if previous is None
            else EnrollmentCode.pending_kiosk_id == previous,
        )
        .values(pending_kiosk_id=kiosk_id)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise code_invalid()
    if previous is not None:
        # That kiosk never confirmed, so it does not hold its token: retire the token.
        session.execute(
            update(Kiosk)
            .where(Kiosk.id == previous, Kiosk.confirmed_at.is_(None),
                   Kiosk.revoked_at.is_(None))
            .values(revoked_at=now)
        )
    facility_id = session.execute(
        select(EnrollmentCode.facility_id).where(EnrollmentCode.code_hash == code_hash)
    ).scalar_one()
    token = new_token()
    session.add(Kiosk(id=kiosk_id, facility_id=facility_id, name=name,
                      token_hash=token_digest(token), enrolled_at=now))
    return EnrolledKiosk(kiosk_id=kiosk_id, facility_id=facility_id, token=token)


def confirm_kiosk(session: Session, kiosk_id: str, now: datetime) -> Kiosk:
    """The kiosk has stored its token: spend the code and let the token work. Confirming
    again answers the same."""
    row = session.get_one(Kiosk, kiosk_id)
    if row.confirmed_at is None:
        spent = session.execute(
            update(EnrollmentCode)
            .where(EnrollmentCode.pending_kiosk_id == kiosk_id,
                   EnrollmentCode.used_at.is_(None))
            .values(used_at=now)
        )
        if spent.rowcount != 1:  # type: ignore[attr-defined]
            raise code_invalid()
        row.confirmed_at = now
    return row


@dataclass(frozen=True)
class Enroll:
    code: str
    name: str


def enroll(command: Enroll, ports: UnitOfWork) -> EnrollOut:
    """Trade a one-time code for a kiosk token (201). Codes are issued by the CLI on the
    real clock, so a demo server checks them on it too."""
    clock = ports.clock
    code_now = clock.real_now() if isinstance(clock, DemoClock) else clock.now()
    with ports.db.transaction() as session:
        enrolled = enroll_kiosk(session, command.code, command.name, clock.now(), code_now)
    return EnrollOut(kiosk_id=enrolled.kiosk_id, facility_id=enrolled.facility_id,
                     token=enrolled.token)


@dataclass(frozen=True)
class ConfirmEnrollment:
    kiosk_id: str


def confirm_enrollment(command: ConfirmEnrollment, ports: UnitOfWork) -> EnrollConfirmOut:
    """The kiosk stored its token: spend the code, let the token work (the same again
    answers the same)."""
    with ports.db.transaction() as session:
        row = confirm_kiosk(session, command.kiosk_id, ports.clock.now())
        return EnrollConfirmOut(kiosk_id=row.id, facility_id=row.facility_id,
                                confirmed_at=row.confirmed_at)
