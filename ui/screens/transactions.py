"""Payments: the AdvanceConnect balance and the latest transactions (dated in the facility's
time zone, amounts from integer cents), and asking for the balance back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.domain import Refusal, TransactionsView
from kiosk.requests import LoadTransactions
from ui.formats import moment_in, money
from ui.screens.base import Screen
from ui.widgets.common import WrappingButton, touch_button

SHOWN = 6  # rows that fit the screen at large text; the rest are on the e-mailed receipts


class TransactionsScreen(Screen):
    """Signals: completed() = ask for a refund of the balance; jump_requested("account:");
    request_made(LoadTransactions): "Try again" after loading failed."""

    name = "transactions"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.transactions: TransactionsView | None = None
        self._loading: LoadTransactions | None = None
        self.balance_label = QLabel(self)
        self.balance_label.setObjectName("sectionValue")
        self.balance_label.setWordWrap(True)
        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("subtitle")
        self.empty_label.setWordWrap(True)
        sheet = QFrame(self)
        sheet.setObjectName("reviewSheet")
        grid = QGridLayout(sheet)
        grid.setContentsMargins(20, 10, 20, 10)
        grid.setHorizontalSpacing(20)
        grid.setVerticalSpacing(6)
        grid.setColumnStretch(1, 1)
        self._sheet = sheet
        # (when, what, amount) per row, reused from session to session.
        self.cells: list[tuple[QLabel, QLabel, QLabel]] = []
        for row in range(SHOWN):
            when, what, amount = QLabel(sheet), QLabel(sheet), QLabel(sheet)
            when.setObjectName("status")
            what.setObjectName("status")
            what.setWordWrap(True)
            amount.setObjectName("sectionTitle")
            amount.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(when, row, 0)
            grid.addWidget(what, row, 1)
            grid.addWidget(amount, row, 2)
            self.cells.append((when, what, amount))
        # Two long labels side by side: they wrap rather than widen the screen (large text).
        self.refund_button = WrappingButton("secondaryButton", self)
        self.refund_button.clicked.connect(self._refund)
        self.done_button = WrappingButton("primaryButton", self)
        self.done_button.clicked.connect(lambda: self.jump_requested.emit("account:"))
        self.action_button = self.done_button
        self.retry_button = touch_button("secondaryButton", self)
        self.retry_button.clicked.connect(self._retry)
        self.retry_button.hide()
        # The problem and the buttons in rows of their own widgets: the screen's footer
        # keeps them in view under the list, however long it is (issue 19).
        problem_row = QWidget(self)
        problem_row.setObjectName("transactionsProblem")
        problem = QHBoxLayout(problem_row)
        problem.setContentsMargins(0, 0, 0, 0)
        problem.addWidget(self.notice, 1)
        problem.addWidget(self.retry_button)
        buttons_row = QWidget(self)
        buttons_row.setObjectName("transactionsButtons")
        buttons = QHBoxLayout(buttons_row)
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.setSpacing(16)
        buttons.addWidget(self.refund_button, 1)
        buttons.addWidget(self.done_button, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(64, 12, 64, 16)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.balance_label)
        layout.addWidget(self.busy_indicator)
        layout.addWidget(self.empty_label)
        layout.addWidget(sheet)
        layout.addStretch(1)
        layout.addWidget(problem_row)
        layout.addWidget(buttons_row)
        self.retranslateUi()

    def _refund(self) -> None:
        if self.transactions is not None and self.transactions.balance_cents > 0:
            self.completed.emit()

    def request_sent(self, request: object) -> None:
        if isinstance(request, LoadTransactions):
            self._loading = request
            self.clear_problems()

    def show_refusal(self, refusal: Refusal) -> None:
        super().show_refusal(refusal)
        self.retry_button.setVisible(self._loading is not None)

    def clear_problems(self) -> None:
        super().clear_problems()
        self.retry_button.hide()

    def _retry(self) -> None:
        if self._loading is not None:
            self.request_made.emit(LoadTransactions(self._loading.facility_id))

    def show_data(self, data: Mapping[str, Any]) -> None:
        shown = data.get("transactions")
        self.transactions = shown if isinstance(shown, TransactionsView) else None
        self.retranslateUi()

    def reset(self) -> None:
        self.transactions = None
        self._loading = None
        super().reset()
        self.retranslateUi()

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        self._show_refund()

    def _show_refund(self) -> None:
        t = self.transactions
        self.refund_button.setEnabled(
            t is not None and t.balance_cents > 0 and not self.busy_indicator.isVisible())

    def _kind(self, kind: str, description: str) -> str:
        """What a transaction was, in the family's language (the server's description is
        in English); an unknown kind shows the description."""
        kinds = {
            "deposit": self.tr("Money added"),
            "call_charge": self.tr("Call"),
            "refund_request": self.tr("Refund asked for"),
            "call_hold": self.tr("Held for a call in progress"),
            "hold_release": self.tr("Hold returned after a call"),
        }
        return kinds.get(kind, description)

    def retranslateUi(self) -> None:
        self.title.setText(self.tr("Your payments"))
        t = self.transactions
        items = t.transactions[:SHOWN] if t else ()
        self.balance_label.setText(
            self.tr("AdvanceConnect balance: {amount}").format(amount=money(t.balance_cents))
            if t else "")
        for index, (when, what, amount) in enumerate(self.cells):
            item = items[index] if index < len(items) else None
            texts = ("", "", "") if item is None or t is None else (
                moment_in(item.created_at, t.timezone), self._kind(item.kind, item.description),
                # A plain sign, not the locale's accounting brackets: "-$3.15", "+$20.00".
                f"-{money(-item.amount_cents)}" if item.amount_cents < 0
                else f"+{money(item.amount_cents)}")
            for label, text in zip((when, what, amount), texts, strict=True):
                label.setText(text)
                label.setVisible(item is not None)
            what.setAccessibleName(", ".join(texts) if item else "")
        self._sheet.setVisible(bool(items))
        self.empty_label.setText(self.tr("No payments yet.") if t and not items else "")
        self.empty_label.setVisible(bool(t) and not items)
        self.balance_label.setAccessibleName(self.balance_label.text())
        self.refund_button.setText(self.tr("Ask for a refund of my balance"))
        self.refund_button.setAccessibleName(self.tr("Ask for a refund of my balance"))
        self.retry_button.setText(self.tr("Try again"))
        self.retry_button.setAccessibleName(self.tr("Load your payments again"))
        self.done_button.setText(self.tr("Back to my account"))
        self.done_button.setAccessibleName(self.tr("Back to my account"))
        self._show_refund()
        super().retranslateUi()
