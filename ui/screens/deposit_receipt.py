"""Fund AdvanceConnect, done: what was added and charged, the new balance, the reference."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.domain import DepositReceipt
from ui.card_text import card_text
from ui.formats import money, reference
from ui.screens.receipt import ReceiptScreen

ROWS = ("amount", "fee", "total", "balance")


class DepositReceiptScreen(ReceiptScreen):
    """Signals: completed() = back to the family's account."""

    name = "deposit_receipt"
    total_row = "total"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(ROWS, parent)
        self.receipt: DepositReceipt | None = None
        self.retranslateUi()

    def show_data(self, data: Mapping[str, Any]) -> None:
        receipt = data.get("deposit_receipt")
        self.receipt = receipt if isinstance(receipt, DepositReceipt) else None
        self.retranslateUi()

    def reset(self) -> None:
        self.receipt = None
        super().reset()
        self.retranslateUi()

    def receipt_data(self) -> object | None:
        return self.receipt

    def receipt_texts(self) -> tuple[str, str, Mapping[str, str], Mapping[str, str], str]:
        r = self.receipt
        if r is None:
            return self.tr("Money added"), "", {}, {}, ""
        body = self.tr(
            "{total} was charged to {card}. Your balance is now {balance}.\n"
            "We also sent this receipt to your e-mail."
        ).format(total=money(r.total_cents), card=card_text(r.card),
                 balance=money(r.balance_cents))
        titles = {
            "amount": self.tr("Added to AdvanceConnect"),
            "fee": self.tr("Fee"),
            "total": self.tr("Total charged"),
            "balance": self.tr("Balance now"),
        }
        values = {
            "amount": money(r.amount_cents), "fee": money(r.fee_cents),
            "total": money(r.total_cents), "balance": money(r.balance_cents),
        }
        ref_line = self.tr("Reference: {ref}").format(ref=reference(r.reference))
        return self.tr("Money added"), body, titles, values, ref_line
