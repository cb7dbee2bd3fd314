"""Add money with cash, done: the amount added, the method ("Cash, 3 notes") and that cash
cannot be refunded at a kiosk. Printed where a printer is configured; the e-mailed receipt
is queued behind the visit's deposits (docs/cash.md, "The receipt")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.domain import CashReceipt
from kiosk.flows import keys as k
from ui.formats import money
from ui.screens.receipt import ReceiptScreen

ROWS = ("method", "amount")


class CashReceiptScreen(ReceiptScreen):
    """Signals: completed() = back to the family's account."""

    name = "cash_receipt"
    total_row = "amount"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(ROWS, parent)
        self.receipt: CashReceipt | None = None
        self.retranslateUi()

    def show_data(self, data: Mapping[str, Any]) -> None:
        self.receipt = k.CASH_RECEIPT.of(data)
        self.retranslateUi()

    def reset(self) -> None:
        self.receipt = None
        super().reset()
        self.retranslateUi()

    def receipt_data(self) -> object | None:
        return self.receipt if self.receipt is not None and self.receipt.notes else None

    def method(self, count: int) -> str:
        if count == 1:
            return self.tr("Cash, 1 note")
        return self.tr("Cash, {count} notes").format(count=count)

    def receipt_texts(self) -> tuple[str, str, Mapping[str, str], Mapping[str, str], str]:
        r = self.receipt
        if r is None:
            return self.tr("Cash added"), "", {}, {}, ""
        if not r.notes:
            return self.tr("No cash was added"), self.tr(
                "No note was taken, so nothing was added to your account."), {}, {}, ""
        if r.sent:
            added = self.tr("{amount} was added to your AdvanceConnect balance.")
        else:
            added = self.tr("{amount} will be added to your AdvanceConnect balance as soon "
                            "as the kiosk reconnects. Your notes are safe.")
        body = (added.format(amount=money(r.amount_cents)) + "\n"
                + self.tr("Cash cannot be refunded at a kiosk. Your balance can be "
                          "refunded on request.") + "\n"
                + self.tr("We also send this receipt to your e-mail."))
        titles = {"method": self.tr("Paid with"), "amount": self.tr("Added to AdvanceConnect")}
        values = {"method": self.method(r.note_count), "amount": money(r.amount_cents)}
        return self.tr("Cash added"), body, titles, values, ""
