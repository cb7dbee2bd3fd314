"""Status banners under the header: what works while the kiosk is offline, how many queued
commands wait to be sent, and card payments unavailable (docs/offline.md)."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget


class StatusBanners(QWidget):
    """Small banners, each shown only while its condition holds.

    Their room is always kept, shown or not: a banner appearing mid-form must not move
    the fields under a family's finger (a touch meant for one field would land in
    another). The strip is as tall as the tallest banner's wrapped text needs.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.waiting = 0
        self.offline_banner = QLabel(self)
        self.offline_banner.setObjectName("offlineBanner")
        self.waiting_banner = QLabel(self)
        self.waiting_banner.setObjectName("waitingBanner")
        self.payments_banner = QLabel(self)
        self.payments_banner.setObjectName("paymentsBanner")
        self.printer_problem = ""
        self.printer_banner = QLabel(self)
        self.printer_banner.setObjectName("printerBanner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 0, 16, 0)
        layout.setSpacing(12)
        for banner in self.banners():
            banner.setWordWrap(True)
            # The two a family meets mid-form keep their room shown or not; the outbox
            # count and the printer's problem appear on the done and receipt screens only.
            if banner in (self.offline_banner, self.payments_banner):
                policy = banner.sizePolicy()
                policy.setRetainSizeWhenHidden(True)
                banner.setSizePolicy(policy)
            banner.hide()
            layout.addWidget(banner, 1)
        self.retranslateUi()

    def banners(self) -> tuple[QLabel, ...]:
        return (self.offline_banner, self.waiting_banner, self.payments_banner,
                self.printer_banner)

    def set_online(self, online: bool) -> None:
        self.offline_banner.setVisible(not online)

    def set_waiting(self, count: int) -> None:
        """``count`` commands wait in the outbox (sign-ups taken offline, reports)."""
        if count != self.waiting:
            self.waiting = count
            self.retranslateUi()
        self.waiting_banner.setVisible(count > 0)

    def set_payments_available(self, available: bool) -> None:
        self.payments_banner.setVisible(not available)

    def set_printer_problem(self, code: str) -> None:
        """The receipt printer's last problem (``printer_no_paper`` ...), or "" once a
        receipt printed."""
        self.printer_problem = code
        self.retranslateUi()
        self.printer_banner.setVisible(bool(code))

    def retranslateUi(self) -> None:
        self.offline_banner.setText(self.tr(
            "Offline: you can still create an account and see rates. "
            "Signing in and payments return when we reconnect."
        ))
        self.waiting_banner.setText(
            self.tr("Waiting to be sent: %1").replace("%1", str(self.waiting))
        )
        self.payments_banner.setText(self.tr("Card payments are unavailable on this kiosk"))
        if self.printer_problem == "printer_no_paper":
            self.printer_banner.setText(
                self.tr("The receipt printer is out of paper. Your receipt was e-mailed."))
        else:
            self.printer_banner.setText(
                self.tr("The receipt printer is not working. Your receipt was e-mailed."))
        for banner in self.banners():
            banner.setAccessibleName(banner.text())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)
