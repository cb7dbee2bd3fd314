"""AdvanceConnect routes: quote, deposit by card on file, transactions, balance refund request."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from central.api.deps import IdempotencyKey, OwnedAccountId, Services
from central.kernel.problems import problems
from central.money import ledger
from central.money.advance_connect import QuoteDeposit
from central.money.advance_connect import quote as quote_deposit
from central.money.deposits import MakeDeposit, make_deposit
from central.money.refunds import RequestRefund, request_balance_refund
from central.money.schemas import (
    DepositIn,
    DepositOut,
    DepositQuoteIn,
    DepositQuoteOut,
    RefundRequestOut,
    TransactionOut,
    TransactionsOut,
)

router = APIRouter(prefix="/v1/accounts/{account_id}/advance-connect", tags=["AdvanceConnect"])


@router.post(
    "/quote",
    response_model=DepositQuoteOut,
    responses=problems(400, 401, 403, 409, 422),
)
def quote(body: DepositQuoteIn, account_id: OwnedAccountId, services: Services
          ) -> DepositQuoteOut:
    """What a deposit of ``amount_cents`` costs: amount + the facility's fee = total."""
    return quote_deposit(QuoteDeposit(account_id, body.amount_cents), services)


@router.post(
    "/deposits",
    status_code=201,
    response_model=DepositOut,
    responses=problems(400, 401, 402, 403, 409, 422, 503),
)
def deposit(
    body: DepositIn, account_id: OwnedAccountId, services: Services,
    idempotency_key: IdempotencyKey,
) -> JSONResponse:
    """Charge the card on file for amount + fee and credit the balance. A decline is 402
    (``card_declined``, ``insufficient_funds``, ``card_expired``) and posts nothing. A retry
    with the same Idempotency-Key replays the first answer and never charges again."""
    stored = make_deposit(MakeDeposit(account_id, body.amount_cents, body.total_cents,
                                      idempotency_key), services)
    headers = {"Idempotent-Replayed": "true"} if stored.replayed else None
    return JSONResponse(stored.body, status_code=stored.status, headers=headers)


@router.get(
    "/transactions",
    response_model=TransactionsOut,
    responses=problems(401, 403, 422),
)
def transactions(
    account_id: OwnedAccountId, services: Services,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> TransactionsOut:
    """The balance and the latest transactions, newest first."""
    with services.db.transaction() as session:
        return TransactionsOut(
            balance_cents=ledger.balance_cents(session, account_id),
            transactions=[
                TransactionOut(id=j.id, kind=j.kind, amount_cents=ledger.family_amount(j),
                               description=j.description, created_at=j.created_at)
                for j in ledger.journals_for(session, account_id, limit)
            ],
        )


@router.post(
    "/refund-requests",
    status_code=201,
    response_model=RefundRequestOut,
    responses=problems(401, 403, 409, 422),
)
def request_refund(
    account_id: OwnedAccountId, services: Services, idempotency_key: IdempotencyKey
) -> JSONResponse:
    """Rule 14: ask for the whole balance back. It leaves the balance at once and waits in
    refunds payable until paid out; money held for a call in progress stays until the call
    is rated. 409 ``nothing_to_refund`` when the balance is zero."""

    stored = request_balance_refund(RequestRefund(account_id, idempotency_key), services)
    headers = {"Idempotent-Replayed": "true"} if stored.replayed else None
    return JSONResponse(stored.body, status_code=stored.status, headers=headers)
