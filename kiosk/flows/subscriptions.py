"""Buying a subscription (a facility's plan, the renewal choice, the server's quote with the
no-refund terms accepted before paying, the receipt) and managing the ones a family has
(cancel, resume, switch renewal, renew now, update the card)."""

from __future__ import annotations

from kiosk.domain import SubscriptionView
from kiosk.flows import keys as k
from kiosk.flows.engine import Data, Journey, Step, language_of
from kiosk.flows.money import CARD_KEYS, card_step, card_to_charge
from kiosk.flows.reader import READER_PLAN, READER_RENEW, on_reader, reader_step
from kiosk.requests import (
    BuySubscription,
    LoadAccount,
    LoadPlans,
    LoadRates,
    ManageSubscription,
    QuoteSubscription,
    RenewOnReader,
)


def _plans(data: Data) -> LoadPlans | None:
    account = k.ACCOUNT.of(data)
    if account is None or not account.loved_ones:
        return None
    # Plans are the facility's: the first loved one's facility, where the calls happen.
    return LoadPlans(account.loved_ones[0].facility_id, language_of(data))


def _quote(data: Data) -> QuoteSubscription | None:
    plan, mode = k.PLAN.of(data), k.RENEWAL_MODE.of(data)
    if plan is None or mode not in ("auto", "manual"):
        return None
    return QuoteSubscription(plan.id, mode, language_of(data))


def _buy(data: Data) -> BuySubscription | None:
    quote, card = k.SUBSCRIPTION_QUOTE.of(data), card_to_charge(data)
    if quote is None or card is None:
        return None
    if k.TERMS_ACCEPTED.of(data) != quote.terms_version:
        return None  # the no-refund terms shown are accepted before anything is paid
    # The price the family saw goes along: the server refuses if it changed meanwhile.
    return BuySubscription(quote.plan_id, quote.renewal_mode, card.id, quote.terms_version,
                           quote.price_cents)


def _after_terms(data: Data) -> str:
    return READER_PLAN if on_reader(data) else "buy_receipt"


BUY = Journey(
    name="buy",
    first="buy_plan",
    steps={
        "buy_plan": Step("buy_renewal", provides=(k.PLAN,), load=_plans, result=k.PLANS,
                         clears=(k.PAID_WITH,)),
        "buy_renewal": Step(
            "buy_terms", provides=(k.RENEWAL_MODE,), submit=_quote, result=k.SUBSCRIPTION_QUOTE
        ),
        # Paid with the card on file, or on the card reader's own screen next.
        "buy_terms": Step(_after_terms, provides=(k.TERMS_ACCEPTED,), submit=_buy,
                          result=k.PURCHASE, submit_unless=on_reader),
        "card_entry": card_step("buy_terms"),
        READER_PLAN: reader_step("buy_receipt"),
        "buy_receipt": Step("account:", back=False),
    },
    sensitive=CARD_KEYS,
    # A changed price (or terms) sends the family back to the renewal choice, which asks
    # for a new quote: the terms screen then shows the new price, to accept again.
    code_steps={"plan_not_offered": "buy_plan", "terms_changed": "buy_renewal",
                "quote_changed": "buy_renewal", "keyed_entry_not_allowed": READER_PLAN},
)


def chosen_subscription(data: Data) -> SubscriptionView | None:
    """The subscription the family chose to change on the manage screen."""
    chosen, account = k.MANAGE_ACTION.of(data), k.ACCOUNT.of(data)
    if chosen is None or account is None:
        return None
    return next((s for s in account.subscriptions if s.id == chosen[0]), None)


def _manage(data: Data) -> ManageSubscription | None:
    chosen, subscription = k.MANAGE_ACTION.of(data), chosen_subscription(data)
    if subscription is None or chosen is None:
        return None
    card = card_to_charge(data)
    return ManageSubscription(subscription.id, str(chosen[1]), card.id if card else "")


def renews_on_reader(data: Data) -> bool:
    """Renew-now paid on the card reader: the family has no card on file, or chose the
    reader on the confirmation (``pay_on_reader``)."""
    chosen = k.MANAGE_ACTION.of(data)
    return chosen is not None and chosen[1] == "renew_now" and on_reader(data)


def renew_on_reader(data: Data, save_card: bool) -> RenewOnReader | None:
    """The chosen subscription's next period, collected on the reader at the price the
    family was shown (the server refuses if it is no longer that)."""
    chosen, subscription = k.MANAGE_ACTION.of(data), chosen_subscription(data)
    if chosen is None or chosen[1] != "renew_now" or subscription is None:
        return None
    if subscription.price_cents < 1:
        return None
    return RenewOnReader(subscription.id, subscription.price_cents, save_card)


def _after_manage_confirm(data: Data) -> str:
    return READER_RENEW if renews_on_reader(data) else "manage_list"


MANAGE = Journey(
    name="manage",
    first="manage_list",
    steps={
        # Shown fresh each time: after a change the family sees what the server now says.
        "manage_list": Step(
            "manage_confirm", provides=(k.MANAGE_ACTION,),
            load=lambda d: LoadAccount(language_of(d)),
            result=k.ACCOUNT,
        ),
        # Renew-now with the card on file, or on the card reader's own screen next.
        "manage_confirm": Step(_after_manage_confirm,
                               submit=_manage, result=k.MANAGED,
                               submit_unless=renews_on_reader),
        "card_entry": card_step("manage_list"),
        READER_RENEW: reader_step("renew_receipt"),
        "renew_receipt": Step("account:", back=False),
    },
    sensitive=CARD_KEYS,
    # A changed price: the list shows what the server says now.
    code_steps={"quote_changed": "manage_list", "keyed_entry_not_allowed": READER_RENEW},
)


def _rates(data: Data) -> LoadRates | None:
    request = _plans(data)
    return None if request is None else LoadRates(request.facility_id)


# What a subscription does not cover, and what those calls cost at the facility.
UNCOVERED = Journey(
    name="uncovered",
    first="uncovered_calls",
    steps={"uncovered_calls": Step("account:", load=_rates, result=k.RATES)},
)
