"""Balance refund requests (rule 14): the handler a route calls. The whole available balance
moves to refunds payable; money held for a call in progress is not part of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from central.identity.security import token_digest
from central.kernel.idempotency import StoredResponse, fingerprint
from central.money import ledger
from central.money.charges import Ports
from central.money.schemas import RefundRequestOut


@dataclass(frozen=True)
class RequestRefund:
    account_id: str
    idempotency_key: str


def request_balance_refund(command: RequestRefund, ports: Ports) -> StoredResponse:
    """201 with what leaves the balance; 409 ``nothing_to_refund`` when it is zero."""
    account_id = command.account_id

    def work(session: Session) -> tuple[int, dict[str, Any]]:
        reference = "refund:" + token_digest(f"{account_id}:{command.idempotency_key}")
        journal = ledger.request_refund(session, account_id, reference=reference,
                                        now=ports.clock.now())
        out = RefundRequestOut(
            transaction_id=journal.id, amount_cents=-ledger.family_amount(journal),
            balance_cents=ledger.balance_cents(session, account_id), status="requested",
            created_at=journal.created_at,
        )
        return 201, out.model_dump(mode="json")

    return ports.idempotency.run(f"account:{account_id}", command.idempotency_key,
                                 fingerprint("POST refund-requests", {}), work, keep=True)
