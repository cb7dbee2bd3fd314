"""AdvanceConnect deposits by card on file: the handler a route calls, and the effect of an
approved deposit charge (the journal and the receipt), which the reconciler applies too."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from central.clock import Clock
from central.idempotency import StoredResponse, fingerprint
from central.identity.models import Account
from central.mail.notifications import CardOnFile as NoticeCard
from central.mail.notifications import DepositReceipt, deposit_receipt
from central.mail.outbox import facility_ref, queue_mail, recipient_of
from central.money import ledger
from central.money.advance_connect import quote_deposit
from central.money.charges import ChargeSpec, ChargeView, Ports, open_charge, owner, pay
from central.money.models import Charge, ChargePurpose, LedgerJournal
from central.money.payments import card_on_file, no_card_problem
from central.money.schemas import CardSummary, DepositOut
from central.plans.models import Facility
from central.problems import ProblemError


@dataclass(frozen=True)
class MakeDeposit:
    account_id: str
    amount_cents: int
    # The total the family saw on the quote; None when the kiosk did not send it.
    total_cents: int | None
    idempotency_key: str


def deposit_charge_key(account_id: str, idempotency_key: str) -> str:
    """Derived from the request's key, so a retry never charges twice."""
    return f"deposit:{account_id}:{idempotency_key}"


class DepositEffect:
    """An approved deposit credits the balance (fee to revenue) and queues the receipt."""

    def apply(self, session: Session, charge: Charge, clock: Clock) -> bool:
        wanted = json.loads(charge.details)
        now = clock.now()
        account_id = owner(charge)
        journal = ledger.post_deposit(
            session, account_id, wanted["amount_cents"], wanted["fee_cents"],
            reference=f"charge:{charge.gateway_charge_id}", now=now,
            description=f"Deposit, {wanted['brand']} ending {wanted['last4']}",
            charge_id=charge.id,
        )
        account = session.get_one(Account, account_id)
        queue_mail(session, deposit_receipt(DepositReceipt(
            recipient=recipient_of(account),
            facility=facility_ref(session.get_one(Facility, wanted["facility_id"])),
            amount_cents=wanted["amount_cents"], fee_cents=wanted["fee_cents"],
            total_cents=charge.amount_cents,
            balance_cents=ledger.balance_cents(session, account_id),
            card=NoticeCard(brand=wanted["brand"], last4=wanted["last4"]),
            paid_at=now, reference=journal.id,
        )), f"receipt:deposit:{journal.id}", clock)
        return True

    def declined(self, session: Session, charge: Charge, clock: Clock) -> None:
        """A declined deposit posts nothing; the 402 tells the family."""


DEPOSIT = DepositEffect()


def deposit_out(session: Session, charge: ChargeView) -> DepositOut:
    journal = session.execute(
        select(LedgerJournal).where(LedgerJournal.charge_id == charge.id)
    ).scalar_one()
    return DepositOut(
        transaction_id=journal.id, amount_cents=charge.details["amount_cents"],
        fee_cents=charge.details["fee_cents"], total_cents=charge.amount_cents,
        balance_cents=ledger.balance_cents(session, owner(charge)),
        card=CardSummary.model_validate({"brand": charge.details["brand"],
                                         "last4": charge.details["last4"]}),
        created_at=journal.created_at,
    )


def make_deposit(command: MakeDeposit, ports: Ports) -> StoredResponse:
    """Charge the card on file for amount + fee and credit the balance (201). A decline is
    402 and posts nothing. The charge row is committed before the gateway is asked, so a
    crash or a lost answer leaves a PENDING charge that a retry with the same key or the
    reconciler settles; a retry charges the card the first attempt used, even if the
    family has replaced it since."""
    account_id = command.account_id

    def outside() -> ChargeView:
        with ports.db.transaction() as session:
            now = ports.clock.now()
            quoted = quote_deposit(session, account_id, command.amount_cents, now)
            if command.total_cents is not None and command.total_cents != quoted.total_cents:
                raise ProblemError(409, "quote_changed", "The total has changed since the quote",
                                   f"The total is now {quoted.total_cents} cents; quote again.",
                                   field="total_cents")
            card = card_on_file(session, account_id)
            if card is None:
                raise no_card_problem()
            charge = open_charge(session, ChargeSpec(
                purpose=ChargePurpose.DEPOSIT, account_id=account_id,
                amount_cents=quoted.total_cents,
                gateway_key=deposit_charge_key(account_id, command.idempotency_key),
                card=card,
                details={"amount_cents": quoted.amount_cents, "fee_cents": quoted.fee_cents,
                         "facility_id": quoted.facility_id, "brand": card.brand,
                         "last4": card.last4},
            ), now)
        # The gateway has no charge to refund for a deposit whose effect cannot happen:
        # posting a deposit always can.
        return pay(ports, charge, DEPOSIT, ProblemError(500, "deposit_not_posted",
                                                        "The deposit could not be posted"))

    def work(session: Session, charge: ChargeView) -> tuple[int, dict[str, Any]]:
        return 201, deposit_out(session, charge).model_dump(mode="json")

    return ports.idempotency.run_staged(
        f"account:{account_id}", command.idempotency_key,
        fingerprint("POST deposits", {"amount_cents": command.amount_cents,
                                      "total_cents": command.total_cents}),
        outside, work, keep=True,
    )
