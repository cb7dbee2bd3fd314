"""Funding AdvanceConnect: amount, the server's quote with the card to charge, an optional
new card typed on the kiosk's card keypad, then the receipt. And the family's payments:
recent transactions, and asking for the balance back."""

from __future__ import annotations

from kiosk.domain import CardView
from kiosk.flows import keys as k
from kiosk.flows.engine import Data, Journey, Step
from kiosk.flows.reader import READER_DEPOSIT, on_reader, reader_step
from kiosk.requests import Deposit, LoadTransactions, QuoteDeposit, RequestRefund, SaveCard

PRESET_CENTS = (1000, 2000, 5000, 10000)
CARD_KEYS = frozenset({k.CARD_NUMBER, k.CARD_CVC})


def card_to_charge(data: Data) -> CardView | None:
    """A card put on file in this session, else the account's card on file."""
    new_card, account = k.NEW_CARD.of(data), k.ACCOUNT.of(data)
    if new_card is not None:
        return new_card
    return account.card if account is not None else None


def _quote(data: Data) -> QuoteDeposit | None:
    amount = k.AMOUNT_CENTS.of(data)
    return QuoteDeposit(amount) if amount is not None else None


def _deposit(data: Data) -> Deposit | None:
    quote = k.DEPOSIT_QUOTE.of(data)
    if quote is None:
        return None
    # The total the family saw goes along: the server refuses if it changed meanwhile.
    return Deposit(quote.amount_cents, quote.total_cents)


def save_card(data: Data) -> SaveCard | None:
    number, cvc, expiry = k.CARD_NUMBER.of(data), k.CARD_CVC.of(data), k.CARD_EXPIRY.of(data)
    if number is None or cvc is None or expiry is None:
        return None
    return SaveCard(number, expiry[0], expiry[1], cvc)


def card_step(following: str) -> Step:
    """The card keypad; the card goes on file at once, then ``following`` is shown."""
    return Step(
        following,
        provides=(k.CARD_NUMBER, k.CARD_EXPIRY, k.CARD_CVC, k.CARD_ZIP),
        submit=save_card,
        result=k.NEW_CARD,
    )


def _after_confirm(data: Data) -> str:
    return READER_DEPOSIT if on_reader(data) else "deposit_receipt"


DEPOSIT = Journey(
    name="deposit",
    first="deposit_amount",
    steps={
        # Shown with a quote of the smallest preset: it brings the limits and the fee.
        "deposit_amount": Step(
            "deposit_confirm",
            provides=(k.AMOUNT_CENTS,),
            load=lambda _d: QuoteDeposit(PRESET_CENTS[0]),
            submit=_quote,
            result=k.DEPOSIT_QUOTE,
        ),
        # Paid with the card on file, or on the card reader's own screen next.
        "deposit_confirm": Step(_after_confirm, submit=_deposit, result=k.DEPOSIT_RECEIPT,
                                submit_unless=on_reader),
        "card_entry": card_step("deposit_confirm"),
        READER_DEPOSIT: reader_step("deposit_receipt"),
        "deposit_receipt": Step("account:", back=False),
    },
    sensitive=CARD_KEYS,
    field_steps={k.AMOUNT_CENTS: "deposit_amount"},
    # A typed card where the facility takes cards on its reader only: back to the reader.
    code_steps={"keyed_entry_not_allowed": READER_DEPOSIT},
)


def _transactions(data: Data) -> LoadTransactions | None:
    account = k.ACCOUNT.of(data)
    if account is None or not account.loved_ones:
        return None
    # Dated in the time zone of the first loved one's facility, where the calls happen.
    return LoadTransactions(account.loved_ones[0].facility_id)


PAYMENTS = Journey(
    name="payments",
    first="transactions",
    steps={
        # "Ask for a refund" completes the list; "Done" jumps back to the account.
        "transactions": Step("refund_confirm", load=_transactions, result=k.TRANSACTIONS),
        "refund_confirm": Step("refund_receipt", submit=lambda _d: RequestRefund(),
                               result=k.REFUND),
        "refund_receipt": Step("account:", back=False),
    },
)
