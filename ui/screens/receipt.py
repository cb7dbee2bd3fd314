"""What every "it is done" screen of a signed-in journey shares: a large title, a sentence of
what happened, the details as summary rows, a reference line, and "Back to my account"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.domain import CardView, SubscriptionView
from kiosk.requests import PrintReceipt
from ui.card_text import card_text
from ui.formats import money
from ui.screens.base import Screen
from ui.widgets.common import touch_button
from ui.widgets.summary_rows import SummaryRows


class ReceiptScreen(Screen):
    """Signals: completed() = back to the family's account.

    Subclasses pass their row keys, keep what the journey's data holds in ``show_data()``
    and ``reset()``, and fill the texts in ``receipt_texts()``. A payment's receipt names
    its ``total_row`` and returns what was paid from ``receipt_data()``: it is printed
    where a receipt printer is configured (``take_paper_receipt``)."""

    total_row: str | None = None

    def __init__(self, rows: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._row_keys = tuple(rows)
        self._paper_for: object | None = None
        self.title.setObjectName("heroTitle")
        self.body = QLabel(self)
        self.body.setObjectName("subtitle")
        self.body.setWordWrap(True)
        self.rows = SummaryRows(rows, self, amounts=True)
        self.reference = QLabel(self)
        self.reference.setObjectName("status")
        self.reference.setWordWrap(True)
        self.reference.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.done_button = touch_button("primaryButton", self)
        self.done_button.clicked.connect(self.completed)
        self.action_button = self.done_button
        layout = QVBoxLayout(self)
        layout.setContentsMargins(120, 24, 120, 32)
        layout.setSpacing(18)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addWidget(self.rows)
        layout.addWidget(self.reference)
        layout.addStretch(1)
        layout.addWidget(self.notice)
        layout.addWidget(self.done_button)

    def receipt_texts(self) -> tuple[str, str, Mapping[str, str], Mapping[str, str], str]:
        """(title, what happened, row titles, row values, reference); empty when nothing
        is done yet."""
        raise NotImplementedError

    def receipt_data(self) -> object | None:
        """What was paid (the journey's answer), or None: nothing to print."""
        return None

    def take_paper_receipt(self) -> PrintReceipt | None:
        """The paper receipt of what is shown, once per payment (showing it again, or in
        another language, does not print it twice)."""
        data = self.receipt_data()
        if data is None or data is self._paper_for or self.total_row is None:
            return None
        self._paper_for = data
        title, body, titles, values, reference = self.receipt_texts()
        lines = tuple((titles[k], values[k]) for k in self._row_keys
                      if k in values and k != self.total_row)
        return PrintReceipt(
            heading=title, reference=reference, lines=lines,
            total=(titles[self.total_row], values[self.total_row]),
            footer=tuple(line for line in body.splitlines() if line),
        )

    def retranslateUi(self) -> None:
        title, body, titles, values, reference = self.receipt_texts()
        self.title.setText(title)
        self.body.setText(body)
        self.body.setAccessibleName(body)
        self.rows.show_rows(titles, values)
        self.rows.setVisible(bool(values))
        self.reference.setText(reference)
        self.reference.setAccessibleName(reference)
        self.reference.setVisible(bool(reference))
        back = QCoreApplication.translate("ReceiptScreen", "Back to my account")
        self.done_button.setText(back)
        self.done_button.setAccessibleName(back)
        super().retranslateUi()


class SubscriptionReceiptScreen(ReceiptScreen):
    """Signals: completed() = back to the family's account.

    A subscription paid for, bought or its next month paid by hand: the plan, what was
    charged today (the printed total), its dates, and the card it was paid with when the
    journey knows it. Subclasses pass their date rows (after "plan" and "charged"), say
    which subscription and card the journey's data holds (``paid_for()``), and write the
    title, what happened and the dates (``heading()``, ``what_happened()``,
    ``period_rows()``). Their words stay in their own translation context: ``self.tr``
    looks in the screen's class first."""

    total_row = "charged"

    def __init__(self, date_rows: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(("plan", "charged", *date_rows), parent)
        self.subscription: SubscriptionView | None = None
        self.card: CardView | None = None
        self.retranslateUi()

    def paid_for(self, data: Mapping[str, Any]) -> tuple[SubscriptionView | None,
                                                          CardView | None]:
        """The subscription paid for and the card it was paid with (None: not known)."""
        raise NotImplementedError

    def heading(self) -> str:
        raise NotImplementedError

    def what_happened(self, sub: SubscriptionView, card: str | None) -> str:
        """The sentence under the title; ``card`` is the card's words, when known."""
        raise NotImplementedError

    def period_rows(self, sub: SubscriptionView) -> tuple[dict[str, str], dict[str, str]]:
        """The date rows' titles and values."""
        raise NotImplementedError

    def show_data(self, data: Mapping[str, Any]) -> None:
        self.subscription, self.card = self.paid_for(data)
        self.retranslateUi()

    def reset(self) -> None:
        self.subscription = None
        self.card = None
        super().reset()
        self.retranslateUi()

    def receipt_data(self) -> object | None:
        return self.subscription

    def receipt_texts(self) -> tuple[str, str, Mapping[str, str], Mapping[str, str], str]:
        sub = self.subscription
        title = self.heading()
        if sub is None:
            return title, "", {}, {}, ""
        card = card_text(self.card) if self.card is not None else None
        date_titles, date_values = self.period_rows(sub)
        titles = {"plan": self.tr("Plan"), "charged": self.tr("Charged today"), **date_titles}
        values = {"plan": sub.plan_name, "charged": money(sub.price_cents), **date_values}
        return title, self.what_happened(sub, card), titles, values, ""
