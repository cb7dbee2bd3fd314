"""The sandbox gateway's tokenize endpoint: the stand-in for the processor's own one.

In production the kiosk sends the card to the processor, never to us. Not under
Idempotency-Key: a retry makes another token (harmless), and a stored request fingerprint
would be a hash of a card number.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse

from central.api.deps import KioskAuth, Services
from central.kernel.problems import problem_response, problems
from central.money.cards import TokenizeCard, tokenize_card
from central.money.gateway import CardDetails, GatewayUnavailable
from central.money.payments import unavailable_problem
from central.money.schemas import CardIn, CardTokenOut

router = APIRouter(prefix="/v1/gateway", tags=["sandbox gateway"])


@router.post(
    "/tokens",
    status_code=201,
    response_model=CardTokenOut,
    responses=problems(400, 401, 403, 422, 503),
)
def tokenize(body: CardIn, services: Services, kiosk: KioskAuth) -> CardTokenOut:
    """Check a card (Luhn, expiry, CVC) and return a token with brand, last four and expiry.
    403 ``keyed_entry_not_allowed`` from a kiosk whose facility takes cards only on its
    reader (the default)."""
    return tokenize_card(TokenizeCard(CardDetails(
        number=body.number, exp_month=body.exp_month, exp_year=body.exp_year, cvc=body.cvc),
        kiosk.facility_id), services)


def install_gateway_handlers(app: FastAPI) -> None:
    """A processor that cannot be reached (:class:`GatewayUnavailable`, from any route that
    charges, refunds or reads a card) answers 503 ``gateway_unavailable`` with Retry-After,
    never a bare 500. Raised through the Idempotency-Key store, which frees the key, so
    the 503 is never replayed as the request's answer."""

    @app.exception_handler(GatewayUnavailable)
    async def _unavailable(_request: Request, exc: GatewayUnavailable) -> JSONResponse:
        problem = unavailable_problem(exc)
        return problem_response(problem.problem, problem.headers)
