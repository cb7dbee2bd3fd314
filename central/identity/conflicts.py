"""Honest conflicts (docs/offline.md, "Conflicts"): a sign-up taken offline and refused later
because the phone already has an account is reported by the kiosk. The family is e-mailed at
the address they gave, in their language, and staff of the facility see it until resolved.

The letter says only what the family typed themselves (the last four digits of the phone):
nothing about the account that holds the number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from central.identity.limits import Limits, spend
from central.identity.models import Account, SignUpConflict
from central.identity.schemas import (
    LinkConflictIn,
    LinkConflictOut,
    SignUpConflictIn,
    SignUpConflictOut,
)
from central.kernel.clock import Clock
from central.kernel.facilities import Facility
from central.kernel.idempotency import StoredResponse, fingerprint
from central.kernel.ports import Replayable, UnitOfWork
from central.kernel.problems import ProblemError
from central.mail.notifications import (
    LinkConflictNotice,
    Recipient,
    SignUpConflictNotice,
    link_conflict_notice,
    sign_up_conflict_notice,
)
from central.mail.outbox import facility_ref, queue_mail


def record_conflict(session: Session, body: SignUpConflictIn, kiosk_id: str,
                    facility_id: str, clock: Clock) -> SignUpConflict:
    """Record the conflict and queue the family's letter in the same transaction."""
    if session.execute(select(Account.id).where(Account.phone == body.phone)).first() is None:
        raise ProblemError(409, "phone_not_registered", "This phone has no account",
                           "There is no conflict to report: sign up again.", field="phone")
    facility = session.get(Facility, facility_id)
    assert facility is not None  # a kiosk's facility always exists
    conflict = SignUpConflict(
        kiosk_id=kiosk_id, facility_id=facility_id, reason=body.reason,
        first_name=body.first_name, phone=body.phone, email=body.email,
        language=body.language, signed_up_at=body.signed_up_at, reported_at=clock.now(),
    )
    session.add(conflict)
    session.flush()
    notice = SignUpConflictNotice(
        recipient=Recipient(name=body.first_name, email=body.email, language=body.language),
        facility=facility_ref(facility), signed_up_at=body.signed_up_at,
        phone_last4=body.phone[-4:],
    )
    queue_mail(session, sign_up_conflict_notice(notice), f"sign-up-conflict:{conflict.id}",
               clock)
    return conflict


def record_link_conflict(session: Session, body: LinkConflictIn, facility_id: str,
                         idempotency_key: str, clock: Clock) -> LinkConflictOut:
    """Write to the family whose queued link was refused, at the account's own address and
    in the account's language (not an address the kiosk sends). 409
    ``phone_not_registered`` when the account no longer holds that phone: the letter would
    reach someone else."""
    account = session.get(Account, body.account_id)
    if account is None or account.phone != body.phone:
        raise ProblemError(409, "phone_not_registered", "This phone has no such account",
                           "There is no family to write to.", field="phone")
    facility = session.get(Facility, facility_id)
    assert facility is not None  # a kiosk's facility always exists
    notice = LinkConflictNotice(
        recipient=Recipient(name=account.first_name, email=account.email,
                            language=account.language),
        facility=facility_ref(facility), requested_at=body.requested_at,
        resident_name=body.resident_name, reason=body.reason,
    )
    now = clock.now()
    queue_mail(session, link_conflict_notice(notice),
               f"link-conflict:{account.id}:{idempotency_key}"[:200], clock)
    return LinkConflictOut(account_id=account.id, reason=body.reason,
                           requested_at=body.requested_at, reported_at=now)


def conflict_out(conflict: SignUpConflict) -> SignUpConflictOut:
    return SignUpConflictOut.model_validate(conflict, from_attributes=True)


def open_conflicts(session: Session, facility_id: str, include_resolved: bool
                   ) -> list[SignUpConflictOut]:
    query = select(SignUpConflict).where(SignUpConflict.facility_id == facility_id)
    if not include_resolved:
        query = query.where(SignUpConflict.resolved_at.is_(None))
    rows = session.execute(query.order_by(SignUpConflict.reported_at.desc(),
                                          SignUpConflict.id)).scalars()
    return [conflict_out(c) for c in rows]


@dataclass(frozen=True)
class ResolveConflict:
    conflict_id: str
    facility_id: str  # the staff member's: another facility's conflict is 404
    staff_id: str
    resolution: str


def resolve_conflict(command: ResolveConflict, ports: UnitOfWork) -> SignUpConflictOut:
    """Close a conflict with what staff did; resolving it again keeps the first."""
    with ports.db.transaction() as session:
        conflict = session.get(SignUpConflict, command.conflict_id)
        if conflict is None or conflict.facility_id != command.facility_id:
            raise ProblemError(404, "conflict_unknown",
                               "No such sign-up conflict at your facility",
                               field="conflict_id")
        if conflict.resolved_at is None:
            conflict.resolved_at = ports.clock.now()
            conflict.resolved_by = command.staff_id
            conflict.resolution = command.resolution
        return conflict_out(conflict)


class Ports(Replayable, Protocol):
    """What reporting a conflict needs: the unit of work, the clock, the Idempotency-Key
    store and the bounds on clients (a report counts as the sign-up it stands for)."""

    @property
    def limits(self) -> Limits: ...


@dataclass(frozen=True)
class ReportConflict:
    details: SignUpConflictIn
    kiosk_id: str
    facility_id: str
    idempotency_key: str


def report_conflict(command: ReportConflict, ports: Ports) -> StoredResponse:
    """The handler of a kiosk's report (201): counts against the kiosk's sign-ups per minute
    (429), then :func:`record_conflict`; a retry with the same key records it once."""
    return _kiosk_report(
        ports, command.kiosk_id, command.idempotency_key,
        "POST /v1/kiosks/sign-up-conflicts", command.details,
        lambda session: conflict_out(record_conflict(
            session, command.details, command.kiosk_id, command.facility_id, ports.clock)),
    )


def _kiosk_report(
    ports: Ports, kiosk_id: str, idempotency_key: str, route: str, details: BaseModel,
    record: Callable[[Session], BaseModel],
) -> StoredResponse:
    """A kiosk's report of a refusal, whatever it reports: it counts against the kiosk's
    sign-ups per minute (429), and a retry with the same key records it once (201)."""
    spend(ports.db, ports.clock, ports.limits.sign_up, kiosk_id)

    def work(session: Session) -> tuple[int, dict[str, Any]]:
        return 201, record(session).model_dump(mode="json")

    return ports.idempotency.run(
        f"kiosk:{kiosk_id}", idempotency_key,
        fingerprint(route, details.model_dump(mode="json")), work,
    )


@dataclass(frozen=True)
class ReportLinkConflict:
    details: LinkConflictIn
    kiosk_id: str
    facility_id: str
    idempotency_key: str


def report_link_conflict(command: ReportLinkConflict, ports: Ports) -> StoredResponse:
    """The handler of a kiosk's report of a refused queued link (201): counts against the
    kiosk's sign-ups per minute (429), then :func:`record_link_conflict`; a retry with the
    same key writes one letter."""
    return _kiosk_report(
        ports, command.kiosk_id, command.idempotency_key,
        "POST /v1/kiosks/link-conflicts", command.details,
        lambda session: record_link_conflict(
            session, command.details, command.facility_id, command.idempotency_key,
            ports.clock),
    )
