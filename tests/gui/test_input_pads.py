"""The in-app keyboard and keypad type into the focused field and never take focus."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from tests.gui.gui_support import fill_name, go_to_name
from ui.main_window import MainWindow


def press(keys: dict[str, QPushButton], *names: str) -> None:
    for name in names:
        keys[name].click()


def test_keyboard_types_into_focused_field(window: MainWindow, qtbot) -> None:
    go_to_name(window, qtbot)
    screen = window.screens["register_name"]
    keyboard = screen.keyboard
    assert keyboard is not None
    assert screen.focusWidget() is screen.first_name
    press(keyboard.keys, "shift", "a", "n", "a")
    assert screen.first_name.text() == "Ana"
    screen.last_name.setFocus()
    press(keyboard.keys, "d", "e", "space", "l", "a", "-", "_", "@", ".", "7")
    assert screen.last_name.text() == "de la-_@.7"
    press(keyboard.keys, "backspace", "backspace")
    assert screen.last_name.text() == "de la-_@"
    assert screen.first_name.text() == "Ana"
    assert all(key.focusPolicy() == Qt.FocusPolicy.NoFocus for key in keyboard.keys.values())


def test_keypad_types_phone_and_keyboard_types_email(window: MainWindow, qtbot) -> None:
    go_to_name(window, qtbot)
    fill_name(window)
    screen = window.screens["register_contact"]
    keypad = screen.keypad
    assert keypad is not None and screen.keyboard is not None
    assert screen.pad_stack.currentWidget().isAncestorOf(keypad)
    press(keypad.keys, "5", "1", "2", "9", "backspace")
    assert screen.phone.text() == "512"
    press(keypad.keys, "clear", "4", "0")
    assert screen.phone.text() == "40"
    screen.email.setFocus()
    press(screen.keyboard.keys, "a", "@", "b")
    assert screen.email.text() == "a@b"
    assert screen.phone.text() == "40"
    assert all(key.focusPolicy() == Qt.FocusPolicy.NoFocus for key in keypad.keys.values())


def test_pin_keypad_types_masked_digits(window: MainWindow, qtbot) -> None:
    window.show_screen("register_pin")
    screen = window.screens["register_pin"]
    assert screen.keypad is not None
    press(screen.keypad.keys, "5", "8", "2", "0")
    assert screen.pin.text() == "5820"
    assert screen.pin.echoMode() == screen.pin.EchoMode.Password
    press(screen.keypad.keys, *"123456789")
    assert len(screen.pin.text()) == 8  # the line edit's own max length holds


def test_resident_keyboard_types_query(window: MainWindow, qtbot) -> None:
    window.show_screen("resident")
    screen = window.screens["resident"]
    press(screen.keyboard.keys, "r", "i", "v")
    assert screen.query.text() == "riv"


def test_accent_key_types_spanish_letters_once(qtbot) -> None:  # type: ignore[no-untyped-def]
    from tests.gui.gui_support import FakeController, go_to_name, make_window

    window = make_window(qtbot, FakeController())
    go_to_name(window, qtbot)
    screen = window.screens["register_name"]
    screen.first_name.setFocus()
    screen.first_name.clear()
    keys = screen.keyboard.keys
    keys["shift"].click()
    keys["m"].click()
    for letter in "ar":
        keys[letter].click()
    keys["accent"].click()
    assert keys["i"].text() == "í"
    keys["i"].click()
    keys["a"].click()  # the accent applied to one letter only
    assert screen.first_name.text() == "María"
    keys["accent"].click()
    keys["n"].click()
    assert screen.first_name.text() == "Maríañ"
