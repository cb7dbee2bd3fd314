"""Buy a subscription, step 3: the server's quote in plain words (what is included, the
price, the period, the renewal, the card) and its no-refund terms, accepted before Pay."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from kiosk.domain import CardView, SubscriptionQuote
from kiosk.flows import keys as k
from kiosk.flows.money import card_to_charge
from kiosk.flows.reader import may_type_card
from ui.card_text import card_text
from ui.formats import day, money
from ui.screens.base import Screen
from ui.widgets.common import TOUCH_MIN, touch_button
from ui.widgets.summary_rows import SummaryRows

ROWS = ("plan", "included", "period", "renewal", "card")


class BuyTermsScreen(Screen):
    """Signals: completed() = pay (terms accepted), with the card on file or
    (``pay_on_reader``) on the card reader's screen next; jump_requested("card_entry") =
    staff type a card number."""

    name = "buy_terms"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.quote: SubscriptionQuote | None = None
        self.card: CardView | None = None
        sheet = SummaryRows(ROWS, self, compact=True)
        self.rows = sheet
        self.row_titles, self.row_values = sheet.titles, sheet.values
        self.terms = QLabel(self)
        self.terms.setObjectName("terms")
        self.terms.setWordWrap(True)
        self.accept = QCheckBox(self)
        self.accept.setObjectName("acceptTerms")
        self.accept.setMinimumHeight(TOUCH_MIN)
        self.accept.toggled.connect(lambda _on: self._show_pay())
        self.pay_button = touch_button("primaryButton", self)
        self.pay_button.clicked.connect(self._pay)
        # Another card is paid on the card reader; typing a number is for staff only.
        self.reader_button = touch_button("secondaryButton", self)
        self.reader_button.clicked.connect(lambda: self._finish(on_reader=True))
        self.type_button = touch_button("secondaryButton", self)
        self.type_button.clicked.connect(lambda: self.jump_requested.emit("card_entry"))
        self.may_type = False
        self._on_reader = False
        self.action_button = self.pay_button
        layout = QVBoxLayout(self)
        layout.setContentsMargins(64, 12, 64, 16)
        layout.setSpacing(8)
        layout.addWidget(self.title)
        layout.addWidget(sheet)
        layout.addWidget(self.terms)
        layout.addWidget(self.accept)
        layout.addStretch(1)
        layout.addWidget(self.notice)
        layout.addWidget(self.busy_indicator)
        layout.addWidget(self.pay_button)
        layout.addWidget(self.reader_button)
        layout.addWidget(self.type_button)
        self.retranslateUi()

    def _pay(self) -> None:
        # Nothing on file to charge: the card reader takes the payment.
        self._finish(on_reader=self.card is None)

    def _finish(self, *, on_reader: bool) -> None:
        if self.accept.isChecked():
            self._on_reader = on_reader
            self.completed.emit()

    def show_data(self, data: Mapping[str, Any]) -> None:
        quote = data.get("subscription_quote")
        if quote is not self.quote:
            self.accept.setChecked(False)  # new terms or price: accepted anew
        self.quote = quote if isinstance(quote, SubscriptionQuote) else None
        card = card_to_charge(data)
        if card != self.card:
            # Another card now: what the bank said about the last one no longer holds.
            self.clear_problems()
        self.card = card
        self.may_type = may_type_card(data)
        self.retranslateUi()

    def values(self) -> dict[str, Any]:
        accepted = self.quote is not None and self.accept.isChecked()
        return {"terms_accepted": self.quote.terms_version if accepted and self.quote else "",
                k.PAY_ON_READER: self._on_reader}

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        self._show_pay()

    def reset(self) -> None:
        self.quote = None
        self.card = None
        self.may_type = False
        self.accept.setChecked(False)
        super().reset()
        self.retranslateUi()

    def _show_pay(self) -> None:
        busy = self.busy_indicator.isVisible()
        needs_terms = not self.accept.isChecked()
        self.pay_button.setEnabled(not busy and not needs_terms)
        self.reader_button.setEnabled(not busy and not needs_terms)

    def retranslateUi(self) -> None:
        self.title.setText(self.tr("Please check before you pay"))
        q = self.quote
        titles = {
            "plan": self.tr("Plan"),
            "included": self.tr("Included"),
            "period": self.tr("Period"),
            "renewal": self.tr("Renewal"),
            "card": self.tr("Paid with"),
        }
        values = dict.fromkeys(ROWS, "")
        if q is not None:
            included = q.coverage
            if q.in_state_only:
                included = self.tr("{coverage} In-state calls only.").format(coverage=included)
            values = {
                "plan": self.tr("{plan}: {price} today").format(
                    plan=q.plan_name, price=money(q.price_cents)
                ),
                "included": included,
                "period": self.tr("From {start} to {end}").format(
                    start=day(q.period_start), end=day(q.period_end)
                ),
                # The next charge's date and amount, where automatic renewal is chosen.
                "renewal": self.tr("Renews automatically on {date}: {price} charged to your card")
                .format(date=day(q.period_end), price=money(q.price_cents))
                if q.renewal_mode == "auto"
                else self.tr("Ends {date} unless you renew it").format(date=day(q.period_end)),
                "card": card_text(self.card) if self.card else self.tr("The card reader"),
            }
        self.rows.show_rows(titles, values)
        self.terms.setText(q.terms_text if q else "")
        self.terms.setAccessibleName(self.terms.text())
        self.accept.setText(self.tr("I have read this: no refunds"))
        self.accept.setAccessibleName(self.tr("I accept the no-refund terms"))
        price = money(q.price_cents) if q else ""
        if self.card is None:
            self.pay_button.setText(
                self.tr("Pay {price} on the card reader").format(price=price))
        else:
            self.pay_button.setText(self.tr("Pay {price}").format(price=price))
        self.pay_button.setAccessibleName(self.pay_button.text())
        self.reader_button.setText(self.tr("Pay on the card reader instead"))
        self.reader_button.setAccessibleName(self.reader_button.text())
        self.reader_button.setVisible(self.card is not None)
        self.type_button.setText(self.tr("Type a card number (staff)"))
        self.type_button.setAccessibleName(self.type_button.text())
        self.type_button.setVisible(self.may_type)
        self._show_pay()
        super().retranslateUi()
