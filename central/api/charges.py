"""Supervisor routes for card charges that cannot finish (:mod:`central.money.attention`):
the list of charges whose effect kept failing, and retrying or refunding one. A supervisor
sees the charges made at their facility (one with no facility, those of the facility of the
kiosk they signed in at), like the other supervisor routes; another facility's charge is
404, as if it did not exist."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse

from central.api.deps import (
    IdempotencyKey,
    KioskAuth,
    Services,
    SignedInStaff,
    SupervisorAuth,
    staff_facility,
)
from central.kernel.problems import problems
from central.money.attention import ActOnCharge, Actor, act_on_charge, needing_attention
from central.money.models import ChargeActionKind
from central.money.schemas import AttentionChargeOut

router = APIRouter(prefix="/v1/admin/charges", tags=["staff"])

ChargeId = Annotated[str, Path(min_length=1, max_length=64)]


def _actor(staff: SignedInStaff, kiosk: KioskAuth) -> Actor:
    return Actor(who=staff.staff.id, kiosk_id=kiosk.id,
                 facility_id=staff_facility(staff, kiosk))


def _answer(command: ActOnCharge, services: Services) -> JSONResponse:
    stored = act_on_charge(command, services)
    headers = {"Idempotent-Replayed": "true"} if stored.replayed else None
    return JSONResponse(stored.body, status_code=stored.status, headers=headers)


@router.get(
    "/attention",
    response_model=list[AttentionChargeOut],
    responses=problems(401, 403, 422),
)
def get_charges_needing_attention(
    services: Services, staff: SupervisorAuth, kiosk: KioskAuth,
    limit: Annotated[int, Query(ge=1, le=200)] = 100,
) -> list[AttentionChargeOut]:
    """Card charges whose effect failed on every try allowed (the card was usually
    charged, but the deposit, subscription or call did not happen), oldest first, with the
    reason and what staff did so far. Supervisors only."""
    with services.db.read() as session:
        return needing_attention(session, staff_facility(staff, kiosk), limit)


@router.post(
    "/{charge_id}/retry",
    response_model=AttentionChargeOut,
    responses=problems(401, 403, 404, 409, 422, 503),
)
def retry_charge(
    charge_id: ChargeId, services: Services, staff: SupervisorAuth, kiosk: KioskAuth,
    idempotency_key: IdempotencyKey,
) -> JSONResponse:
    """Apply the charge's effect again with the gateway's recorded answer (once its cause
    is fixed): ``state`` says whether it settled or still needs attention (with the new
    ``reason``). Nothing is charged. Recorded in ``actions``; the same Idempotency-Key
    replays the answer. 409 ``charge_not_waiting`` for a charge no longer waiting."""
    return _answer(ActOnCharge(charge_id, ChargeActionKind.RETRY, _actor(staff, kiosk),
                               idempotency_key), services)


@router.post(
    "/{charge_id}/refund",
    response_model=AttentionChargeOut,
    responses=problems(401, 403, 404, 409, 422, 503),
)
def refund_charge(
    charge_id: ChargeId, services: Services, staff: SupervisorAuth, kiosk: KioskAuth,
    idempotency_key: IdempotencyKey,
) -> JSONResponse:
    """Give the card back the whole charge (once, whoever asks: the refund's key is the
    charge's). 409 ``charge_in_use`` when something already uses the charge,
    ``charge_not_taken`` when the gateway declined it. A refund the gateway refuses leaves
    the charge ``needs_attention`` with the gateway's reason; 503 when the gateway cannot
    be reached (the refund stays due, finished by the same request again or the
    reconciler). Recorded in ``actions``."""
    return _answer(ActOnCharge(charge_id, ChargeActionKind.REFUND, _actor(staff, kiosk),
                               idempotency_key), services)
