"""Credentials of API clients: one-time enrollment codes for new kiosks, and the token of a
facility's call platform (both shown once, stored hashed), and their revocation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from central.clock import Clock
from central.db.engine import Database
from central.identity.models import ClientRole, EnrollmentCode, Kiosk
from central.identity.security import digest, new_enrollment_code, new_token, token_digest
from central.plans.models import Facility

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
