"""The account overview a signed-in family sees: who they are and their loved ones
(identity), balance and cards (money), active subscriptions (plans). It reads three
capabilities, so it lives in the highest of them; identity knows nothing of money or plans."""

from __future__ import annotations

from pydantic import Field
from sqlalchemy.orm import Session

from central.identity.accounts import account_out
from central.identity.models import Account
from central.identity.schemas import AccountOut
from central.kernel.problems import ProblemError
from central.money.ledger import balance_cents
from central.money.payments import active_methods, payment_method_out
from central.money.schemas import PaymentMethodOut
from central.plans.schemas import SubscriptionOut


class AccountDetail(AccountOut):
    balance_cents: int
    payment_methods: list[PaymentMethodOut]
    subscriptions: list[SubscriptionOut] = Field(
        default_factory=list, description="Active subscriptions, with usage this period"
    )


def account_detail(session: Session, account_id: str) -> AccountDetail:
    """The overview without its subscriptions (the route adds them): balance, loved ones,
    card on file."""
    account = session.get(Account, account_id)
    if account is None:
        raise ProblemError(404, "account_unknown", "No such account")
    return AccountDetail(
        **account_out(session, account).model_dump(),
        balance_cents=balance_cents(session, account_id),
        payment_methods=[payment_method_out(m) for m in active_methods(session, account_id)],
    )
