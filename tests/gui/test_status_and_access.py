"""Busy state, status banners, text size and contrast modes, accessible names and sizes."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QPushButton

from kiosk.flows.catalog import step_names
from kiosk.staff import StaffMember, StaffRole
from tests.gui.gui_support import FakeController, go_to_name, make_window
from ui.main_window import MainWindow
from ui.widgets.common import TOUCH_MIN


def test_busy_disables_action_button(window: MainWindow, controller: FakeController, qtbot) -> None:
    go_to_name(window, qtbot)
    screen = window.screens["register_name"]
    controller.busy_changed.emit(True)
    assert not screen.next_button.isEnabled()
    assert screen.busy_indicator.isVisible()
    screen.first_name.setText("Angela")
    screen.last_name.setText("Rivera")
    screen.next_button.click()
    screen.submit()
    assert window.current_screen_name() == "register_name"
    controller.busy_changed.emit(False)
    assert screen.next_button.isEnabled()
    assert not screen.busy_indicator.isVisible()


def test_offline_and_payments_banners(qtbot, controller: FakeController) -> None:
    controller.set_payments_available(True)
    window = make_window(qtbot, controller)
    banners = window.banners
    assert not banners.payments_banner.isVisible()
    assert not banners.offline_banner.isVisible()
    controller.connection_changed.emit(False)
    assert banners.offline_banner.isVisible()
    controller.connection_changed.emit(True)
    assert not banners.offline_banner.isVisible()


def test_payments_banner_when_unavailable(window: MainWindow) -> None:
    assert window.banners.payments_banner.isVisible()
    assert window.banners.payments_banner.text() == "Card payments are unavailable on this kiosk"


def test_large_text_mode_makes_text_bigger(window: MainWindow, qtbot) -> None:
    window.show_screen("register_name")
    edit = window.screens["register_name"].first_name
    title = window.screens["register_name"].title
    before = (edit.font().pointSize(), title.font().pointSize())
    window.header.large_text_button.click()
    assert window.theme.large_text
    after = (edit.font().pointSize(), title.font().pointSize())
    assert after[0] > before[0] and after[1] > before[1]
    window.header.large_text_button.click()
    assert edit.font().pointSize() == before[0]


def test_high_contrast_switches_style(window: MainWindow) -> None:
    normal = window.styleSheet()
    window.header.high_contrast_button.click()
    assert window.theme.high_contrast
    assert window.styleSheet() != normal
    assert "#000000" in window.styleSheet()


def test_every_control_has_an_accessible_name_and_touch_size(window: MainWindow, qtbot) -> None:
    go_to_name(window, qtbot)  # facility and resident lists are filled
    for control in window.findChildren(QPushButton) + window.findChildren(QLineEdit):
        assert control.accessibleName(), control.objectName()
        assert control.minimumHeight() >= TOUCH_MIN, control.objectName()


def test_screens_are_all_there(window: MainWindow) -> None:
    assert list(window.screens) == step_names()
    for name in step_names():
        if name.startswith("staff_") and name != "staff_sign_in":
            # Staff steps open only in staff mode (docs/staff-mode.md).
            window.router.flow.record({"staff": StaffMember("s-1", "Dana Ruiz",
                                                            StaffRole.SUPERVISOR)})
        window.show_screen(name)
        assert window.current_screen_name() == name
        assert window.header.english_button.isVisible()
        assert window.header.spanish_button.isVisible()
