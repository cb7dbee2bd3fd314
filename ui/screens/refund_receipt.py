"""Payments, refund asked: how much will be paid back, the balance now, the reference."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.domain import RefundView
from ui.formats import money, reference
from ui.screens.receipt import ReceiptScreen

ROWS = ("amount", "balance")


class RefundReceiptScreen(ReceiptScreen):
    """Signals: completed() = back to the family's account."""

    name = "refund_receipt"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(ROWS, parent)
        self.refund: RefundView | None = None
        self.retranslateUi()

    def show_data(self, data: Mapping[str, Any]) -> None:
        refund = data.get("refund")
        self.refund = refund if isinstance(refund, RefundView) else None
        self.retranslateUi()

    def reset(self) -> None:
        self.refund = None
        super().reset()
        self.retranslateUi()

    def receipt_texts(self) -> tuple[str, str, Mapping[str, str], Mapping[str, str], str]:
        r = self.refund
        if r is None:
            return self.tr("Refund asked for"), "", {}, {}, ""
        body = self.tr(
            "{amount} will be paid back to you. Keep the reference if you ask staff about it."
        ).format(amount=money(r.amount_cents))
        titles = {"amount": self.tr("To be paid back"), "balance": self.tr("Balance now")}
        values = {"amount": money(r.amount_cents), "balance": money(r.balance_cents)}
        ref_line = self.tr("Reference: {ref}").format(ref=reference(r.reference))
        return self.tr("Refund asked for"), body, titles, values, ref_line
