"""The header bar on every screen: Back, progress (step N of M), text/contrast modes and
the language switch."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QButtonGroup, QFrame, QHBoxLayout, QLabel, QSizePolicy, QWidget

from kiosk.language import Language
from kiosk.staff_taps import STAFF_CORNER_PX, TapCounter
from ui.widgets.common import touch_button


class HeaderBar(QFrame):
    """Persistent controls; it only emits requests, the main window acts on them.

    Signals:
        back_requested(): the family pressed Back.
        language_requested(Language): English or Español was pressed.
        large_text_toggled(bool): the Large text mode was switched.
        high_contrast_toggled(bool): the High contrast mode was switched.
        read_aloud_toggled(bool): the Read aloud (speech output) mode was switched.
        staff_requested(): the hidden staff gesture (five taps in the top-left corner
            within three seconds, docs/staff-mode.md) was made.
    """

    back_requested = Signal()
    language_requested = Signal(object)
    large_text_toggled = Signal(bool)
    high_contrast_toggled = Signal(bool)
    read_aloud_toggled = Signal(bool)
    staff_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("header")
        self._step: tuple[int, int] | None = None
        self._staff_taps = TapCounter()
        self.back_button = touch_button("backButton", self)
        self.back_button.clicked.connect(self.back_requested)
        self.step_label = QLabel(self)
        self.step_label.setObjectName("stepLabel")
        self.large_text_button = touch_button("modeButton", self)
        self.large_text_button.setCheckable(True)
        self.large_text_button.toggled.connect(self.large_text_toggled)
        self.high_contrast_button = touch_button("modeButton", self)
        self.high_contrast_button.setCheckable(True)
        self.high_contrast_button.toggled.connect(self.high_contrast_toggled)
        self.read_aloud_button = touch_button("modeButton", self)
        self.read_aloud_button.setCheckable(True)
        self.read_aloud_button.toggled.connect(self.read_aloud_toggled)
        self.english_button = touch_button("languageButton", self)
        self.spanish_button = touch_button("languageButton", self)
        self._languages = QButtonGroup(self)
        for button, language in (
            (self.english_button, Language.ENGLISH),
            (self.spanish_button, Language.SPANISH),
        ):
            button.setCheckable(True)
            self._languages.addButton(button)
            button.clicked.connect(
                lambda _=False, lang=language: self.language_requested.emit(lang)
            )
        self.english_button.setChecked(True)
        # The buttons never get less than their text needs; on a narrow screen the step
        # label wraps instead.
        for button in (
            self.back_button,
            self.large_text_button,
            self.high_contrast_button,
            self.read_aloud_button,
            self.english_button,
            self.spanish_button,
        ):
            button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.step_label.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(8)
        layout.addWidget(self.back_button)
        layout.addWidget(self.step_label, 1)
        layout.addWidget(self.large_text_button)
        layout.addWidget(self.high_contrast_button)
        layout.addWidget(self.read_aloud_button)
        layout.addSpacing(8)
        layout.addWidget(self.english_button)
        layout.addWidget(self.spanish_button)
        self.retranslateUi()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        # Presses on the header's own background only (a button takes its own).
        where = event.position()
        if where.x() < STAFF_CORNER_PX and where.y() < STAFF_CORNER_PX and \
                self._staff_taps.tap(time.monotonic()):
            self.staff_requested.emit()
        super().mousePressEvent(event)

    def set_step(self, step: int | None, total: int) -> None:
        """Show "Step N of M", or nothing outside the registration steps."""
        self._step = (step, total) if step is not None else None
        self._show_step()

    def set_back_visible(self, visible: bool) -> None:
        self.back_button.setVisible(visible)

    def set_language(self, language: Language) -> None:
        button = self.spanish_button if language is Language.SPANISH else self.english_button
        button.setChecked(True)

    def set_modes(self, *, large_text: bool, high_contrast: bool) -> None:
        """Show the modes in force; this reports nothing back (the window asked for it)."""
        for button, on in (
            (self.large_text_button, large_text),
            (self.high_contrast_button, high_contrast),
        ):
            blocked = button.blockSignals(True)
            button.setChecked(on)
            button.blockSignals(blocked)

    def set_read_aloud(self, on: bool, *, available: bool = True) -> None:
        """Show whether Read aloud is on; without a speech engine the button is disabled."""
        blocked = self.read_aloud_button.blockSignals(True)
        self.read_aloud_button.setChecked(on)
        self.read_aloud_button.blockSignals(blocked)
        self.read_aloud_button.setEnabled(available)
        self._read_aloud_available = available
        self._describe_read_aloud()

    def _describe_read_aloud(self) -> None:
        available = getattr(self, "_read_aloud_available", True)
        self.read_aloud_button.setAccessibleDescription(
            "" if available else self.tr("Speech is not available on this kiosk")
        )

    def _show_step(self) -> None:
        if self._step is None:
            self.step_label.clear()
        else:
            step, total = self._step
            self.step_label.setText(
                self.tr("Step {step} of {total}").format(step=step, total=total)
            )
        self.step_label.setAccessibleName(self.step_label.text())

    def retranslateUi(self) -> None:
        self.back_button.setText(self.tr("‹ Back"))
        self.back_button.setAccessibleName(self.tr("Back to the previous screen"))
        self.large_text_button.setText(self.tr("Large text"))
        self.large_text_button.setAccessibleName(self.tr("Large text"))
        self.high_contrast_button.setText(self.tr("High contrast"))
        self.high_contrast_button.setAccessibleName(self.tr("High contrast"))
        self.read_aloud_button.setText(self.tr("Read aloud"))
        self.read_aloud_button.setAccessibleName(self.tr("Read aloud"))
        self._describe_read_aloud()
        # Language names stay in their own language so everyone can find theirs.
        self.english_button.setText("English")
        self.english_button.setAccessibleName("English")
        self.spanish_button.setText("Español")
        self.spanish_button.setAccessibleName("Español")
        self._show_step()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)
