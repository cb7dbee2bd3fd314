"""A subscription in plain words, the same on the signed-in home and the manage screen."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from kiosk.domain import SubscriptionView
from ui.formats import day


def remaining_text(sub: SubscriptionView) -> str:
    if sub.allotment is None:
        return QCoreApplication.translate("SubscriptionText", "unlimited video sessions")
    # "{left} of {total}" reads right for every count in both languages: no plural forms.
    if sub.service == "video":
        text = QCoreApplication.translate(
            "SubscriptionText", "{left} of {total} video sessions left"
        )
    else:
        text = QCoreApplication.translate("SubscriptionText", "{left} of {total} calls left")
    return text.format(left=sub.remaining, total=sub.allotment)


def period_text(sub: SubscriptionView) -> str:
    end = day(sub.period_end)
    if sub.cancel_at_period_end:
        text = QCoreApplication.translate(
            "SubscriptionText", "Cancelled: active until {date}. No refund."
        )
    elif sub.pending_renewal_mode == "manual" and sub.renewal_mode == "auto":
        text = QCoreApplication.translate(
            "SubscriptionText",
            "Renews automatically until {date}; after that it ends unless you renew it.",
        )
    elif sub.pending_renewal_mode == "auto" and sub.renewal_mode == "manual":
        text = QCoreApplication.translate(
            "SubscriptionText", "Ends {date}; from then on it renews automatically."
        )
    elif sub.renewal_mode == "auto":
        text = QCoreApplication.translate("SubscriptionText", "Renews automatically on {date}.")
    else:
        text = QCoreApplication.translate("SubscriptionText", "Ends {date} unless you renew it.")
    return text.format(date=end)


def summary(sub: SubscriptionView) -> str:
    return f"{sub.plan_name}: {remaining_text(sub)}\n{period_text(sub)}"
