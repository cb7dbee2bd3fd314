"""Status banners under the header: what works while the kiosk is offline, how many queued
commands wait to be sent, and card payments unavailable (docs/offline.md)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHideEvent, QMouseEvent, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

# Shown after a banner's short words: a tap shows the whole sentence.
MORE = "ⓘ"


class Banner(QLabel):
    """One banner: its whole sentence when that fits on one line, else its short words and
    ``MORE``, the sentence behind a tap (issue 19: in large text at 1024 px the sentences
    wrapped to three lines, and their kept room hid the way on of a step). Its accessible
    name is always the whole sentence, for Read aloud and screen readers."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWordWrap(True)
        self.sentence = ""
        self.short = ""
        self.compact = False
        self.expanded = False

    def set_words(self, sentence: str, short: str) -> None:
        self.sentence, self.short = sentence, short
        self.setAccessibleName(sentence)
        self._show_words()

    def set_compact(self, compact: bool) -> None:
        if compact != self.compact:
            self.compact = compact
            self.expanded = False
            self._show_words()

    def fits_one_line(self, width: int) -> bool:
        """Whether the whole sentence fits on one line of ``width`` px (the banner's share
        of the strip, its padding and border included)."""
        margins = self.contentsMargins()
        room = width - margins.left() - margins.right() - 2 * self.margin() - 4
        return self.fontMetrics().horizontalAdvance(self.sentence) <= room

    def _show_words(self) -> None:
        if self.compact and not self.expanded and self.short != self.sentence:
            self.setText(f"{self.short}  {MORE}")
        else:
            self.setText(self.sentence)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.compact and self.short != self.sentence:
            self.expanded = not self.expanded
            self._show_words()
        super().mousePressEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        if self.expanded:
            self.expanded = False
            self._show_words()
        super().hideEvent(event)


class StatusBanners(QWidget):
    """Small banners, each shown only while its condition holds.

    Their room is always kept, shown or not: a banner appearing mid-form must not move
    the fields under a family's finger (a touch meant for one field would land in
    another). The strip is as tall as the tallest banner's text needs: one line, as each
    banner says its short words when its sentence would wrap (``Banner``).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.waiting = 0
        self.offline_banner = Banner("offlineBanner", self)
        self.waiting_banner = Banner("waitingBanner", self)
        self.payments_banner = Banner("paymentsBanner", self)
        self.printer_problem = ""
        self.printer_banner = Banner("printerBanner", self)
        layout = self._layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 0, 16, 0)
        layout.setSpacing(12)
        for banner in self.banners():
            banner.setCursor(Qt.CursorShape.PointingHandCursor)
            # The two a family meets mid-form keep their room shown or not; the outbox
            # count and the printer's problem appear on the done and receipt screens only.
            if banner in (self.offline_banner, self.payments_banner):
                policy = banner.sizePolicy()
                policy.setRetainSizeWhenHidden(True)
                banner.setSizePolicy(policy)
            banner.hide()
            layout.addWidget(banner, 1)
        self.retranslateUi()

    def banners(self) -> tuple[Banner, ...]:
        return (self.offline_banner, self.waiting_banner, self.payments_banner,
                self.printer_banner)

    def set_online(self, online: bool) -> None:
        self.offline_banner.setVisible(not online)
        self.fit()

    def set_waiting(self, count: int) -> None:
        """``count`` commands wait in the outbox (sign-ups taken offline, reports)."""
        if count != self.waiting:
            self.waiting = count
            self.retranslateUi()
        self.waiting_banner.setVisible(count > 0)
        self.fit()

    def set_payments_available(self, available: bool) -> None:
        self.payments_banner.setVisible(not available)
        self.fit()

    def set_printer_problem(self, code: str) -> None:
        """The receipt printer's last problem (``printer_no_paper`` ...), or "" once a
        receipt printed."""
        self.printer_problem = code
        self.retranslateUi()
        self.printer_banner.setVisible(bool(code))
        self.fit()

    def fit(self) -> None:
        """Each banner says its whole sentence if it fits on one line of its share of the
        strip (the strip's banners share it equally), else its short words. The window
        calls it when the look changes (large text makes every sentence longer)."""
        holding = [b for b in self.banners()
                   if not b.isHidden() or b.sizePolicy().retainSizeWhenHidden()]
        if not holding:
            return
        margins = self._layout.contentsMargins()
        room = self.width() - margins.left() - margins.right()
        share = (room - self._layout.spacing() * (len(holding) - 1)) // len(holding)
        for banner in self.banners():
            banner.ensurePolished()
            banner.set_compact(not banner.fits_one_line(share))

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.fit()
        super().resizeEvent(event)

    def retranslateUi(self) -> None:
        self.offline_banner.set_words(
            self.tr("Offline: you can still create an account and see rates. "
                    "Signing in and payments return when we reconnect."),
            self.tr("Offline: no signing in or payments for now"))
        waiting = self.tr("Waiting to be sent: %1").replace("%1", str(self.waiting))
        self.waiting_banner.set_words(waiting, waiting)
        self.payments_banner.set_words(
            self.tr("Card payments are unavailable on this kiosk"),
            self.tr("No card payments here"))
        if self.printer_problem == "printer_no_paper":
            self.printer_banner.set_words(
                self.tr("The receipt printer is out of paper. Your receipt was e-mailed."),
                self.tr("No paper: receipt e-mailed"))
        else:
            self.printer_banner.set_words(
                self.tr("The receipt printer is not working. Your receipt was e-mailed."),
                self.tr("Printer down: receipt e-mailed"))
        self.fit()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        elif event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self.fit()
        super().changeEvent(event)
