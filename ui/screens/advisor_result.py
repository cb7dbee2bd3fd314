"""Plan advisor, step 2: each option's monthly cost as a bar chart, the cheapest one
recommended, and why, all as the server priced them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.domain import Advice, Refusal
from ui.formats import money
from ui.screens.base import Screen
from ui.widgets.bar_chart import BarChart
from ui.widgets.common import touch_button


class AdvisorResultScreen(Screen):
    """Signals: completed() = back to the account; jump_requested("advisor_estimate") when
    there is no history to price yet."""

    name = "advisor_result"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.advice: Advice | None = None
        self.reason = QLabel(self)
        self.reason.setObjectName("subtitle")
        self.reason.setWordWrap(True)
        self.chart = BarChart(self)
        self.done_button = touch_button("primaryButton", self)
        self.done_button.clicked.connect(self.completed)
        self.action_button = self.done_button
        self.estimate_button = touch_button("secondaryButton", self)
        self.estimate_button.clicked.connect(
            lambda: self.jump_requested.emit("advisor_estimate"))
        self.estimate_button.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(64, 16, 64, 24)
        layout.setSpacing(14)
        layout.addWidget(self.title)
        layout.addWidget(self.reason)
        layout.addWidget(self.chart)
        # What follows the stretch goes to the screen's footer, in view under the chart
        # however tall large text makes it (issue 19).
        layout.addStretch(1)
        layout.addWidget(self.notice)
        layout.addWidget(self.estimate_button)
        layout.addWidget(self.done_button)
        self.retranslateUi()

    def show_data(self, data: Mapping[str, Any]) -> None:
        advice = data.get("advice")
        self.advice = advice if isinstance(advice, Advice) else None
        if self.advice is not None:
            self.estimate_button.hide()
        self.retranslateUi()

    def show_refusal(self, refusal: Refusal) -> None:
        super().show_refusal(refusal)
        # No complete month of calls yet: the family's own estimate is the way on.
        no_history = refusal.code == "no_usage_history"
        self.estimate_button.setVisible(no_history)
        if no_history:
            self.advice = None  # nothing priced: no bars from an earlier answer
            self.retranslateUi()

    def clear_problems(self) -> None:
        super().clear_problems()
        self.estimate_button.hide()

    def reset(self) -> None:
        self.advice = None
        super().reset()
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self.title.setText(self.tr("What each option would cost you a month"))
        advice = self.advice
        best = advice.recommended if advice else None
        if advice is None or best is None:
            self.reason.clear()
            self.chart.set_bars([])
        else:
            if best.monthly_savings_cents > 0:
                text = self.tr(
                    "Cheapest for you: {option}, about {cost} a month. That is {saving} a month"
                    " less than paying for each call or session."
                ).format(option=best.label, cost=money(best.monthly_cost_cents),
                         saving=money(best.monthly_savings_cents))
            else:
                text = self.tr(
                    "Cheapest for you: {option}, about {cost} a month. A subscription would"
                    " not save you money."
                ).format(option=best.label, cost=money(best.monthly_cost_cents))
            if advice.basis == "history":
                text = self.tr("From your calls in your last full months. {reason}").format(
                    reason=text)
            self.reason.setText(text)
            self.chart.set_bars([
                (o.label, o.monthly_cost_cents, self.tr("{cost}/month").format(
                    cost=money(o.monthly_cost_cents)), o.is_recommended)
                for o in advice.options
            ])
        self.reason.setAccessibleName(self.reason.text())
        self.estimate_button.setText(self.tr("Enter my own estimate"))
        self.estimate_button.setAccessibleName(self.tr("Enter my own estimate"))
        self.done_button.setText(self.tr("Back to my account"))
        self.done_button.setAccessibleName(self.tr("Back to my account"))
        super().retranslateUi()
