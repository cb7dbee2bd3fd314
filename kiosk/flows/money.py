"""Funding AdvanceConnect: amount, the server's quote with the card to charge, an optional
new card typed on the kiosk's card keypad, then the receipt. And the family's payments:
recent transactions, and asking for the balance back."""

from __future__ import annotations

from kiosk.domain import AccountView, CardView, DepositQuote
from kiosk.flows.engine import Data, Journey, Step
from kiosk.requests import Deposit, LoadTransactions, QuoteDeposit, RequestRefund, SaveCard

PRESET_CENTS = (1000, 2000, 5000, 10000)
CARD_KEYS = frozenset({"card_number", "card_cvc"})


def card_to_charge(data: Data) -> CardView | None:
    """A card put on file in this session, else the account's card on file."""
    new_card, account = data.get("new_card"), data.get("account")
    if isinstance(new_card, CardView):
        return new_card
    return account.card if isinstance(account, AccountView) else None


def _quote(data: Data) -> QuoteDeposit | None:
    amount = data.get("amount_cents")
    return QuoteDeposit(amount) if isinstance(amount, int) else None


def _deposit(data: Data) -> Deposit | None:
    quote = data.get("deposit_quote")
    if not isinstance(quote, DepositQuote):
        return None
    # The total the family saw goes along: the server refuses if it changed meanwhile.
    return Deposit(quote.amount_cents, quote.total_cents)


def save_card(data: Data) -> SaveCard | None:
    number, cvc, expiry = data.get("card_number"), data.get("card_cvc"), data.get("card_expiry")
    if not (isinstance(number, str) and isinstance(cvc, str) and isinstance(expiry, tuple)):
        return None
    return SaveCard(number, expiry[0], expiry[1], cvc)


def card_step(following: str) -> Step:
    """The card keypad; the card goes on file at once, then ``following`` is shown."""
    return Step(
        following,
        provides=("card_number", "card_expiry", "card_cvc", "card_zip"),
        submit=save_card,
        result="new_card",
    )


DEPOSIT = Journey(
    name="deposit",
    first="deposit_amount",
    steps={
        # Shown with a quote of the smallest preset: it brings the limits and the fee.
        "deposit_amount": Step(
            "deposit_confirm",
            provides=("amount_cents",),
            load=lambda _d: QuoteDeposit(PRESET_CENTS[0]),
            submit=_quote,
            result="deposit_quote",
        ),
        "deposit_confirm": Step("deposit_receipt", submit=_deposit, result="deposit_receipt"),
        "card_entry": card_step("deposit_confirm"),
        "deposit_receipt": Step("account:", back=False),
    },
    sensitive=CARD_KEYS,
    field_steps={"amount_cents": "deposit_amount"},
)


def _transactions(data: Data) -> LoadTransactions | None:
    account = data.get("account")
    if not isinstance(account, AccountView) or not account.loved_ones:
        return None
    # Dated in the time zone of the first loved one's facility, where the calls happen.
    return LoadTransactions(account.loved_ones[0].facility_id)


PAYMENTS = Journey(
    name="payments",
    first="transactions",
    steps={
        # "Ask for a refund" completes the list; "Done" jumps back to the account.
        "transactions": Step("refund_confirm", load=_transactions, result="transactions"),
        "refund_confirm": Step("refund_receipt", submit=lambda _d: RequestRefund(),
                               result="refund"),
        "refund_receipt": Step("account:", back=False),
    },
)
