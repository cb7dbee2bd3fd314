"""Buy a subscription, step 2: renew automatically (with the card on file) or by hand."""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.domain import PlanView
from ui.formats import calendar_day, money
from ui.screens.base import Screen
from ui.widgets.common import touch_button


def a_month_after(day: date) -> date:
    """The same day a calendar month later, clamped to a short month (Jan 31 -> Feb 28):
    a new plan's first period is an anniversary month (docs/billing-rules.md, rule 4)."""
    year, month = divmod(day.year * 12 + day.month, 12)
    month += 1
    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))


class BuyRenewalScreen(Screen):
    """Signals: completed() with ``values()["renewal_mode"]`` ("auto" or "manual")."""

    name = "buy_renewal"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = ""
        self.plan: PlanView | None = None
        # The kiosk's day (tests set another); the server's quote on the next screen has
        # the exact date in the facility's time zone.
        self.today: Callable[[], date] = date.today
        self.explain = QLabel(self)
        self.explain.setObjectName("subtitle")
        self.explain.setWordWrap(True)
        self.auto_button = touch_button("heroButton", self)
        self.auto_button.setMinimumHeight(100)
        self.auto_button.clicked.connect(lambda: self.choose("auto"))
        self.manual_button = touch_button("choiceButton", self)
        self.manual_button.setMinimumHeight(100)
        self.manual_button.clicked.connect(lambda: self.choose("manual"))
        self.action_button = self.auto_button
        layout = QVBoxLayout(self)
        layout.setContentsMargins(120, 24, 120, 32)
        layout.setSpacing(20)
        layout.addWidget(self.title)
        layout.addWidget(self.explain)
        layout.addWidget(self.auto_button)
        layout.addWidget(self.manual_button)
        layout.addStretch(1)
        layout.addWidget(self.notice)
        layout.addWidget(self.busy_indicator)
        self.retranslateUi()

    def choose(self, mode: str) -> None:
        if not self.auto_button.isEnabled():
            return
        self.mode = mode
        self.completed.emit()

    def show_data(self, data: Mapping[str, Any]) -> None:
        plan = data.get("plan")
        self.plan = plan if isinstance(plan, PlanView) else None
        self.retranslateUi()

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        self.manual_button.setEnabled(not busy)

    def values(self) -> dict[str, Any]:
        return {"renewal_mode": self.mode} if self.mode else {}

    def reset(self) -> None:
        self.mode = ""
        self.plan = None
        super().reset()
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self.title.setText(self.tr("How should it renew?"))
        explain = self.tr(
            "Automatic renewal charges your card on file each month until you cancel."
            " By hand, it ends at the end of the month unless you renew it here."
        )
        if self.plan is not None:
            # When the next charge is and how much, said where the choice is made
            # (issue 19, Low): a month after today, the new plan's first period.
            explain = self.tr(
                "Automatic renewal charges {price} to your card on file each month until you"
                " cancel, the next time on {date}. By hand, it ends at the end of the month"
                " unless you renew it here."
            ).format(price=money(self.plan.price_cents),
                     date=calendar_day(a_month_after(self.today())))
        self.explain.setText(explain)
        self.explain.setAccessibleName(explain)
        self.auto_button.setText(self.tr("Renew automatically"))
        self.auto_button.setAccessibleName(self.tr("Renew automatically with my card"))
        self.manual_button.setText(self.tr("I will renew it myself"))
        self.manual_button.setAccessibleName(self.tr("I will renew it myself"))
        super().retranslateUi()
