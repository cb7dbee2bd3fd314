"""One subscription on the manage screen: what is left as a progress bar, its period in
plain words, and one button per change the family can make to it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from kiosk.domain import SubscriptionView
from ui.subscription_text import period_text, remaining_text
from ui.widgets.common import touch_button


class SubscriptionRow(QFrame):
    """Reused from session to session; ``show(subscription)`` fills it."""

    def __init__(self, on_action: Callable[[str, str], None], parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setObjectName("reviewSheet")
        self._on_action = on_action
        self.subscription: SubscriptionView | None = None
        self.name_label = QLabel(self)
        self.name_label.setObjectName("sectionTitle")
        self.usage = QProgressBar(self)
        self.usage.setObjectName("usage")
        self.usage.setMinimumHeight(36)
        self.period_label = QLabel(self)
        self.period_label.setObjectName("status")
        self.period_label.setWordWrap(True)
        self.cancel_button = touch_button("secondaryButton", self)
        self.renewal_button = touch_button("secondaryButton", self)
        self.renew_now_button = touch_button("secondaryButton", self)
        self.cancel_button.clicked.connect(lambda: self._act(self._cancel_action()))
        self.renewal_button.clicked.connect(lambda: self._act(self._renewal_action()))
        self.renew_now_button.clicked.connect(lambda: self._act("renew_now"))
        buttons = QHBoxLayout()
        buttons.setSpacing(12)
        for button in (self.cancel_button, self.renewal_button, self.renew_now_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 10, 20, 10)
        layout.setSpacing(6)
        layout.addWidget(self.name_label)
        layout.addWidget(self.usage)
        layout.addWidget(self.period_label)
        layout.addLayout(buttons)

    def _cancel_action(self) -> str:
        sub = self.subscription
        return "resume" if sub is not None and sub.cancel_at_period_end else "cancel"

    def _renewal_action(self) -> str:
        sub = self.subscription
        effective = (sub.pending_renewal_mode or sub.renewal_mode) if sub else "auto"
        return "renewal_manual" if effective == "auto" else "renewal_auto"

    def _act(self, action: str) -> None:
        if self.subscription is not None:
            self._on_action(self.subscription.id, action)

    def show_subscription(self, sub: SubscriptionView) -> None:
        self.subscription = sub
        self.retranslate()

    def retranslate(self) -> None:
        sub = self.subscription
        if sub is None:
            return
        self.name_label.setText(sub.plan_name)
        if sub.allotment is None:
            self.usage.setRange(0, 1)
            self.usage.setValue(1)
        else:
            self.usage.setRange(0, max(1, sub.allotment))
            self.usage.setValue(sub.remaining or 0)
        self.usage.setFormat(remaining_text(sub))
        self.usage.setAccessibleName(remaining_text(sub))
        self.period_label.setText(period_text(sub))
        self.period_label.setAccessibleName(period_text(sub))
        cancelled = sub.cancel_at_period_end
        keep = QCoreApplication.translate("SubscriptionRow", "Keep it")
        cancel = QCoreApplication.translate("SubscriptionRow", "Cancel")
        self.cancel_button.setText(keep if cancelled else cancel)
        auto_next = self._renewal_action() == "renewal_auto"
        to_auto = QCoreApplication.translate("SubscriptionRow", "Renew automatically")
        to_manual = QCoreApplication.translate("SubscriptionRow", "Renew by hand")
        self.renewal_button.setText(to_auto if auto_next else to_manual)
        self.renewal_button.setVisible(not cancelled)
        self.renew_now_button.setText(QCoreApplication.translate("SubscriptionRow", "Renew now"))
        self.renew_now_button.setVisible(not cancelled and sub.renewal_mode == "manual")
        for button in (self.cancel_button, self.renewal_button, self.renew_now_button):
            button.setAccessibleName(f"{button.text()}: {sub.plan_name}")
