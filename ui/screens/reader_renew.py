"""Renew now on the card reader (rule 6): the next month of a subscription that renews by
hand, collected by the reader when the family has no card on file or chooses the reader,
then the renewal's receipt (docs/devices.md "The card reader")."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.domain import ReaderPayment
from kiosk.flows import keys as k
from kiosk.flows.reader import READER_RENEW
from kiosk.flows.subscriptions import chosen_subscription, renew_on_reader
from ui.formats import day
from ui.screens.reader_pay import ReaderPayScreen, approved_card


class ReaderRenewScreen(ReaderPayScreen):
    """Completes with the subscription whose next period the approved card paid
    (``managed``), for the renewal's receipt."""

    name = READER_RENEW
    back_step = "manage_confirm"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.retranslateUi()

    def amount_cents(self) -> int | None:
        subscription = chosen_subscription(self.data)
        if subscription is None or subscription.price_cents < 1:
            return None
        return subscription.price_cents

    def start_request(self, save_card: bool) -> object | None:
        return renew_on_reader(self.data, save_card)

    def completion(self, payment: ReaderPayment) -> dict[str, Any] | None:
        if payment.subscription is None:
            return None
        card = approved_card(payment)
        return {k.MANAGED: payment.subscription, **({k.PAID_WITH: card} if card else {})}

    def refunded_code(self) -> str:
        # Another payment paid the same month first: this card's payment is given back.
        return "already_renewed"

    def back_target(self) -> str:
        # A changed price: the list shows the subscription as the server has it now.
        if self.ended_code == "quote_changed":
            return "manage_list"
        return self.back_step

    def keep_card_text(self) -> str:
        return self.tr("Keep this card on file to pay with one touch next time. You can"
                       " remove it at any time.")

    def ready_title(self) -> str:
        subscription = chosen_subscription(self.data)
        if subscription is None:
            return self.tr("Renew on the card reader")
        return self.tr("Renew {plan}").format(plan=subscription.plan_name)

    def ready_note(self) -> str:
        subscription = chosen_subscription(self.data)
        if subscription is None:
            return super().ready_note()
        return self.tr("The next month starts on {date}. You pay on the card reader beside"
                       " this screen.").format(date=day(subscription.period_end))
