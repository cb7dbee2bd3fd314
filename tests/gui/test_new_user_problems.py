"""The rough edges a new user hit (issue 10), one test each; the layout test checks the
same things on every screen at every size."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QWidget

from kiosk.domain import Language, Refusal
from kiosk.tour import default_window_factory, show_sample
from tests.gui.gui_support import FakeController, make_window
from tests.gui.layout_check import layout_problems
from ui.main_window import MainWindow
from ui.theme import Theme


def _tour_window(qtbot, size: tuple[int, int], *, banners: bool = False) -> MainWindow:  # type: ignore[no-untyped-def]
    window = default_window_factory()
    if banners:  # offline, and no card payments: the tallest header a family meets
        window.banners.set_online(False)
        window.banners.set_payments_available(False)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    return window


def _settle() -> None:
    # Layouts inside the screens' scroll areas settle over a few posted-event rounds.
    for _ in range(5):
        QCoreApplication.processEvents()


def _problems(window: MainWindow) -> list[str]:
    return layout_problems(window, skip=(window.countdown,))


def _in_window(widget: QWidget, window: MainWindow) -> tuple[int, int, int, int]:
    top_left = widget.mapTo(window, widget.rect().topLeft())
    return (top_left.x(), top_left.y(), widget.width(), widget.height())


def test_1_empty_address_in_large_spanish_keeps_errors_off_the_fields(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = _tour_window(qtbot, (1280, 800), banners=True)
    window.set_language(Language.SPANISH)
    window.set_large_text(True)
    show_sample(window, "register_address")
    screen = window.screens["register_address"]
    for edit in screen.findChildren(QLineEdit):
        edit.clear()
    screen.submit()
    _settle()
    assert screen.error_text("line1") == "Escriba su dirección."
    assert _problems(window) == []


def test_2_state_name_and_short_zip_are_shown_whole_and_fields_keep_their_width(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = _tour_window(qtbot, (1280, 800))
    show_sample(window, "register_address")
    screen = window.screens["register_address"]
    widths = (screen.state.width(), screen.postal_code.width())
    screen.state.setText("Texas")
    screen.postal_code.setText("770")
    screen.submit()
    _settle()
    assert screen.state.text() == "Texas"  # not silently cut to "Te"
    assert screen.error_text("state") != ""
    assert screen.error_text("postal_code").startswith("Please enter a 5-digit ZIP code")
    assert (screen.state.width(), screen.postal_code.width()) == widths
    assert screen.state.width() == screen.postal_code.width()
    assert _problems(window) == []


def test_3_duplicate_phone_error_is_whole_and_overlaps_nothing(qtbot) -> None:  # type: ignore[no-untyped-def]
    for size in ((1280, 1024), (1280, 800)):
        window = _tour_window(qtbot, size, banners=True)
        window.set_language(Language.SPANISH)
        window.set_large_text(True)
        show_sample(window, "register_contact")
        window.screens["register_contact"].show_refusal(Refusal("phone_registered", "phone"))
        _settle()
        assert _problems(window) == [], size


def test_4_spanish_large_keypad_keys_are_whole_and_even(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = _tour_window(qtbot, (1280, 1024))
    window.set_language(Language.SPANISH)
    window.set_large_text(True)
    show_sample(window, "register_pin")
    keypad = window.screens["register_pin"].keypad
    _settle()
    for key in keypad.keys.values():
        assert key.sizeHint().width() <= key.width(), key.text()
    assert len({key.width() for key in keypad.keys.values()}) == 1


def test_5_offline_banner_moves_nothing_under_a_finger(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = _tour_window(qtbot, (1280, 800))
    show_sample(window, "register_contact")
    screen = window.screens["register_contact"]
    before = [_in_window(w, window) for w in (screen.phone, screen.email, screen.next_button)]
    window.banners.set_online(False)
    _settle()
    assert window.banners.offline_banner.isVisible()
    after = [_in_window(w, window) for w in (screen.phone, screen.email, screen.next_button)]
    assert after == before
    window.banners.set_payments_available(False)
    _settle()
    assert [_in_window(w, window) for w in (screen.phone, screen.email)] == before[:2]


def test_6_idle_wipe_returns_to_the_configured_language_and_modes(  # type: ignore[no-untyped-def]
    qtbot, controller: FakeController
) -> None:
    window = make_window(qtbot, controller)
    window.set_defaults(Language.SPANISH, large_text=True, high_contrast=True)
    assert window.language() is Language.SPANISH
    window.set_language(Language.ENGLISH)
    window.set_large_text(False)
    window.set_high_contrast(False)
    window.wipe()
    assert window.language() is Language.SPANISH
    assert window.theme == Theme(large_text=True, high_contrast=True)
    assert window.header.large_text_button.isChecked()


def test_7_an_error_clears_as_soon_as_the_input_is_valid(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = _tour_window(qtbot, (1280, 800))
    show_sample(window, "register_contact")
    screen = window.screens["register_contact"]
    screen.phone.clear()
    screen.email.setText("angela@")
    screen.submit()
    assert screen.error_text("phone") and screen.error_text("email")
    screen.phone.setText("512555014")  # still one digit short: the error stays
    assert screen.error_text("phone")
    screen.phone.setText("5125550142")
    assert screen.error_text("phone") == ""
    assert screen.phone.property("invalid") is False
    assert screen.error_text("email")  # the other field is still wrong
    screen.email.setText("angela@example.com")
    assert screen.error_text("email") == ""


def test_10_large_text_is_at_least_one_and_a_half_times_body_text(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = _tour_window(qtbot, (1280, 800))
    show_sample(window, "register_contact")
    screen = window.screens["register_contact"]
    samples: list[QWidget] = [
        screen.findChild(QLabel, "fieldLabel"),
        screen.subtitle,
        screen.phone,
        screen.next_button,
        screen.findChild(QPushButton, "secondaryButton"),
    ]
    normal = [w.font().pointSizeF() for w in samples]
    body = QLabel(screen)
    normal_body = body.font().pointSizeF()
    window.set_large_text(True)
    _settle()
    large = [w.font().pointSizeF() for w in samples]
    assert body.font().pointSizeF() >= 1.5 * normal_body
    for widget, before, after in zip(samples, normal, large, strict=True):
        assert after >= 1.5 * before, (widget.objectName(), before, after)


def test_9_keyboard_types_apostrophe_hash_dotcom_and_has_a_numbers_layer(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = _tour_window(qtbot, (1024, 768))
    show_sample(window, "register_address")
    screen = window.screens["register_address"]
    keys = screen.keyboard.keys
    screen.line2.clear()
    screen.line2.setFocus()
    keys["numbers"].click()
    _settle()
    assert keys["#"].isVisible() and keys["1"].isVisible() and not keys["q"].isVisible()
    for name in ("#", "3"):
        keys[name].click()
    keys["numbers"].click()
    _settle()
    assert keys["q"].isVisible() and not keys["#"].isVisible()
    keys["b"].click()
    assert screen.line2.text() == "#3b"
    screen.line1.clear()
    screen.line1.setFocus()
    for name in ("shift", "o", "'", "shift", "n", "e", "i", "l", "@", "x", "dotcom"):
        keys[name].click()
    assert screen.line1.text() == "O'Neil@x.com"
    for keyboard in (screen.keyboard, window.screens["register_name"].keyboard):
        for name, key in keyboard.keys.items():
            assert key.minimumWidth() >= 64 and key.minimumHeight() >= 64, name


def test_high_contrast_stays_black_behind_a_scrolling_screen(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = _tour_window(qtbot, (1280, 800))
    window.set_high_contrast(True)
    window.set_large_text(True)
    show_sample(window, "register_contact")
    _settle()
    pad = window.screens["register_contact"].pad_stack
    corner = pad.mapTo(window, pad.rect().topLeft())
    colour = window.grab().toImage().pixelColor(corner.x() + 8, corner.y() + 8)
    assert colour.lightness() < 60, colour.name()
