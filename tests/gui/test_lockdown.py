"""Kiosk mode (docs/deployment.md, "Lockdown"): the window fills the display with no frame,
and neither Alt+F4, Alt+Tab, the system key nor a close request gets a family out of
it; only ``release`` (a supervisor, in staff mode) does."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kiosk.staff import StaffMember, StaffRole
from ui.main_window import MainWindow


@pytest.fixture
def locked(window: MainWindow, qtbot: QtBot) -> MainWindow:
    window.enter_kiosk_mode(hide_cursor=True)
    qtbot.waitExposed(window)
    yield window
    if window.lockdown is not None:
        window.lockdown.release()


def test_kiosk_mode_fills_the_display_without_a_frame(locked: MainWindow) -> None:
    screen = QGuiApplication.primaryScreen()
    assert locked.isFullScreen()
    assert locked.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert locked.geometry() == screen.geometry()
    cursor = QGuiApplication.overrideCursor()
    assert cursor is not None and cursor.shape() == Qt.CursorShape.BlankCursor


@pytest.mark.parametrize(("key", "modifier"), [
    (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
    (Qt.Key.Key_Tab, Qt.KeyboardModifier.AltModifier),
    (Qt.Key.Key_Meta, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
])
def test_leaving_keys_and_close_requests_do_nothing(
    locked: MainWindow, key: Qt.Key, modifier: Qt.KeyboardModifier
) -> None:
    assert locked.lockdown is not None
    before = locked.lockdown.swallowed
    QTest.keyClick(locked, key, modifier)
    assert locked.lockdown.swallowed == before + 1
    assert not locked.close()  # a close request is refused
    assert locked.isVisible()


def test_escape_goes_back_and_never_leaves_full_screen(locked: MainWindow) -> None:
    locked.show_screen("register_name")
    QTest.keyClick(locked, Qt.Key.Key_Escape)
    assert locked.isFullScreen() and locked.isVisible()


def test_typing_still_works_in_kiosk_mode(locked: MainWindow, qtbot: QtBot) -> None:
    locked.show_screen("register_name")
    field = locked.screens["register_name"].first_name
    field.setFocus()
    QTest.keyClicks(field, "Ana")
    assert field.text() == "Ana"


def test_a_supervisor_releases_kiosk_mode(locked: MainWindow) -> None:
    assert locked.lockdown is not None
    locked.lockdown.release()
    assert QGuiApplication.overrideCursor() is None
    assert locked.close()


def _as_staff(window: MainWindow, role: StaffRole) -> None:
    member = StaffMember("staff-1", "Dana Ruiz", role)
    window.router.flow.record({"staff": member})
    window.staff_bar.set_member(member)


def test_only_a_supervisor_sees_and_uses_leave_kiosk_mode(locked: MainWindow) -> None:
    leave = locked.staff_bar.leave_button
    _as_staff(locked, StaffRole.CLERK)
    assert leave.isHidden()
    locked.leave_kiosk_mode()  # a clerk cannot, even by calling it
    assert locked.lockdown is not None and locked.lockdown.locked and locked.isVisible()
    _as_staff(locked, StaffRole.SUPERVISOR)
    assert not leave.isHidden()
    lockdown = locked.lockdown
    leave.click()
    assert not lockdown.locked and locked.lockdown is None
    assert not locked.isVisible()
