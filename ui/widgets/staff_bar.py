"""The bar shown all through staff mode: who is signed in, their role, End staff mode."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from kiosk.staff import StaffMember, StaffRole
from ui.widgets.common import touch_button


class StaffBar(QFrame):
    """Signals:
    end_requested(): "End staff mode" was pressed.
    leave_requested(): a supervisor pressed "Leave kiosk mode" (shown only to supervisors,
        and only in kiosk mode: ``set_kiosk_mode``).
    """

    end_requested = Signal()
    leave_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("staffBar")
        self.member: StaffMember | None = None
        self.who = QLabel(self)
        self.who.setObjectName("staffWho")
        self.who.setWordWrap(True)  # a long name wraps rather than being cut
        self.end_button = touch_button("secondaryButton", self)
        self.end_button.clicked.connect(self.end_requested)
        self.kiosk_mode = False
        self.leave_button = touch_button("secondaryButton", self)
        self.leave_button.clicked.connect(self.leave_requested)
        self.leave_button.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 4, 16, 4)
        layout.addWidget(self.who, 1)
        layout.addWidget(self.leave_button)
        layout.addWidget(self.end_button)
        self.hide()
        self.retranslateUi()

    def set_member(self, member: StaffMember | None) -> None:
        self.member = member
        self.setVisible(member is not None)
        self._show_leave()
        self.retranslateUi()

    def set_kiosk_mode(self, on: bool) -> None:
        self.kiosk_mode = on
        self._show_leave()

    def _show_leave(self) -> None:
        supervisor = self.member is not None and self.member.role is StaffRole.SUPERVISOR
        self.leave_button.setVisible(self.kiosk_mode and supervisor)

    def retranslateUi(self) -> None:
        member = self.member
        if member is None:
            text = ""
        else:
            role = (self.tr("Supervisor") if member.role is StaffRole.SUPERVISOR
                    else self.tr("Officer"))
            # Short, so the bar stays one line high: "End staff mode" says which mode it is.
            text = self.tr("{name} · {role}").format(name=member.name, role=role)
            if member.offline:
                text += self.tr(" (signed in offline)")
        self.who.setText(text)
        self.who.setAccessibleName(text)
        self.leave_button.setText(self.tr("Leave kiosk mode"))
        self.leave_button.setAccessibleName(self.tr("Leave kiosk mode"))
        self.end_button.setText(self.tr("End staff mode"))
        self.end_button.setAccessibleName(self.tr("End staff mode"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)
