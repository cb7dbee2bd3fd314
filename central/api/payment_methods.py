"""Cards on file: add from a gateway token (replacing the one on file, rule 13), list, remove."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from central.api.deps import IdempotencyKey, OwnedAccountId, Services
from central.idempotency import fingerprint
from central.money.gateway import CardToken
from central.money.payments import (
    active_methods,
    attach_card,
    describe_token,
    payment_method_out,
    remove_card,
)
from central.money.schemas import PaymentMethodIn, PaymentMethodOut
from central.problems import problems

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
    responses=problems(400, 401, 403, 409, 422),
)
def add_payment_method(
    body: PaymentMethodIn, account_id: OwnedAccountId, services: Services,
    idempotency_key: IdempotencyKey,
) -> JSONResponse:
    """Put a tokenized card on file. It replaces the card on file, if any (rule 13)."""

    def outside() -> CardToken:
        return describe_token(services.gateway, body.token)

    def work(session: Session, card: CardToken) -> tuple[int, dict[str, Any]]:
        method, _replaced = attach_card(session, account_id, card, services.clock.now())
        return 201, payment_method_out(method).model_dump(mode="json")

    stored = services.idempotency.run_staged(
        f"account:{account_id}", idempotency_key,
        fingerprint("POST payment-methods", body.model_dump()), outside, work,
        keep=True,
    )
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
    with services.db.transaction() as session:
        remove_card(session, account_id, payment_method_id, services.clock.now())
    return Response(status_code=204)
