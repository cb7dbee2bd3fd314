"""Idle: a countdown appears, then everything typed is wiped and the kiosk goes back to
the attract screen; "I need more time" cancels."""

from __future__ import annotations

from kiosk.domain import Language
from tests.gui.gui_support import FakeController, go_to_name, make_window
from tests.gui.layout_check import layout_problems


def test_countdown_then_wipe_returns_to_attract(qtbot, controller: FakeController) -> None:
    window = make_window(qtbot, controller, idle_seconds=0.2, countdown_seconds=0.3)
    go_to_name(window, qtbot)
    window.screens["register_name"].first_name.setText("Angela")
    window.set_language(Language.SPANISH)
    window.set_large_text(True)
    with qtbot.waitSignal(window.idle.countdown_started, timeout=3000):
        pass
    assert window.countdown.isVisible()
    assert "segundo" in window.countdown.remaining_text()
    with qtbot.waitSignal(window.idle.timed_out, timeout=3000):
        pass
    assert window.current_screen_name() == "attract"
    assert not window.countdown.isVisible()
    assert window.screens["register_name"].first_name.text() == ""
    assert window.screens["resident"].query.text() == ""
    assert window.screens["facility"].selected_facility is None
    assert window.language() is Language.ENGLISH
    assert not window.theme.large_text


def test_more_time_cancels_the_wipe(qtbot, controller: FakeController) -> None:
    window = make_window(qtbot, controller, idle_seconds=0.2, countdown_seconds=0.4)
    go_to_name(window, qtbot)
    window.screens["register_name"].first_name.setText("Angela")
    with qtbot.waitSignal(window.idle.countdown_started, timeout=3000):
        pass
    window.countdown.more_time_button.click()
    assert not window.countdown.isVisible()
    with qtbot.assertNotEmitted(window.idle.timed_out, wait=450):
        pass
    assert window.current_screen_name() == "register_name"
    assert window.screens["register_name"].first_name.text() == "Angela"


def test_attract_screen_does_not_count_down(qtbot, controller: FakeController) -> None:
    window = make_window(qtbot, controller, idle_seconds=0.05, countdown_seconds=0.05)
    assert window.current_screen_name() == "attract"
    with qtbot.assertNotEmitted(window.idle.countdown_started, wait=200):
        pass


def test_the_countdown_reads_whole_in_large_spanish_on_a_small_screen(
    qtbot, controller: FakeController
) -> None:
    """Issue 19: "Volveremos al inicio en 20 segundos" was cut at both ends at 1024x768."""
    window = make_window(qtbot, controller)
    window.resize(1024, 768)
    window.set_language(Language.SPANISH)
    window.set_large_text(True)
    window.show_screen("register_name")
    window.idle.countdown_started.emit(20)
    qtbot.waitUntil(window.countdown.isVisible, timeout=3000)
    problems = layout_problems(window.countdown)
    assert not problems, "\n".join(problems)
    assert window.countdown.panel.geometry().right() <= window.countdown.width()


def test_new_idle_times_count_from_now(qtbot, controller: FakeController) -> None:
    """A long quiet time made short: the wipe comes after the short one, from the change."""
    window = make_window(qtbot, controller, idle_seconds=60, countdown_seconds=30)
    go_to_name(window, qtbot)
    with qtbot.assertNotEmitted(window.idle.countdown_started, wait=300):
        pass
    window.idle.set_times(0.1, 0.1)
    with qtbot.waitSignal(window.idle.timed_out, timeout=3000):
        pass
    assert window.current_screen_name() == "attract"
    window.idle.set_times(60, 30)  # and long again: nothing happens on the next visit
    go_to_name(window, qtbot)
    with qtbot.assertNotEmitted(window.idle.countdown_started, wait=300):
        pass
