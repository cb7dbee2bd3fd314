"""Account routes. Creating an account is idempotent per kiosk and Idempotency-Key."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import select

from central.api.deps import IdempotencyKey, KioskAuth, OwnedAccountId, RequestLanguage, Services
from central.identity.accounts import (
    LinkAnotherResident,
    SignUp,
    link_another_resident,
    sign_up,
)
from central.identity.schemas import AccountIn, AccountOut, LinkedResidentIn
from central.kernel.problems import problems
from central.plans.account_detail import AccountDetail, account_detail
from central.plans.models import Subscription, SubscriptionStatus
from central.plans.schemas import subscription_out

router = APIRouter(prefix="/v1/accounts", tags=["accounts"])

@router.post(
    "",
    status_code=201,
    response_model=AccountOut,
    responses=problems(400, 401, 409, 413, 422, 429, 503),
)
def post_account(
    body: AccountIn, services: Services, kiosk: KioskAuth, idempotency_key: IdempotencyKey
) -> JSONResponse:
    """Open a family account linked to one resident. 409 when the phone is registered;
    429 ``rate_limited`` (with Retry-After) past the kiosk's sign-ups per minute; 503
    ``pin_check_busy`` when too many PINs are being hashed at once."""
    stored = sign_up(SignUp(body, kiosk.id, idempotency_key), services)
    headers = {"Idempotent-Replayed": "true"} if stored.replayed else None
    return JSONResponse(stored.body, status_code=stored.status, headers=headers)


@router.get(
    "/{account_id}",
    response_model=AccountDetail,
    responses=problems(401, 403),
)
def get_account(account_id: OwnedAccountId, services: Services,
                language: RequestLanguage) -> AccountDetail:
    """The signed-in family's account: balance, linked residents, card on file, and active
    subscriptions with this period's usage (plan names in the Accept-Language's language)."""
    with services.db.transaction() as session:
        detail = account_detail(session, account_id)
        active = session.scalars(
            select(Subscription)
            .where(Subscription.account_id == account_id,
                   Subscription.status == SubscriptionStatus.ACTIVE)
            .order_by(Subscription.created_at, Subscription.id)
        )
        detail.subscriptions = [subscription_out(session, s, language) for s in active]
        return detail


@router.post(
    "/{account_id}/residents",
    status_code=201,
    response_model=AccountOut,
    responses=problems(400, 401, 403, 404, 409, 422),
)
def post_linked_resident(
    body: LinkedResidentIn, account_id: OwnedAccountId, services: Services,
    idempotency_key: IdempotencyKey,
) -> JSONResponse:
    """Link another loved one (a resident at a facility) to the signed-in family's account;
    the answer is the account with every loved one. 404 ``facility_unknown`` or
    ``resident_unknown`` (also for a resident of another facility); 409
    ``resident_already_linked``, or ``too_many_residents`` past the most an account links.
    A retry with the same Idempotency-Key replays the first answer."""
    stored = link_another_resident(LinkAnotherResident(
        account_id, body.facility_id, body.resident_id, idempotency_key), services)
    headers = {"Idempotent-Replayed": "true"} if stored.replayed else None
    return JSONResponse(stored.body, status_code=stored.status, headers=headers)
