"""Buy a subscription, step 1: the plans the family's facility sells, one large button each
with its price, what it includes and what one call or session comes to."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.domain import PlanView
from kiosk.requests import LoadPlans
from ui.formats import money
from ui.screens.base import Screen
from ui.screens.choice_list import ChoiceList


def plan_lines(plan: PlanView) -> str:
    """Price, what it includes, and per call or per session (the price divided: a display
    aid, not a billing rule; the quote on the next screens is the server's)."""
    price = money(plan.price_cents)
    if plan.allotment is None:
        text = QCoreApplication.translate(
            "BuyPlanScreen", "{name}\n{price} a month · unlimited video sessions"
        )
        return text.format(name=plan.name, price=price)
    each = money(round(plan.price_cents / plan.allotment)) if plan.allotment else price
    if plan.kind == "call":
        text = QCoreApplication.translate(
            "BuyPlanScreen",
            # Three short lines: a button does not wrap, and large Spanish text must fit.
            "{name}\n{price} a month · {count} calls (about {each} each)\nIn-state calls only",
        )
    else:
        text = QCoreApplication.translate(
            "BuyPlanScreen", "{name}\n{price} a month · {count} video sessions (about {each} each)"
        )
    return text.format(name=plan.name, price=price, count=plan.allotment, each=each)


class BuyPlanScreen(Screen):
    """Signals: completed() with ``values()["plan"]``."""

    name = "buy_plan"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plans: list[PlanView] = []
        self.chosen: PlanView | None = None
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("subtitle")
        self.subtitle.setWordWrap(True)
        self.choices = ChoiceList(self._choose, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(120, 16, 120, 24)
        layout.setSpacing(14)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.busy_indicator)
        layout.addWidget(self.choices, 1)
        layout.addWidget(self.notice)
        self.retranslateUi()

    @property
    def plan_buttons(self) -> list[QPushButton]:
        return self.choices.buttons

    def first_focus(self) -> QWidget | None:
        return self.plan_buttons[0] if self.plan_buttons else None

    def show_data(self, data: Mapping[str, Any]) -> None:
        plans = data.get("plans")
        if isinstance(plans, list) and plans != self.plans:
            self.plans = [p for p in plans if isinstance(p, PlanView)]
            self._show_plans()

    def take_answer(self, request: object, answer: object) -> None:
        if isinstance(request, LoadPlans) and isinstance(answer, list):
            self.show_data({"plans": answer})

    def choose(self, plan_id: str) -> None:
        for index, plan in enumerate(self.plans):
            if plan.id == plan_id:
                self._choose(index)

    def _choose(self, index: int) -> None:
        self.chosen = self.plans[index]
        self.completed.emit()

    def values(self) -> dict[str, Any]:
        return {"plan": self.chosen} if self.chosen else {}

    def reset(self) -> None:
        self.plans = []
        self.chosen = None
        self.choices.clear()
        super().reset()

    def _show_plans(self) -> None:
        self.choices.set_choices([(plan_lines(p), plan_lines(p)) for p in self.plans])

    def retranslateUi(self) -> None:
        self.title.setText(self.tr("Choose a subscription"))
        self.subtitle.setText(
            self.tr("These are the plans your loved one's facility offers. Prices are per month.")
        )
        if self.plans:
            self._show_plans()
        super().retranslateUi()
