"""Buying a subscription (a facility's plan, the renewal choice, the server's quote with the
no-refund terms accepted before paying, the receipt) and managing the ones a family has
(cancel, resume, switch renewal, renew now, update the card)."""

from __future__ import annotations

from kiosk.domain import AccountView, PlanView, SubscriptionQuote, SubscriptionView
from kiosk.flows.engine import Data, Journey, Step
from kiosk.flows.money import CARD_KEYS, card_step, card_to_charge
from kiosk.requests import (
    BuySubscription,
    LoadAccount,
    LoadPlans,
    LoadRates,
    ManageSubscription,
    QuoteSubscription,
)


def _plans(data: Data) -> LoadPlans | None:
    account = data.get("account")
    if not isinstance(account, AccountView) or not account.loved_ones:
        return None
    # Plans are the facility's: the first loved one's facility, where the calls happen.
    return LoadPlans(account.loved_ones[0].facility_id)


def _quote(data: Data) -> QuoteSubscription | None:
    plan, mode = data.get("plan"), data.get("renewal_mode")
    if not isinstance(plan, PlanView) or mode not in ("auto", "manual"):
        return None
    return QuoteSubscription(plan.id, str(mode))


def _buy(data: Data) -> BuySubscription | None:
    quote, card = data.get("subscription_quote"), card_to_charge(data)
    if not isinstance(quote, SubscriptionQuote) or card is None:
        return None
    if data.get("terms_accepted") != quote.terms_version:
        return None  # the no-refund terms shown are accepted before anything is paid
    return BuySubscription(quote.plan_id, quote.renewal_mode, card.id, quote.terms_version)


BUY = Journey(
    name="buy",
    first="buy_plan",
    steps={
        "buy_plan": Step("buy_renewal", provides=("plan",), load=_plans, result="plans"),
        "buy_renewal": Step(
            "buy_terms", provides=("renewal_mode",), submit=_quote, result="subscription_quote"
        ),
        "buy_terms": Step("buy_receipt", provides=("terms_accepted",), submit=_buy,
                          result="purchase"),
        "card_entry": card_step("buy_terms"),
        "buy_receipt": Step("account:", back=False),
    },
    sensitive=CARD_KEYS,
    code_steps={"plan_not_offered": "buy_plan", "terms_changed": "buy_renewal"},
)


def chosen_subscription(data: Data) -> SubscriptionView | None:
    """The subscription the family chose to change on the manage screen."""
    chosen, account = data.get("manage_action"), data.get("account")
    if not (isinstance(chosen, tuple) and isinstance(account, AccountView)):
        return None
    return next((s for s in account.subscriptions if s.id == chosen[0]), None)


def _manage(data: Data) -> ManageSubscription | None:
    chosen, subscription = data.get("manage_action"), chosen_subscription(data)
    if subscription is None or not isinstance(chosen, tuple):
        return None
    card = card_to_charge(data)
    return ManageSubscription(subscription.id, str(chosen[1]), card.id if card else "")


MANAGE = Journey(
    name="manage",
    first="manage_list",
    steps={
        # Shown fresh each time: after a change the family sees what the server now says.
        "manage_list": Step(
            "manage_confirm", provides=("manage_action",), load=lambda _d: LoadAccount(),
            result="account",
        ),
        "manage_confirm": Step("manage_list", submit=_manage, result="managed"),
        "card_entry": card_step("manage_list"),
    },
    sensitive=CARD_KEYS,
)


def _rates(data: Data) -> LoadRates | None:
    request = _plans(data)
    return None if request is None else LoadRates(request.facility_id)


# What a subscription does not cover, and what those calls cost at the facility.
UNCOVERED = Journey(
    name="uncovered",
    first="uncovered_calls",
    steps={"uncovered_calls": Step("account:", load=_rates, result="rates")},
)
