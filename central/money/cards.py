"""Cards: tokenizing one typed at the kiosk (the sandbox's stand-in for the processor's own
endpoint), and putting a card on file (rule 13), the handlers the routes call. The gateway
is asked what the token is outside any transaction; the new card replaces the one on file
at once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.orm import Session

from central.kernel.idempotency import StoredResponse
from central.kernel.problems import ProblemError
from central.money.charges import Ports
from central.money.gateway import CardDetails, CardRejected, CardToken, PaymentGateway
from central.money.payments import attach_card, describe_token, payment_method_out
from central.money.schemas import CardTokenOut
from central.money.terminal import check_keyed_entry


class GatewayPorts(Protocol):
    @property
    def gateway(self) -> PaymentGateway: ...


@dataclass(frozen=True)
class TokenizeCard:
    card: CardDetails
    facility_id: str  # the asking kiosk's: keyed entry is a facility's setting


def tokenize_card(command: TokenizeCard, ports: Ports) -> CardTokenOut:
    """Check the card (Luhn, expiry, CVC) and answer its token; 422 naming the field the
    processor refused; 403 ``keyed_entry_not_allowed`` at a facility whose cards are read
    only by its kiosks' readers (the default). Nothing is stored."""
    with ports.db.transaction() as session:
        check_keyed_entry(session, command.facility_id)
    try:
        token = ports.gateway.tokenize(command.card)
    except CardRejected as exc:
        raise ProblemError(422, exc.code, "The card was not accepted", exc.message,
                           field=exc.field) from None
    return CardTokenOut.of(token)


@dataclass(frozen=True)
class AddCard:
    account_id: str
    token: str
    idempotency_key: str
    request_fingerprint: str


def add_card(command: AddCard, ports: Ports) -> StoredResponse:
    """201 with the new card on file (brand, last four, expiry). 422 ``card_token_invalid``
    for a token the gateway does not know, 422 ``card_expired``, 409 ``card_token_in_use``
    for a token on another account. A retry with the same key answers the same card."""

    def outside() -> CardToken:
        return describe_token(ports.gateway, command.token)

    def work(session: Session, card: CardToken) -> tuple[int, dict[str, Any]]:
        method, _replaced = attach_card(session, command.account_id, card, ports.clock.now())
        return 201, payment_method_out(method).model_dump(mode="json")

    return ports.idempotency.run_staged(
        f"account:{command.account_id}", command.idempotency_key,
        command.request_fingerprint, outside, work, keep=True,
    )
