"""Call authorization for the call platform: the handler its route calls. It checks the
facility is the caller's, decides covered / charged / refused (``rating.authorize_call``) and
records the decision under the platform's Idempotency-Key, so a retry replays it and never
counts a call twice (docs/billing-rules.md, rules 2, 9, 11)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy.orm import Session

from central.calls.rating import CallRequest, authorize_call, facility_unknown
from central.calls.schemas import CallAuthorizationOut
from central.kernel.facilities import CallKind, Destination
from central.kernel.facility_reference import FACILITY_REFERENCE, FacilityReference
from central.kernel.idempotency import StoredResponse, fingerprint
from central.kernel.problems import ProblemError
from central.money.charges import Ports


@dataclass(frozen=True)
class AuthorizeCall:
    facility_id: str
    resident_id: str
    phone: str
    kind: CallKind
    destination: Destination
    # The call platform asking: it may authorize only its own facility's calls.
    client_id: str
    client_facility_id: str
    idempotency_key: str
    body: dict[str, Any]  # the request as sent, for the key's fingerprint


def check_facility(session: Session, facility_id: str, client_facility_id: str
                   ) -> FacilityReference:
    """422 for a facility that does not exist, 403 for another one than the caller's; else
    the facility's reference data (docs/performance.md, the per-facility cache)."""
    facility = FACILITY_REFERENCE.get(session, facility_id)
    if facility is None:
        raise facility_unknown(facility_id)
    if facility_id != client_facility_id:
        raise ProblemError(403, "facility_not_enrolled",
                           "This client is not enrolled for that facility",
                           "Enroll the call platform for each facility it serves.",
                           field="facility_id")
    return facility


def authorize(command: AuthorizeCall, ports: Ports) -> StoredResponse:
    """201 with the decision; ``covered`` calls count against the subscription now."""
    request = CallRequest(facility_id=command.facility_id, resident_id=command.resident_id,
                          phone=command.phone, kind=command.kind,
                          destination=command.destination)

    def work(session: Session) -> tuple[int, dict[str, Any]]:
        facility = check_facility(session, command.facility_id, command.client_facility_id)
        decision = authorize_call(session, ports.clock, request, facility)
        return 201, CallAuthorizationOut(**asdict(decision)).model_dump(mode="json")

    return ports.idempotency.run(
        f"calls:{command.client_id}", command.idempotency_key,
        fingerprint("POST /v1/calls/authorize", command.body), work, keep=True,
    )
