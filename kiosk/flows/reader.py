"""Paying on the kiosk's card reader (docs/devices.md "The card reader"): the deposit's
total and a plan's price are collected by the reader the server drives, so no card number
is typed on the touchscreen. The reader's screens (``reader_deposit``, ``reader_plan``,
``reader_renew``)
start the payment with these requests, show the reader's states, and complete with what
the payment bought; typing a card number stays for staff at a facility that allows it."""

from __future__ import annotations

from kiosk.flows import keys as k
from kiosk.flows.engine import Data, Step
from kiosk.requests import BuyPlanOnReader, DepositOnReader

READER_DEPOSIT = "reader_deposit"
READER_PLAN = "reader_plan"
READER_RENEW = "reader_renew"


def deposit_on_reader(data: Data, save_card: bool) -> DepositOnReader | None:
    """The quoted deposit, collected on the reader: the total the family saw goes along
    (the server refuses if it changed meanwhile)."""
    quote = k.DEPOSIT_QUOTE.of(data)
    if quote is None:
        return None
    return DepositOnReader(quote.amount_cents, quote.total_cents, save_card)


def plan_on_reader(data: Data, save_card: bool) -> BuyPlanOnReader | None:
    """The quoted plan, collected on the reader, once its no-refund terms were accepted."""
    quote = k.SUBSCRIPTION_QUOTE.of(data)
    if quote is None or k.TERMS_ACCEPTED.of(data) != quote.terms_version:
        return None
    return BuyPlanOnReader(quote.plan_id, quote.renewal_mode, quote.terms_version,
                           quote.price_cents, save_card)


def on_reader(data: Data) -> bool:
    """The family chose the card reader on the quote's screen (``pay_on_reader``)."""
    return k.PAY_ON_READER.of(data) is True


def may_type_card(data: Data) -> bool:
    """Typing a card number is offered only to staff signed in at a facility that allows
    keyed entry (docs/payments.md "Keyed entry"); a family pays on the reader."""
    staff = k.STAFF.of(data)
    return staff is not None and staff.keyed_entry and not staff.offline


def reader_step(following: str) -> Step:
    """The reader's screen: it starts the payment itself (Pay on the reader), shows the
    reader's states, and completes with the receipt's data when the card was approved.
    No Back in the header: its own Cancel stops the reader first."""
    return Step(following, back=False)
