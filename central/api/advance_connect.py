"""AdvanceConnect routes: quote, deposit by card on file, transactions, balance refund request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from central.api.deps import IdempotencyKey, OwnedAccountId, Services
from central.idempotency import fingerprint
from central.identity.models import Account
from central.identity.security import token_digest
from central.mail.notifications import CardOnFile as NoticeCard
from central.mail.notifications import DepositReceipt, deposit_receipt
from central.mail.outbox import facility_ref, queue_mail, recipient_of
from central.money import ledger
from central.money.advance_connect import DepositQuote, quote_deposit
from central.money.gateway import ChargeResult
from central.money.payments import (
    CardOnFile,
    card_on_file,
    charge_card_on_file,
    decline_problem,
    no_card_problem,
)
from central.money.schemas import (
    MAX_DEPOSIT_CENTS,
    MIN_DEPOSIT_CENTS,
    CardSummary,
    DepositIn,
    DepositOut,
    DepositQuoteIn,
    DepositQuoteOut,
    RefundRequestOut,
    TransactionOut,
    TransactionsOut,
)
from central.plans.models import Facility
from central.problems import ProblemError, problems

router = APIRouter(prefix="/v1/accounts/{account_id}/advance-connect", tags=["AdvanceConnect"])


def _quote_out(quote: DepositQuote) -> DepositQuoteOut:
    return DepositQuoteOut(
        facility_id=quote.facility_id, amount_cents=quote.amount_cents,
        fee_cents=quote.fee_cents, total_cents=quote.total_cents,
        minimum_cents=MIN_DEPOSIT_CENTS, maximum_cents=MAX_DEPOSIT_CENTS,
    )


@router.post(
    "/quote",
    response_model=DepositQuoteOut,
    responses=problems(400, 401, 403, 409, 422),
)
def quote(body: DepositQuoteIn, account_id: OwnedAccountId, services: Services
          ) -> DepositQuoteOut:
    """What a deposit of ``amount_cents`` costs: amount + the facility's fee = total."""
    with services.db.transaction() as session:
        return _quote_out(quote_deposit(session, account_id, body.amount_cents,
                                        services.clock.now()))


@dataclass(frozen=True)
class _PaidDeposit:
    quote: DepositQuote
    charge: ChargeResult
    card: CardOnFile


@router.post(
    "/deposits",
    status_code=201,
    response_model=DepositOut,
    responses=problems(400, 401, 402, 403, 409, 422),
)
def deposit(
    body: DepositIn, account_id: OwnedAccountId, services: Services,
    idempotency_key: IdempotencyKey,
) -> JSONResponse:
    """Charge the card on file for amount + fee and credit the balance. A decline is 402
    (``card_declined``, ``insufficient_funds``, ``card_expired``) and posts nothing. A retry
    with the same Idempotency-Key replays the first answer and never charges again."""

    def outside() -> _PaidDeposit:
        with services.db.transaction() as session:
            quoted = quote_deposit(session, account_id, body.amount_cents, services.clock.now())
            if card_on_file(session, account_id) is None:
                raise no_card_problem()
        if body.total_cents is not None and body.total_cents != quoted.total_cents:
            raise ProblemError(409, "quote_changed", "The total has changed since the quote",
                               f"The total is now {quoted.total_cents} cents; quote again.",
                               field="total_cents")
        # The gateway key is derived from the request's, so a retry never charges twice.
        charge, card = charge_card_on_file(
            services.db, services.gateway, account_id, quoted.total_cents,
            f"deposit:{account_id}:{idempotency_key}",
        )
        if not charge.approved:
            raise decline_problem(charge)
        return _PaidDeposit(quoted, charge, card)

    def work(session: Session, paid: _PaidDeposit) -> tuple[int, dict[str, Any]]:
        now = services.clock.now()
        journal = ledger.post_deposit(
            session, account_id, paid.quote.amount_cents, paid.quote.fee_cents,
            reference=f"charge:{paid.charge.charge_id}", now=now,
            description=f"Deposit, {paid.card.brand} ending {paid.card.last4}",
        )
        out = DepositOut(
            transaction_id=journal.id, amount_cents=paid.quote.amount_cents,
            fee_cents=paid.quote.fee_cents, total_cents=paid.quote.total_cents,
            balance_cents=ledger.balance_cents(session, account_id),
            card=CardSummary.model_validate({"brand": paid.card.brand,
                                             "last4": paid.card.last4}),
            created_at=journal.created_at,
        )
        account = session.get_one(Account, account_id)
        queue_mail(session, deposit_receipt(DepositReceipt(
            recipient=recipient_of(account),
            facility=facility_ref(session.get_one(Facility, paid.quote.facility_id)),
            amount_cents=out.amount_cents, fee_cents=out.fee_cents,
            total_cents=out.total_cents, balance_cents=out.balance_cents,
            card=NoticeCard(brand=str(paid.card.brand), last4=paid.card.last4),
            paid_at=now, reference=journal.id,
        )), f"receipt:deposit:{journal.id}", services.clock)
        return 201, out.model_dump(mode="json")

    stored = services.idempotency.run_staged(
        f"account:{account_id}", idempotency_key,
        fingerprint("POST deposits", body.model_dump()), outside, work,
    )
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
    refunds payable until paid out. 409 ``nothing_to_refund`` when the balance is zero."""

    def work(session: Session) -> tuple[int, dict[str, Any]]:
        reference = "refund:" + token_digest(f"{account_id}:{idempotency_key}")
        journal = ledger.request_refund(session, account_id, reference=reference,
                                        now=services.clock.now())
        out = RefundRequestOut(
            transaction_id=journal.id, amount_cents=-ledger.family_amount(journal),
            balance_cents=ledger.balance_cents(session, account_id), status="requested",
            created_at=journal.created_at,
        )
        return 201, out.model_dump(mode="json")

    stored = services.idempotency.run(
        f"account:{account_id}", idempotency_key, fingerprint("POST refund-requests", {}), work
    )
    headers = {"Idempotent-Replayed": "true"} if stored.replayed else None
    return JSONResponse(stored.body, status_code=stored.status, headers=headers)
