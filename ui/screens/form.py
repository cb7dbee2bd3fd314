"""A registration step made of labelled fields, with the in-app keyboard or keypad beside
them and a Next button; it validates before it lets the family move on."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.validation import InvalidInput
from ui.screens.base import Screen
from ui.widgets.common import (
    NARROW_WIDTH,
    room_for,
    side_by_side_or_stacked,
    touch_button,
)
from ui.widgets.field import LabeledField
from ui.widgets.keyboard import OnScreenKeyboard
from ui.widgets.keypad import NumericKeypad
from ui.widgets.screen_stack import VerticalScroll

T = TypeVar("T")
KEYBOARD = "keyboard"
KEYPAD = "keypad"


class FormScreen(Screen):
    """Base of the register_* screens.

    Subclasses pass ``rows`` (field names per row), which pad each field uses, and the
    fields shown masked; they implement ``validate_fields()`` (raising ``InvalidInput``
    for each problem through ``self.check``) and ``retranslate_form()``.
    """

    def __init__(
        self,
        rows: list[list[str]],
        pads: dict[str, str],
        secret: frozenset[str] = frozenset(),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.fields: dict[str, LabeledField] = {}
        self._pads = pads
        self._order: list[str] = []
        # While re-checking as the family types, problems are collected here, not shown.
        self._quiet_problems: dict[str, str] | None = None
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("subtitle")
        self.subtitle.setWordWrap(True)
        grid = self._grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(10)
        self._rows = rows
        for names in rows:
            for name in names:
                field = LabeledField(name, self, secret=name in secret)
                field.line_edit.installEventFilter(self)
                field.line_edit.returnPressed.connect(lambda n=name: self._enter_pressed(n))
                field.line_edit.textChanged.connect(lambda _t, n=name: self._recheck(n))
                self.fields[name] = field
                self._order.append(name)
        self._narrow: bool | None = None
        self._arrange(narrow=False)
        # Two equal columns whatever is typed or shown in them.
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.next_button = touch_button("primaryButton", self)
        self.next_button.clicked.connect(self.submit)
        self.action_button = self.next_button
        left = self.column = QVBoxLayout()
        left.setSpacing(12)
        left.addWidget(self.title)
        left.addWidget(self.subtitle)
        left.addLayout(grid)
        left.addStretch(1)
        left.addWidget(self.notice)
        left.addWidget(self.busy_indicator)
        left.addWidget(self.next_button)
        self.pad_stack = QStackedWidget(self)
        self.keyboard: OnScreenKeyboard | None = None
        self.keypad: NumericKeypad | None = None
        if KEYBOARD in pads.values():
            self.keyboard = OnScreenKeyboard(self.typing_target, self)
            self.pad_stack.addWidget(self._pad_holder(self.keyboard))
        if KEYPAD in pads.values():
            self.keypad = NumericKeypad(self.typing_target, self)
            self.pad_stack.addWidget(self._pad_holder(self.keypad))
        layout = self._layout = QHBoxLayout(self)
        layout.setContentsMargins(32, 16, 32, 24)
        layout.setSpacing(32)
        # Only the column of fields scrolls (large text, Spanish, a short screen): the
        # keyboard or keypad beside it always stays in view, near the hands.
        column = QWidget(self)
        column.setObjectName("formColumn")
        column.setLayout(left)
        self.column_scroll = VerticalScroll(self)
        self.column_scroll.setObjectName("formScroll")
        self.column_scroll.setWidget(column)
        layout.addWidget(self.column_scroll, 5)
        layout.addWidget(self.pad_stack, 6)
        self._current = self._order[0]

    def _arrange(self, *, narrow: bool) -> None:
        """Side by side fields (state and ZIP) share a row on a wide screen; on a narrow
        one (1024 px: the keyboard's ten 64 px keys take most of it) each field gets a
        row of its own and the margins shrink, so no label or error needs to be cut."""
        if narrow == self._narrow:
            return
        self._narrow = narrow
        for field in self.fields.values():
            self._grid.removeWidget(field)
        row = 0
        for names in self._rows:
            for column, name in enumerate(names):
                if narrow or len(names) == 1:
                    self._grid.addWidget(self.fields[name], row, 0, 1, 2)
                    row += 1
                else:
                    self._grid.addWidget(self.fields[name], row, column)
            if not narrow and len(names) > 1:
                row += 1
        if hasattr(self, "_layout"):
            margin = 12 if narrow else 32
            self._layout.setContentsMargins(
                margin, 12 if narrow else 16, margin, 16 if narrow else 24
            )
            self._layout.setSpacing(16 if narrow else 32)

    def _fit(self) -> None:
        room = room_for(self)
        self._arrange(narrow=room < NARROW_WIDTH)
        side_by_side_or_stacked(self._layout, room, (5, 6))

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._fit()
        super().resizeEvent(event)

    def event(self, event: QEvent) -> bool:
        # Something in the column changed its size (an error, the "Sign in instead"
        # button): the column and the pad may no longer fit side by side.
        if event.type() == QEvent.Type.LayoutRequest:
            self._fit()
        return super().event(event)

    def _pad_holder(self, pad: QWidget) -> QWidget:
        # Keeps the pad at the bottom, near the hands, whatever the column's height.
        holder = QWidget(self)
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.addStretch(1)
        column.addWidget(pad)
        return holder

    # -- typing ---------------------------------------------------------------------------

    def line_edit(self, field: str) -> QLineEdit:
        return self.fields[field].line_edit

    def typing_target(self) -> QLineEdit | None:
        """The field the pads type into: the focused one of this screen, else the last used."""
        focused = self.focusWidget()
        for name, field in self.fields.items():
            if field.line_edit is focused:
                self._select_field(name)
                return field.line_edit
        return self.fields[self._current].line_edit

    def _select_field(self, name: str) -> None:
        self._current = name
        pad = self.keyboard if self._pads.get(name) == KEYBOARD else self.keypad
        holder = pad.parentWidget() if pad is not None else None
        if holder is not None:
            self.pad_stack.setCurrentWidget(holder)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn:
            for name, field in self.fields.items():
                if field.line_edit is watched:
                    self._select_field(name)
                    self.column_scroll.keep_in_view(field)
        return super().eventFilter(watched, event)

    def first_focus(self) -> QWidget | None:
        for name in self._order:
            if self.fields[name].problem_code() is not None:
                return self.fields[name].line_edit
        return self.fields[self._order[0]].line_edit

    def on_enter(self) -> None:
        first = self.first_focus()
        for name, field in self.fields.items():
            if field.line_edit is first:
                self._select_field(name)
        super().on_enter()

    def _enter_pressed(self, name: str) -> None:
        # Enter moves to the next field, and on the last one it means Next.
        index = self._order.index(name)
        if index + 1 < len(self._order):
            following = self._order[index + 1]
            self.fields[following].line_edit.setFocus()
            self._select_field(following)
        else:
            self.submit()

    # -- validation -----------------------------------------------------------------------

    def check(self, rule: Callable[[], T]) -> T | None:
        """Run one ``kiosk.validation`` rule; on ``InvalidInput`` mark its field, give None."""
        try:
            return rule()
        except InvalidInput as problem:
            self.show_problem(problem.problem.value, problem.field)
            return None

    def validate_fields(self) -> bool:
        raise NotImplementedError

    def _recheck(self, name: str) -> None:
        """A field showing an error was changed: clear the error once the input is valid
        (a new error waits for Next, so typing is not interrupted by red text)."""
        field = self.fields[name]
        if field.problem_code() is None or self._quiet_problems is not None:
            return
        self._quiet_problems = {}
        try:
            self.validate_fields()
            still_wrong = name in self._quiet_problems
        finally:
            self._quiet_problems = None
        if not still_wrong:
            field.clear_problem()

    def submit(self) -> None:
        if not self.next_button.isEnabled():
            return
        self.clear_problems()
        if self.validate_fields():
            self.completed.emit()
        else:
            first = self.first_focus()
            if first is not None:
                first.setFocus()

    def owns_field(self, field: str) -> bool:
        return field in self.fields

    def show_problem(self, code: str, field: str = "") -> None:
        if self._quiet_problems is not None:
            self._quiet_problems[field] = code
        elif field in self.fields:
            self.fields[field].set_problem(code)
            self.problem_shown.emit(self.fields[field].error_text())
        else:
            super().show_problem(code, field)

    def clear_problems(self) -> None:
        for field in self.fields.values():
            field.clear_problem()
        super().clear_problems()

    def error_text(self, field: str) -> str:
        return self.fields[field].error_text()

    def reset(self) -> None:
        for field in self.fields.values():
            field.reset()
        if self.keyboard is not None:
            self.keyboard.reset()
        self._select_field(self._order[0])
        super().reset()

    def retranslate_form(self) -> None:
        raise NotImplementedError

    def retranslateUi(self) -> None:
        self.retranslate_form()
        self.next_button.setText(QCoreApplication.translate("FormScreen", "Next ›"))
        self.next_button.setAccessibleName(QCoreApplication.translate("FormScreen", "Next step"))
        self.subtitle.setAccessibleName(self.subtitle.text())
        self.subtitle.setVisible(bool(self.subtitle.text()))
        super().retranslateUi()
