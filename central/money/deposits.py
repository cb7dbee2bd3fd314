"""AdvanceConnect deposits by card on file: the handler a route calls, and the effect of an
approved deposit charge (the journal and the receipt), which the reconciler applies too."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from central.identity.models import Account
from central.kernel.clock import Clock
from central.kernel.facilities import Facility
from central.kernel.idempotency import StoredResponse, fingerprint
from central.kernel.problems import ProblemError
from central.mail.notifications import CardOnFile as NoticeCard
from central.mail.notifications import DepositReceipt, deposit_receipt
from central.mail.outbox import facility_ref, queue_mail, recipient_of
from central.money import ledger
from central.money.advance_connect import quote_deposit
from central.money.charges import (
    ChargeSpec,
    ChargeView,
    Ports,
    open_charge,
    owner,
    pay,
    unfinished_charge,
    unfinished_problem,
)
from central.money.effects import ChargeDetails, ChargeEffects
from central.money.models import Charge, ChargePurpose, LedgerJournal
from central.money.payments import card_on_file, no_card_problem
from central.money.schemas import CardSummary, DepositOut


@dataclass(frozen=True)
class MakeDeposit:
    account_id: str
    amount_cents: int
    # The total the family saw on the quote; None when the kiosk did not send it.
    total_cents: int | None
    idempotency_key: str


class DepositDetails(ChargeDetails):
    """What a deposit charge remembers: the quote's split and the card shown on the receipt."""

    version: Literal[1] = 1
    amount_cents: int
    fee_cents: int
    facility_id: str
    brand: str
    last4: str


def deposit_details(charge: Charge | ChargeView) -> DepositDetails:
    return DepositDetails.model_validate_json(charge.details)


def deposit_charge_key(account_id: str, idempotency_key: str) -> str:
    """Derived from the request's key, so a retry never charges twice."""
    return f"deposit:{account_id}:{idempotency_key}"


class DepositEffect:
    """An approved deposit credits the balance (fee to revenue) and queues the receipt."""

    def apply(self, session: Session, charge: Charge, clock: Clock) -> bool:
        wanted = deposit_details(charge)
        now = clock.now()
        account_id = owner(charge)
        journal = ledger.post_deposit(
            session, account_id, wanted.amount_cents, wanted.fee_cents,
            reference=f"charge:{charge.gateway_charge_id}", now=now,
            description=(f"Deposit, {wanted.brand} ending {wanted.last4}" if wanted.last4
                         else "Deposit, card on the reader"),
            charge_id=charge.id,
        )
        account = session.get_one(Account, account_id)
        queue_mail(session, deposit_receipt(DepositReceipt(
            recipient=recipient_of(account),
            facility=facility_ref(session.get_one(Facility, wanted.facility_id)),
            amount_cents=wanted.amount_cents, fee_cents=wanted.fee_cents,
            total_cents=charge.amount_cents,
            balance_cents=ledger.balance_cents(session, account_id),
            # A reader deposit settled by Stripe's webhook or the reconciler before the
            # kiosk's look does not know the card yet: its receipt says "card".
            card=NoticeCard(brand=wanted.brand, last4=wanted.last4) if wanted.last4 else None,
            paid_at=now, reference=journal.id,
        )), f"receipt:deposit:{journal.id}", clock)
        return True

    def declined(self, session: Session, charge: Charge, clock: Clock) -> None:
        """A declined deposit posts nothing; the 402 tells the family."""


DEPOSIT = DepositEffect()


def register_effects(effects: ChargeEffects) -> None:
    """Money's own part of the charge effects: what a settled deposit does."""
    effects.register(ChargePurpose.DEPOSIT, DEPOSIT)
    effects.register_facility_of(ChargePurpose.DEPOSIT, deposit_facility)


def deposit_facility(_session: Session, charge: Charge) -> str | None:
    """The facility a deposit was quoted at, read from the raw JSON: the details model may
    be what cannot be read."""
    try:
        found = json.loads(charge.details).get("facility_id")
    except (ValueError, AttributeError):
        return None
    return found if isinstance(found, str) else None


def deposit_out(session: Session, charge: ChargeView) -> DepositOut:
    journal = session.execute(
        select(LedgerJournal).where(LedgerJournal.charge_id == charge.id)
    ).scalar_one()
    details = deposit_details(charge)
    return DepositOut(
        transaction_id=journal.id, amount_cents=details.amount_cents,
        fee_cents=details.fee_cents, total_cents=charge.amount_cents,
        balance_cents=ledger.balance_cents(session, owner(charge)),
        card=CardSummary.model_validate({"brand": details.brand, "last4": details.last4}),
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
            key = deposit_charge_key(account_id, command.idempotency_key)
            stuck = unfinished_charge(session, account_id, ChargePurpose.DEPOSIT, key)
            if stuck is not None:  # the family was told not to pay again: nothing is charged
                raise unfinished_problem(stuck)
            charge = open_charge(session, ChargeSpec(
                purpose=ChargePurpose.DEPOSIT, account_id=account_id,
                amount_cents=quoted.total_cents,
                gateway_key=key, card=card,
                details=DepositDetails(amount_cents=quoted.amount_cents,
                                       fee_cents=quoted.fee_cents,
                                       facility_id=quoted.facility_id, brand=card.brand,
                                       last4=card.last4),
            ), now, ports.gateway.name)
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
