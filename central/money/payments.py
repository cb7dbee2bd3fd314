"""Cards on file (rule 13: one per account, a new one replaces it) and the problems of
charging them. A card is charged only through a charge record
(:mod:`central.money.charges`), never from here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from central.kernel.ports import UnitOfWork
from central.kernel.problems import ProblemError
from central.money.gateway import (
    CardToken,
    ChargeResult,
    GatewayUnavailable,
    PaymentGateway,
    UnknownToken,
)
from central.money.ledger import lock_account
from central.money.models import PaymentMethod
from central.money.schemas import PaymentMethodOut


@dataclass(frozen=True)
class CardOnFile:
    payment_method_id: str
    token: str
    brand: str
    last4: str
    exp_month: int
    exp_year: int


def payment_method_out(method: PaymentMethod) -> PaymentMethodOut:
    return PaymentMethodOut.model_validate({
        "id": method.id, "brand": method.brand, "last4": method.last4,
        "exp_month": method.exp_month, "exp_year": method.exp_year,
        "created_at": method.created_at,
    })


def active_methods(session: Session, account_id: str) -> list[PaymentMethod]:
    return list(session.execute(
        select(PaymentMethod)
        .where(PaymentMethod.account_id == account_id, PaymentMethod.removed_at.is_(None))
        .order_by(PaymentMethod.created_at.desc())
    ).scalars())


def card_on_file(session: Session, account_id: str) -> CardOnFile | None:
    methods = active_methods(session, account_id)
    if not methods:
        return None
    m = methods[0]
    return CardOnFile(m.id, m.gateway_token, m.brand, m.last4, m.exp_month, m.exp_year)


def cards_on_file(session: Session, account_ids: Sequence[str]) -> dict[str, CardOnFile]:
    """:func:`card_on_file` of several accounts in one query (a renewal batch's)."""
    cards: dict[str, CardOnFile] = {}
    for m in session.execute(
        select(PaymentMethod)
        .where(PaymentMethod.account_id.in_(account_ids), PaymentMethod.removed_at.is_(None))
        .order_by(PaymentMethod.created_at.desc())
    ).scalars():
        cards.setdefault(m.account_id, CardOnFile(m.id, m.gateway_token, m.brand, m.last4,
                                                  m.exp_month, m.exp_year))
    return cards


def unavailable_problem(exc: GatewayUnavailable) -> ProblemError:
    """The 503 for a processor that could not be asked or could not answer yet. Nothing is
    known about the charge, which stays PENDING; the request's Idempotency-Key is not used
    up, so the same request again (after Retry-After) asks under the same gateway key and
    never charges twice."""
    return ProblemError(
        503, "gateway_unavailable", "The payment processor cannot be reached",
        "Try again in a moment with the same Idempotency-Key: it never charges twice.",
        headers={"Retry-After": str(exc.retry_after_seconds)})


def describe_token(gateway: PaymentGateway, token: str) -> CardToken:
    """What the gateway knows of a token, as a 422 problem when it knows nothing."""
    try:
        return gateway.describe(token)
    except UnknownToken:
        raise ProblemError(422, "card_token_invalid", "This card token is not known",
                           "Tokenize the card again.", field="token") from None


def attach_card(
    session: Session, account_id: str, card: CardToken, now: datetime
) -> tuple[PaymentMethod, list[str]]:
    """Put a tokenized card on file, removing any card it replaces; returns the new method
    and the ids of the replaced ones."""
    if (card.exp_year, card.exp_month) < (now.year, now.month):
        raise ProblemError(422, "card_expired", "This card has expired", field="token")
    # Two additions at once must not both see "no card yet" and leave two cards on file
    # (PostgreSQL runs them side by side; SQLite's BEGIN IMMEDIATE already queues them).
    lock_account(session, account_id)
    elsewhere = session.execute(
        select(PaymentMethod.id).where(
            PaymentMethod.gateway_token == card.token,
            PaymentMethod.account_id != account_id,
            PaymentMethod.removed_at.is_(None),
        )
    ).first()
    if elsewhere is not None:
        raise ProblemError(409, "card_token_in_use",
                           "This card token belongs to another account", field="token")
    replaced = []
    for old in active_methods(session, account_id):
        old.removed_at = now
        replaced.append(old.id)
    method = PaymentMethod(
        account_id=account_id, gateway_token=card.token, brand=card.brand.value,
        last4=card.last4, exp_month=card.exp_month, exp_year=card.exp_year, created_at=now,
    )
    session.add(method)
    session.flush()
    return method, replaced


@dataclass(frozen=True)
class RemoveCard:
    account_id: str
    payment_method_id: str


def remove_card(command: RemoveCard, ports: UnitOfWork) -> None:
    """Take a card off file (its row stays, for the history of charges); 404 for a card
    that is not this account's, or is removed already."""
    with ports.db.transaction() as session:
        method = session.get(PaymentMethod, command.payment_method_id)
        if (method is None or method.account_id != command.account_id
                or method.removed_at is not None):
            raise ProblemError(404, "payment_method_unknown", "No such card on file")
        method.removed_at = ports.clock.now()


def decline_problem(result: ChargeResult) -> ProblemError:
    return declined_problem(result.decline_code.value if result.decline_code else None)


def declined_problem(decline_code: str | None) -> ProblemError:
    """The 402 problem for a declined charge; its ``code`` is the gateway's decline code."""
    code = decline_code or "card_declined"
    details = {
        "card_declined": "The card was declined. Try another card.",
        "insufficient_funds": "The card has insufficient funds. Try a smaller amount or "
                              "another card.",
        "card_expired": "The card has expired. Add a new card.",
        "authentication_required": "This card needs approval in the bank's app, which "
                                   "this kiosk cannot do. Use another card.",
    }
    return ProblemError(402, code, "The card was not charged", details.get(code))


def no_card_problem() -> ProblemError:
    return ProblemError(409, "no_card_on_file", "There is no card on file",
                        "Add a card first.")
