"""The signed-in home: who is signed in, their loved ones, the AdvanceConnect balance, each
subscription with what is left, and big buttons for what they can do next."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain import AccountView
from kiosk.flows.catalog import JOURNEYS
from ui.formats import money
from ui.screens.base import Screen
from ui.subscription_text import summary
from ui.widgets.common import WrappingButton, touch_button
from ui.widgets.screen_stack import VerticalScroll


def _actions() -> list[tuple[str, str]]:
    """(journey, label) for every journey reachable from here; translated when called."""

    every = [
        ("deposit", QCoreApplication.translate("AccountHomeScreen", "Add money")),
        ("cash", QCoreApplication.translate("AccountHomeScreen", "Add money with cash")),
        ("buy", QCoreApplication.translate("AccountHomeScreen", "Buy a subscription")),
        ("manage", QCoreApplication.translate("AccountHomeScreen", "My subscriptions")),
        ("add_loved_one", QCoreApplication.translate("AccountHomeScreen", "Add a loved one")),
        ("uncovered", QCoreApplication.translate("AccountHomeScreen", "Calls not covered")),
        ("advisor", QCoreApplication.translate("AccountHomeScreen", "Which plan costs least?")),
    ]
    return [(journey, label) for journey, label in every if journey in JOURNEYS]


class AccountHomeScreen(Screen):
    """Signals: jump_requested("<journey>:") for each action; completed() = sign out."""

    name = "account_home"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.account: AccountView | None = None
        self.balance_label = QLabel(self)
        self.balance_label.setObjectName("sectionValue")
        self.balance_label.setWordWrap(True)
        self.loved_ones_label = QLabel(self)
        self.loved_ones_label.setObjectName("subtitle")
        self.loved_ones_label.setWordWrap(True)
        self.plans_title = QLabel(self)
        self.plans_title.setObjectName("sectionTitle")
        sheet = QFrame(self)
        sheet.setObjectName("reviewSheet")
        self._plans = QVBoxLayout(sheet)
        self._plans.setContentsMargins(20, 12, 20, 12)
        self._plans.setSpacing(10)
        self._sheet = sheet
        # Labels are reused from session to session: a day of families creates none.
        self.plan_labels: list[QLabel] = []
        self.action_buttons: dict[str, QPushButton] = {}
        # One column of big buttons: two columns clipped the Spanish labels in large text.
        actions = QVBoxLayout()
        actions.setSpacing(12)
        for journey, _label in _actions():
            button = WrappingButton("choiceButton", self)  # long Spanish labels wrap
            button.setMinimumHeight(80)
            button.clicked.connect(lambda _=False, j=journey: self.jump_requested.emit(f"{j}:"))
            actions.addWidget(button)
            self.action_buttons[journey] = button
        self.sign_out_button = touch_button("secondaryButton", self)
        self.sign_out_button.clicked.connect(self.completed)
        self.action_button = self.sign_out_button
        # Each column scrolls on its own when large text makes it taller than the screen;
        # the notice and Sign out stay under them, in view (issue 19).
        about = QWidget(self)
        about.setObjectName("accountColumn")
        about_layout = QVBoxLayout(about)
        about_layout.setContentsMargins(0, 0, 0, 0)
        about_layout.setSpacing(12)
        about_layout.addWidget(self.title)
        about_layout.addWidget(self.balance_label)
        about_layout.addWidget(self.loved_ones_label)
        about_layout.addWidget(self.plans_title)
        about_layout.addWidget(sheet)
        about_layout.addStretch(1)
        about_scroll = VerticalScroll(self)
        about_scroll.setObjectName("accountScroll")
        about_scroll.setWidget(about)
        left = QVBoxLayout()
        left.setSpacing(12)
        left.addWidget(about_scroll, 1)
        left.addWidget(self.notice)
        left.addWidget(self.busy_indicator)
        choices = QWidget(self)
        choices.setObjectName("actionsColumn")
        choices.setLayout(actions)
        actions.setContentsMargins(0, 0, 0, 0)
        actions.addStretch(1)
        choices_scroll = VerticalScroll(self)
        choices_scroll.setObjectName("actionsScroll")
        choices_scroll.setWidget(choices)
        right = QVBoxLayout()
        right.setSpacing(12)
        right.addWidget(choices_scroll, 1)
        right.addWidget(self.sign_out_button, 0, Qt.AlignmentFlag.AlignRight)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(40, 16, 40, 24)
        layout.setSpacing(32)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)
        self.retranslateUi()

    def show_device_state(self, cash_available: bool, cash_alert: str) -> None:
        # Cash only where a note acceptor is configured and ready (docs/cash.md).
        button = self.action_buttons.get("cash")
        if button is not None:
            button.setVisible(cash_available)

    def first_focus(self) -> QWidget | None:
        buttons = list(self.action_buttons.values())
        return buttons[0] if buttons else self.sign_out_button

    def show_data(self, data: Mapping[str, Any]) -> None:
        account = data.get("account")
        self.account = account if isinstance(account, AccountView) else None
        self._show_account()

    def reset(self) -> None:
        self.account = None
        super().reset()
        self._show_account()

    def _plan_label(self, index: int) -> QLabel:
        while len(self.plan_labels) <= index:
            label = QLabel(self._sheet)
            label.setObjectName("status")
            label.setWordWrap(True)
            self._plans.addWidget(label)
            self.plan_labels.append(label)
        return self.plan_labels[index]

    def _show_account(self) -> None:
        account = self.account
        if account is None:
            self.title.setText(self.tr("Your account"))
            self.balance_label.clear()
            self.loved_ones_label.clear()
            lines: list[str] = []
        else:
            self.title.setText(self.tr("Hello, {name}").format(name=account.first_name))
            self.balance_label.setText(
                self.tr("AdvanceConnect balance: {amount}").format(
                    amount=money(account.balance_cents)
                )
            )
            # "Last, First" names: a semicolon keeps "López, Ana; García, María" two people.
            names = "; ".join(one.display_name for one in account.loved_ones)
            text = self.tr("Your loved ones: {names}").format(names=names)
            if account.waiting_loved_ones:
                # Asked for while offline: they are added when the kiosk reconnects.
                text += "\n" + self.tr(
                    "Waiting to be added when the kiosk reconnects: {names}").format(
                        names="; ".join(account.waiting_loved_ones))
            self.loved_ones_label.setText(text)
            lines = [summary(sub) for sub in account.subscriptions]
            if not lines:
                lines = [self.tr("No subscription yet.")]
        for index, text in enumerate(lines):
            label = self._plan_label(index)
            label.setText(text)
            label.setAccessibleName(text)
            label.show()
        for label in self.plan_labels[len(lines) :]:
            label.clear()
            label.hide()
        self._sheet.setVisible(bool(lines))
        self.plans_title.setVisible(bool(lines))
        for label in (self.balance_label, self.loved_ones_label):
            label.setAccessibleName(label.text())
        self.title.setAccessibleName(self.title.text())

    def retranslateUi(self) -> None:
        for journey, label in _actions():
            self.action_buttons[journey].setText(label)
            self.action_buttons[journey].setAccessibleName(label)
        self.plans_title.setText(self.tr("Your subscriptions"))
        self.sign_out_button.setText(self.tr("Sign out"))
        self.sign_out_button.setAccessibleName(self.tr("Sign out and return to the start"))
        super().retranslateUi()
        self._show_account()
