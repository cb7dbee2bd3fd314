"""Status banners under the header: the kiosk is offline; card payments are unavailable."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget


class StatusBanners(QWidget):
    """Two small banners, each shown only while its condition holds.

    Their room is always kept, shown or not: a banner appearing mid-form must not move
    the fields under a family's finger (a touch meant for one field would land in
    another). The strip is as tall as the taller banner's wrapped text needs.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.offline_banner = QLabel(self)
        self.offline_banner.setObjectName("offlineBanner")
        self.payments_banner = QLabel(self)
        self.payments_banner.setObjectName("paymentsBanner")
        for banner in (self.offline_banner, self.payments_banner):
            banner.setWordWrap(True)
            policy = banner.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            banner.setSizePolicy(policy)
            banner.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 0, 16, 0)
        layout.setSpacing(12)
        layout.addWidget(self.offline_banner, 1)
        layout.addWidget(self.payments_banner, 1)
        self.retranslateUi()

    def set_online(self, online: bool) -> None:
        self.offline_banner.setVisible(not online)

    def set_payments_available(self, available: bool) -> None:
        self.payments_banner.setVisible(not available)

    def retranslateUi(self) -> None:
        self.offline_banner.setText(
            self.tr("Offline: you can still create an account. It is sent when we reconnect.")
        )
        self.payments_banner.setText(self.tr("Card payments are unavailable on this kiosk"))
        for banner in (self.offline_banner, self.payments_banner):
            banner.setAccessibleName(banner.text())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)
