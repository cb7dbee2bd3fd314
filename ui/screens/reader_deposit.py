"""Fund AdvanceConnect on the card reader: the quoted total collected by the reader, then
the deposit's receipt (docs/devices.md "The card reader")."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.domain import ReaderPayment
from kiosk.flows import keys as k
from kiosk.flows.reader import READER_DEPOSIT, deposit_on_reader
from ui.formats import money
from ui.screens.reader_pay import ReaderPayScreen


class ReaderDepositScreen(ReaderPayScreen):
    """Completes with the credited deposit (``deposit_receipt``) once the card is approved."""

    name = READER_DEPOSIT
    back_step = "deposit_confirm"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.retranslateUi()

    def amount_cents(self) -> int | None:
        quote = k.DEPOSIT_QUOTE.of(self.data)
        return quote.total_cents if quote is not None else None

    def start_request(self, save_card: bool) -> object | None:
        return deposit_on_reader(self.data, save_card)

    def completion(self, payment: ReaderPayment) -> dict[str, Any] | None:
        if payment.deposit is None:
            return None
        return {k.DEPOSIT_RECEIPT: payment.deposit}

    def ready_title(self) -> str:
        quote = k.DEPOSIT_QUOTE.of(self.data)
        if quote is None:
            return self.tr("Add money on the card reader")
        return self.tr("Add {amount} to AdvanceConnect").format(
            amount=money(quote.amount_cents))

    def ready_note(self) -> str:
        # Every charge clear: the Pay button says the total, this says what it is made of.
        quote = k.DEPOSIT_QUOTE.of(self.data)
        if quote is None or not quote.fee_cents:
            return super().ready_note()
        return self.tr("{amount} plus a {fee} card fee. You pay on the card reader beside "
                       "this screen.").format(amount=money(quote.amount_cents),
                                              fee=money(quote.fee_cents))
