"""Payments, refund: what asking for the balance back does, in plain words, before it is
asked."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.domain import AccountView, TransactionsView
from ui.formats import money
from ui.screens.confirm import ConfirmScreen

ROWS = ("refund", "balance_after")


class RefundConfirmScreen(ConfirmScreen):
    """Signals: completed() = yes, ask for it; jump_requested("transactions") = no."""

    name = "refund_confirm"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("transactions", ROWS, parent, amounts=True)
        self.balance_cents: int | None = None
        self.retranslateUi()

    def show_data(self, data: Mapping[str, Any]) -> None:
        shown, account = data.get("transactions"), data.get("account")
        if isinstance(shown, TransactionsView):
            self.balance_cents = shown.balance_cents
        elif isinstance(account, AccountView):
            self.balance_cents = account.balance_cents
        else:
            self.balance_cents = None
        self.retranslateUi()

    def reset(self) -> None:
        self.balance_cents = None
        super().reset()
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self.title.setText(self.tr("Ask for your balance back?"))
        amount = money(self.balance_cents) if self.balance_cents is not None else ""
        self.rows.show_rows(
            {"refund": self.tr("Paid back to you"), "balance_after": self.tr("Balance after")},
            {"refund": amount, "balance_after": money(0) if amount else ""},
        )
        yes = self.tr("Yes, ask for {amount}").format(amount=amount) if amount else self.tr("Yes")
        self.show_texts(
            self.tr("Your whole AdvanceConnect balance leaves your account now and is paid back"
                    " to you. Money held for a call going on right now stays until the call"
                    " ends. To call from AdvanceConnect again, add money."),
            yes, self.tr("No, go back"))
        super().retranslateUi()
