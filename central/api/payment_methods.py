"""Cards on file: add from a gateway token (replacing the one on file, rule 13), list, remove."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from central.api.deps import IdempotencyKey, OwnedAccountId, Services
from central.kernel.idempotency import fingerprint
from central.kernel.problems import problems
from central.money.cards import AddCard, add_card
from central.money.payments import RemoveCard, active_methods, payment_method_out, remove_card
from central.money.schemas import PaymentMethodIn, PaymentMethodOut

router = APIRouter(prefix="/v1/accounts/{account_id}/payment-methods", tags=["payment methods"])


@router.get("", response_model=list[PaymentMethodOut], responses=problems(401, 403))
def list_payment_methods(account_id: OwnedAccountId, services: Services
                         ) -> list[PaymentMethodOut]:
    with services.db.transaction() as session:
        return [payment_method_out(m) for m in active_methods(session, account_id)]


@router.post(
    "",
    status_code=201,
    response_model=PaymentMethodOut,
    responses=problems(400, 401, 403, 409, 422, 503),
)
def add_payment_method(
    body: PaymentMethodIn, account_id: OwnedAccountId, services: Services,
    idempotency_key: IdempotencyKey,
) -> JSONResponse:
    """Put a tokenized card on file. It replaces the card on file, if any, at once: the next
    renewal charges it (rule 13)."""
    stored = add_card(AddCard(account_id, body.token, idempotency_key,
                              fingerprint("POST payment-methods", body.model_dump())), services)
    headers = {"Idempotent-Replayed": "true"} if stored.replayed else None
    return JSONResponse(stored.body, status_code=stored.status, headers=headers)


@router.delete(
    "/{payment_method_id}",
    status_code=204,
    response_class=Response,
    responses=problems(401, 403, 404),
)
def delete_payment_method(
    payment_method_id: str, account_id: OwnedAccountId, services: Services
) -> Response:
    remove_card(RemoveCard(account_id, payment_method_id), services)
    return Response(status_code=204)
