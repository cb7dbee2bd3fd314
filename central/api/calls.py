"""Call routes for the call platform: authorize a call, pay it as a Single Call, rate it.

The call platform has a credential of its own (``lobby-central platform-token --facility
ID``), bound to that facility: only it may authorize and rate that facility's calls. A lobby
kiosk's token is refused here (403 ``not_the_call_platform``), since rating spends a
family's money and a kiosk is a public machine.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from central.api.deps import CallPlatformAuth, IdempotencyKey, Services
from central.calls.authorize import AuthorizeCall
from central.calls.authorize import authorize as authorize_call_handler
from central.calls.schemas import (
    CallAuthorizationOut,
    CallAuthorizeIn,
    CallRatedOut,
    CallRateIn,
    SingleCallIn,
    SingleCallOut,
)
from central.calls.single_call import PaySingleCall, RateCall, pay_single_call
from central.calls.single_call import rate as rate_finished_call
from central.kernel.problems import problems

router = APIRouter(prefix="/v1/calls", tags=["calls"])


def _replayed(replayed: bool) -> dict[str, str] | None:
    return {"Idempotent-Replayed": "true"} if replayed else None


@router.post(
    "/authorize",
    status_code=201,
    response_model=CallAuthorizationOut,
    responses=problems(400, 401, 403, 409, 422),
)
def authorize(
    body: CallAuthorizeIn, services: Services, kiosk: CallPlatformAuth,
    idempotency_key: IdempotencyKey,
) -> JSONResponse:
    """Decide whether a call may go through and who pays, and record the decision.

    ``covered`` calls count against the subscription now (the answer carries
    ``calls_remaining`` to read out); ``charged`` calls may last ``max_minutes``. A retry with
    the same Idempotency-Key replays the decision and never counts the call twice. 422
    ``facility_unknown`` for a facility that does not exist; 403 ``facility_not_enrolled`` for
    another facility than the caller's.
    """
    stored = authorize_call_handler(AuthorizeCall(
        facility_id=body.facility_id, resident_id=body.resident_id, phone=body.phone,
        kind=body.kind, destination=body.destination, client_id=kiosk.id,
        client_facility_id=kiosk.facility_id, idempotency_key=idempotency_key,
        body=body.model_dump(mode="json")), services)
    return JSONResponse(stored.body, status_code=stored.status,
                        headers=_replayed(stored.replayed))


@router.post(
    "/{call_id}/rate",
    response_model=CallRatedOut,
    responses=problems(400, 401, 403, 404, 409, 422),
)
def rate(
    call_id: str, body: CallRateIn, services: Services, kiosk: CallPlatformAuth
) -> JSONResponse:
    """Price a finished call: covered 0 cents; charged per started minute from AdvanceConnect,
    never more than the authorized ``max_minutes`` nor below a zero balance. The call id is
    the idempotency key: rating again answers the first result and charges nothing more.
    A Single Call is charged the minutes it used; the rest of what it paid is refunded to
    its card (``refunded_cents``), once.
    409 ``call_not_authorized`` for a refused call."""
    rated = rate_finished_call(RateCall(call_id, body.duration_seconds, kiosk.facility_id),
                               services)
    return JSONResponse(CallRatedOut.of(rated).model_dump(mode="json"),
                        headers=_replayed(rated.replayed))


@router.post(
    "/{call_id}/single-call",
    status_code=201,
    response_model=SingleCallOut,
    responses=problems(400, 401, 402, 403, 404, 409, 422, 503),
)
def single_call(
    call_id: str, body: SingleCallIn, services: Services, kiosk: CallPlatformAuth,
    idempotency_key: IdempotencyKey,
) -> JSONResponse:
    """Rule 10: pay a call answered ``single_call_available`` by card (a gateway token), for
    ``minutes`` at the facility's rate; the call is then authorized for those minutes. The
    card is charged once per call (gateway key ``single-call:{call_id}``). A decline is 402;
    to try another card, authorize the call again."""

    stored = pay_single_call(PaySingleCall(
        call_id=call_id, token=body.token, minutes=body.minutes, client_id=kiosk.id,
        facility_id=kiosk.facility_id, idempotency_key=idempotency_key), services)
    return JSONResponse(stored.body, status_code=stored.status,
                        headers=_replayed(stored.replayed))
