"""AdvanceConnect deposits: limits and the quote (amount, fee, total) a family sees first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from central.identity.models import LinkedResident
from central.kernel.facilities import Facility
from central.kernel.ports import UnitOfWork
from central.kernel.problems import ProblemError
from central.kernel.rules import effective_funding_fee
from central.money.schemas import MAX_DEPOSIT_CENTS, MIN_DEPOSIT_CENTS, DepositQuoteOut


@dataclass(frozen=True)
class DepositQuote:
    facility_id: str
    amount_cents: int
    fee_cents: int

    @property
    def total_cents(self) -> int:
        return self.amount_cents + self.fee_cents


def home_facility(session: Session, account_id: str) -> Facility:
    """The facility of the family's first linked resident: its fee and rates apply."""
    facility = session.execute(
        select(Facility)
        .join(LinkedResident, LinkedResident.facility_id == Facility.id)
        .where(LinkedResident.account_id == account_id)
        .order_by(LinkedResident.id)
        .limit(1)
    ).scalar_one_or_none()
    if facility is None:
        raise ProblemError(409, "no_linked_resident", "The account has no linked resident")
    return facility


def quote_deposit(session: Session, account_id: str, amount_cents: int, now: datetime
                  ) -> DepositQuote:
    if amount_cents < MIN_DEPOSIT_CENTS:
        raise ProblemError(422, "amount_below_minimum", "The deposit is too small",
                           f"Deposit at least {MIN_DEPOSIT_CENTS} cents.", field="amount_cents")
    if amount_cents > MAX_DEPOSIT_CENTS:
        raise ProblemError(422, "amount_above_maximum", "The deposit is too large",
                           f"Deposit at most {MAX_DEPOSIT_CENTS} cents.", field="amount_cents")
    facility = home_facility(session, account_id)
    return DepositQuote(facility.id, amount_cents, effective_funding_fee(facility, now))


@dataclass(frozen=True)
class QuoteDeposit:
    account_id: str
    amount_cents: int


def quote(command: QuoteDeposit, ports: UnitOfWork) -> DepositQuoteOut:
    """What a deposit costs now: amount + the facility's fee = total, with the bounds."""
    with ports.db.transaction() as session:
        return DepositQuoteOut.of(quote_deposit(session, command.account_id,
                                                command.amount_cents, ports.clock.now()))
