"""Cash routes (docs/cash.md): a kiosk posts the notes its acceptor stacked and the count of
a cassette staff took out; a supervisor reads the cash box report of their facility."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from central.api.deps import IdempotencyKey, KioskAuth, Services, SupervisorAuth, staff_facility
from central.kernel.problems import ProblemError, problems
from central.money.cash import (
    AskCashRefund,
    CashCountIn,
    CashCountOut,
    CashDepositIn,
    CashDepositOut,
    CashReceiptIn,
    CashReceiptOut,
    CashReport,
    CashTermsOut,
    PostCash,
    RecordCount,
    SendReceipt,
    ask_cash_refund,
    cash_report,
    cash_terms,
    post_cash_deposit,
    record_cash_count,
    send_cash_receipt,
)

router = APIRouter(tags=["cash"])


@router.get(
    "/v1/kiosks/cash-terms",
    response_model=CashTermsOut,
    responses=problems(401, 403),
)
def get_cash_terms(services: Services, kiosk: KioskAuth) -> CashTermsOut:
    """The cash maximum of this kiosk's facility, which the kiosk shows a family and
    enables its note acceptor with (a supervisor changes it with the facility's pricing)."""
    with services.db.read() as session:
        return cash_terms(session, kiosk.facility_id)


@router.post(
    "/v1/kiosks/cash-deposits",
    status_code=201,
    response_model=CashDepositOut,
    responses=problems(400, 401, 403, 404, 409, 413, 422),
)
def post_cash(
    body: CashDepositIn, services: Services, kiosk: KioskAuth, idempotency_key: IdempotencyKey,
) -> JSONResponse:
    """Credit notes this kiosk's acceptor stacked to a family of its facility, through a
    cash charge (no gateway) and its journal. The kiosk's key for the note is the
    Idempotency-Key: the same key again answers the first credit and never credits twice."""
    stored = post_cash_deposit(PostCash(body, kiosk.id, kiosk.facility_id, idempotency_key),
                               services)
    headers = {"Idempotent-Replayed": "true"} if stored.replayed else None
    return JSONResponse(stored.body, status_code=stored.status, headers=headers)


@router.post(
    "/v1/kiosks/cash-deposits/{deposit_id}/refunds",
    responses=problems(401, 403, 404, 409),
)
def refund_cash(deposit_id: str, services: Services, kiosk: KioskAuth) -> None:
    """Always refused: cash cannot be refunded at a kiosk (409 ``cash_not_refundable``);
    the family's balance is refundable on request like any other (rule 14)."""
    ask_cash_refund(AskCashRefund(deposit_id, kiosk.facility_id), services)


@router.post(
    "/v1/kiosks/cash-receipts",
    status_code=201,
    response_model=CashReceiptOut,
    responses=problems(400, 401, 403, 409, 413, 422),
)
def post_cash_receipt(
    body: CashReceiptIn, services: Services, kiosk: KioskAuth, idempotency_key: IdempotencyKey,
) -> JSONResponse:
    """The family finished a cash visit at this kiosk: e-mail one receipt for its credited
    notes ("Cash, 3 notes", and that cash is not refunded at a kiosk), once."""
    stored = send_cash_receipt(SendReceipt(body, kiosk.id, idempotency_key), services)
    headers = {"Idempotent-Replayed": "true"} if stored.replayed else None
    return JSONResponse(stored.body, status_code=stored.status, headers=headers)


@router.post(
    "/v1/kiosks/cash-box-counts",
    status_code=201,
    response_model=CashCountOut,
    responses=problems(400, 401, 403, 409, 413, 422),
)
def post_cash_count(
    body: CashCountIn, services: Services, kiosk: KioskAuth, idempotency_key: IdempotencyKey,
) -> JSONResponse:
    """Keep the count of a cassette staff took out of this kiosk: the notes by denomination
    its acceptor stacked since the last removal, and the notes in doubt."""
    stored = record_cash_count(RecordCount(body, kiosk.id, kiosk.facility_id,
                                           idempotency_key), services)
    headers = {"Idempotent-Replayed": "true"} if stored.replayed else None
    return JSONResponse(stored.body, status_code=stored.status, headers=headers)


@router.get(
    "/v1/admin/cash-report",
    response_model=CashReport,
    responses=problems(401, 403, 422),
)
def get_cash_report(
    services: Services, staff: SupervisorAuth, kiosk: KioskAuth,
    day: Annotated[str, Query(alias="date", pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
                              description="The facility's date, YYYY-MM-DD")],
) -> CashReport:
    """The cash box report of the supervisor's own facility for one day: per kiosk and
    cassette, notes stacked against deposits credited, a difference flagged."""
    try:
        wanted = date.fromisoformat(day)
    except ValueError:
        raise ProblemError(422, "date_invalid", "This is not a date",
                           "Give the facility's date as YYYY-MM-DD.", field="date") from None
    with services.db.read() as session:
        return cash_report(session, staff_facility(staff, kiosk), wanted)
