"""Putting a card on file (rule 13): the handler the route calls. The gateway is asked what
the token is outside any transaction; the new card replaces the one on file at once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from central.idempotency import StoredResponse
from central.money.charges import Ports
from central.money.gateway import CardToken
from central.money.payments import attach_card, describe_token, payment_method_out


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
