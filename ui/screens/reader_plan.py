"""Buy a subscription on the card reader: the quoted price collected by the reader once the
no-refund terms were accepted, then the plan's receipt. Automatic renewal charges the card
kept on file, so it asks the family's consent to keep the card read here (docs/devices.md
"The card reader")."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.domain import ReaderPayment
from kiosk.flows import keys as k
from kiosk.flows.reader import READER_PLAN, plan_on_reader
from ui.screens.reader_pay import ReaderPayScreen, approved_card


class ReaderPlanScreen(ReaderPayScreen):
    """Completes with the subscription the approved card started (``purchase``)."""

    name = READER_PLAN
    back_step = "buy_terms"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.retranslateUi()

    def amount_cents(self) -> int | None:
        quote = k.SUBSCRIPTION_QUOTE.of(self.data)
        return quote.price_cents if quote is not None else None

    def start_request(self, save_card: bool) -> object | None:
        return plan_on_reader(self.data, save_card)

    def completion(self, payment: ReaderPayment) -> dict[str, Any] | None:
        if payment.subscription is None:
            return None
        card = approved_card(payment)
        return {k.PURCHASE: payment.subscription, **({k.PAID_WITH: card} if card else {})}

    def must_keep_card(self) -> bool:
        quote = k.SUBSCRIPTION_QUOTE.of(self.data)
        return quote is not None and quote.renewal_mode == "auto"

    def keep_card_text(self) -> str:
        if self.must_keep_card():
            return self.tr("Keep this card on file: automatic renewal charges it each"
                           " month. You can remove it at any time.")
        return super().keep_card_text()

    def back_target(self) -> str:
        # A changed price or terms: the renewal choice asks for a new quote.
        if self.ended_code in ("quote_changed", "terms_changed"):
            return "buy_renewal"
        return self.back_step

    def ready_title(self) -> str:
        quote = k.SUBSCRIPTION_QUOTE.of(self.data)
        if quote is None:
            return self.tr("Buy a plan on the card reader")
        return self.tr("Buy {plan}").format(plan=quote.plan_name)
