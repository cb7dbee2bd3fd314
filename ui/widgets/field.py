"""A labelled line edit with its own error line, which keeps itself translated."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QSizePolicy, QVBoxLayout, QWidget

from ui.messages import field_label, message_for
from ui.widgets.common import TOUCH_MIN, repolish


class ErrorLine(QLabel):
    """A word-wrapped label that keeps one line of room even when it is empty, so an
    error appearing under a field does not push the fields below it away from a finger."""

    def _line(self) -> int:
        margins = self.contentsMargins()
        return self.fontMetrics().lineSpacing() + margins.top() + margins.bottom()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), max(hint.height(), self._line()))

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(hint.width(), max(hint.height(), self._line()))

    def heightForWidth(self, width: int) -> int:
        return max(super().heightForWidth(width), self._line())


class LabeledField(QWidget):
    """One form field: label, touch-sized line edit and a red error line below it.

    The error line always has room for one line of text (a longer message wraps and
    takes more). The field's width never follows its text: the form's grid gives it.
    The error is kept as a problem code, so a language switch re-translates it too.
    """

    def __init__(self, field: str, parent: QWidget | None = None, *, secret: bool = False) -> None:
        super().__init__(parent)
        self.field = field
        self._problem: str | None = None
        self._detail = ""
        self.label = QLabel(self)
        self.label.setObjectName("fieldLabel")
        self.label.setWordWrap(True)
        self.line_edit = QLineEdit(self)
        self.line_edit.setObjectName(field)
        self.line_edit.setMinimumHeight(TOUCH_MIN)
        self.line_edit.setProperty("invalid", False)
        if secret:
            self.line_edit.setEchoMode(QLineEdit.EchoMode.Password)
            self.line_edit.setInputMethodHints(
                Qt.InputMethodHint.ImhDigitsOnly | Qt.InputMethodHint.ImhSensitiveData
            )
        self.label.setBuddy(self.line_edit)
        self.error_label = ErrorLine(self)
        self.error_label.setObjectName("fieldError")
        self.error_label.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.label)
        layout.addWidget(self.line_edit)
        layout.addWidget(self.error_label)
        self.retranslateUi()

    def text(self) -> str:
        return self.line_edit.text()

    def problem_code(self) -> str | None:
        return self._problem

    def error_text(self) -> str:
        return self.error_label.text() if self._problem is not None else ""

    def set_problem(self, code: str, detail: str = "") -> None:
        """Show ``code``'s message, followed by ``detail`` (what the screen knows more, such
        as the limits an amount must keep to)."""
        self._problem = code
        self._detail = detail
        self._show_problem()

    def clear_problem(self) -> None:
        self._problem = None
        self._show_problem()

    def reset(self) -> None:
        self.line_edit.clear()
        self.clear_problem()

    def _show_problem(self) -> None:
        invalid = self._problem is not None
        text = message_for(self._problem, self.field) if self._problem is not None else ""
        if text and self._detail:
            text = f"{text} {self._detail}"
        self.error_label.setText(text)
        self.line_edit.setAccessibleDescription(text)
        self.line_edit.setProperty("invalid", invalid)
        repolish(self.line_edit)

    def retranslateUi(self) -> None:
        label = field_label(self.field)
        self.label.setText(label)
        self.line_edit.setAccessibleName(label)
        if self._problem is not None:
            self._show_problem()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)
