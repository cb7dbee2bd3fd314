"""Status banners under the header: the kiosk is offline; card payments are unavailable."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget


class StatusBanners(QWidget):
    """Two small banners, each shown only while its condition holds."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.offline_banner = QLabel(self)
        self.offline_banner.setObjectName("offlineBanner")
        self.payments_banner = QLabel(self)
        self.payments_banner.setObjectName("paymentsBanner")
        for banner in (self.offline_banner, self.payments_banner):
            banner.setWordWrap(True)
            banner.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 0, 16, 0)
        layout.setSpacing(12)
        layout.addWidget(self.offline_banner, 1)
        layout.addWidget(self.payments_banner, 1)
        self.retranslateUi()
        self._update_visibility()

    def set_online(self, online: bool) -> None:
        self.offline_banner.setVisible(not online)
        self._update_visibility()

    def set_payments_available(self, available: bool) -> None:
        self.payments_banner.setVisible(not available)
        self._update_visibility()

    def _update_visibility(self) -> None:
        self.setVisible(not self.offline_banner.isHidden() or not self.payments_banner.isHidden())

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
