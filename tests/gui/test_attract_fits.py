"""Issue 19's attract case: "Toque para empezar" in large Spanish in high contrast at
1024x768 was under the fold only when the layout test walked it, never when drawn alone.
Two causes: the screen's fixed 40 and 60 px margins made it 58 px taller than the window
(the button then showed by luck, down to the pixel), and a touch button's size depended on
whether it had the focus when the look changed (the style sheets draw a focused button's
border 1 px thicker, and Qt keeps the size it first measured): the layout test's first
window is the active one, the start button has the focus there, and it was 2 px taller."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from kiosk.domain import Language
from kiosk.tour import show_sample
from tests.gui.gui_support import tour_window_with_banners
from tests.gui.layout_check import unseen_problems
from ui.main_window import MainWindow


@pytest.fixture
def window(qapp) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    with tour_window_with_banners() as win:
        yield win


@pytest.mark.parametrize("contrast", [False, True], ids=["plain", "contrast"])
@pytest.mark.parametrize("language", [Language.ENGLISH, Language.SPANISH], ids=["en", "es"])
def test_the_attract_screen_is_no_taller_than_the_window(
    window: MainWindow, language: Language, contrast: bool
) -> None:
    window.set_language(language)
    window.set_large_text(True)
    window.set_high_contrast(contrast)
    window.resize(1024, 768)
    show_sample(window, "attract")
    screen = window.screens["attract"]
    viewport = screen.parentWidget()
    assert viewport is not None
    # Nothing to scroll: the button's place does not depend on a pixel's luck.
    assert screen.height() <= viewport.height()
    assert not unseen_problems(window, screen, screen.action_button)


def test_a_touch_button_is_as_big_with_the_focus_as_without(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitActive(window)
    window.show_screen("attract")
    button = window.screens["attract"].start_button
    button.setFocus(Qt.FocusReason.OtherFocusReason)
    assert button.hasFocus()
    # The look changes while the button has the focus (its border drawn 4 px, not 3).
    window.set_high_contrast(True)
    focused = button.sizeHint(), button.minimumHeight()
    button.clearFocus()
    assert not button.hasFocus()
    # Measured again without the focus: the same size.
    window.set_large_text(True)
    window.set_large_text(False)
    assert (button.sizeHint(), button.minimumHeight()) == focused
