"""The window's screens are built on first use: only the attract screen at the start, each
other one the first time it is shown or asked for, wired exactly as if built up front."""

from __future__ import annotations

import pytest

from kiosk.domain import Language
from kiosk.flows.catalog import step_names
from tests.gui.gui_support import FakeController
from ui.main_window import MainWindow
from ui.screens.registry import SCREEN_PATHS, screen_class


def test_every_step_names_a_screen_class_for_that_step() -> None:
    assert set(step_names()) <= set(SCREEN_PATHS)
    for name in SCREEN_PATHS:
        assert screen_class(name).name == name


def test_only_the_first_screen_is_built_at_the_start(window: MainWindow) -> None:
    assert [screen.name for screen in window.screens.built()] == ["attract"]
    # Asking what there is builds nothing.
    assert "register_name" in window.screens
    assert "no_such_step" not in window.screens
    assert len(window.screens) == len(set(step_names()))
    assert set(window.screens) == set(step_names())
    assert [screen.name for screen in window.screens.built()] == ["attract"]
    with pytest.raises(KeyError):
        window.screens["no_such_step"]


def test_each_screen_is_built_once_on_first_use_inside_the_window(window: MainWindow) -> None:
    for name in step_names():
        screen = window.screens[name]
        assert screen.name == name
        assert window.screens[name] is screen
        assert window.stack.isAncestorOf(screen)
    assert len(window.screens.built()) == len(set(step_names()))


def test_navigation_builds_the_next_screen(window: MainWindow) -> None:
    window.screens["attract"].start_button.click()
    assert window.current_screen_name() == "home"
    assert [screen.name for screen in window.screens.built()] == ["attract", "home"]


def test_a_screen_built_while_busy_is_busy_and_follows_busy(
    window: MainWindow, controller: FakeController
) -> None:
    controller.busy_changed.emit(True)
    review = window.screens["review"]
    assert not review.busy_indicator.isHidden()
    assert review.action_button is not None and not review.action_button.isEnabled()
    controller.busy_changed.emit(False)
    assert review.busy_indicator.isHidden()
    assert review.action_button.isEnabled()


def test_a_screen_built_late_is_heard_by_the_window(window: MainWindow) -> None:
    window.screens["attract"].start_button.click()
    window.screens["home"].spanish_button.click()
    assert window.language() is Language.SPANISH


def test_the_rest_is_built_while_idle_at_the_start_screen_only(
    window: MainWindow, qtbot  # type: ignore[no-untyped-def]
) -> None:
    window.screens["attract"].start_button.click()
    window.build_screens_while_idle()
    qtbot.wait(300)  # a family is on the home screen: nothing is built behind their back
    assert [screen.name for screen in window.screens.built()] == ["attract", "home"]
    window.wipe()
    qtbot.waitUntil(lambda: len(window.screens.built()) == len(window.screens),
                    timeout=60_000)
    assert window.current_screen_name() == "attract"
