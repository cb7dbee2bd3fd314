"""The sandbox gateway's tokenize endpoint: the stand-in for the processor's own one.

In production the kiosk sends the card to the processor, never to us. Not under
Idempotency-Key: a retry makes another token (harmless), and a stored request fingerprint
would be a hash of a card number.
"""

from __future__ import annotations

from fastapi import APIRouter

from central.api.deps import KioskAuth, Services
from central.money.gateway import CardDetails, CardRejected
from central.money.schemas import CardIn, CardTokenOut
from central.problems import ProblemError, problems

router = APIRouter(prefix="/v1/gateway", tags=["sandbox gateway"])


@router.post(
    "/tokens",
    status_code=201,
    response_model=CardTokenOut,
    responses=problems(400, 401, 422),
)
def tokenize(body: CardIn, services: Services, _kiosk: KioskAuth) -> CardTokenOut:
    """Check a card (Luhn, expiry, CVC) and return a token with brand, last four and expiry."""
    card = CardDetails(number=body.number, exp_month=body.exp_month, exp_year=body.exp_year,
                       cvc=body.cvc)
    try:
        token = services.gateway.tokenize(card)
    except CardRejected as exc:
        raise ProblemError(422, exc.code, "The card was not accepted", exc.message,
                           field=exc.field) from None
    return CardTokenOut(token=token.token, brand=token.brand, last4=token.last4,
                        exp_month=token.exp_month, exp_year=token.exp_year)
