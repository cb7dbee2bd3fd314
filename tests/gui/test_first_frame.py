"""The kiosk's first frame (docs/performance.md "The kiosk's first paint"): the window
painted with its header, banners and attract screen before the router, the screen table
and the overlays exist; the rest built after it, in the same window; and a tap on the
attract screen before (or while) the rest is built is not lost.

The window here is the kiosk's own start: the real ``OpeningController`` (requests wait in
it until the parts are open), as ``kiosk.app.start_gui`` builds it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.controller import KioskController
from kiosk.language import Language
from kiosk.opening import OpeningController
from kiosk.staff_taps import STAFF_TAPS
from kiosk.tasks import TaskRunner
from ui.main_window import MainWindow


class PaintWatcher(QObject):
    """Records, at the window's first paint, what the window had then."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.at_first_paint: dict[str, object] | None = None
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.at_first_paint is None:
            self.at_first_paint = {
                "screen": self.window.current_screen_name(),
                "fully_built": self.window.fully_built,
                "attract_visible": self.window.stack.currentWidget() is not None
                and self.window.stack.currentWidget().isVisible(),  # type: ignore[union-attr]
            }
        return False


@pytest.fixture
def first_frame(qtbot: QtBot) -> Iterator[tuple[MainWindow, PaintWatcher]]:
    controller = OpeningController(TaskRunner(), printer_configured=False)
    window = MainWindow(controller, first_frame_only=True)
    qtbot.addWidget(window)
    watcher = PaintWatcher(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitUntil(lambda: watcher.at_first_paint is not None)
    yield window, watcher
    window.close()


def test_the_first_frame_shows_the_attract_screen_before_the_rest_is_built(
    first_frame: tuple[MainWindow, PaintWatcher], qtbot: QtBot
) -> None:
    window, watcher = first_frame
    assert watcher.at_first_paint == {"screen": "attract", "fully_built": False,
                                      "attract_visible": True}
    attract = window.stack.currentWidget()
    assert attract is not None
    assert window.stack.scroll_of(attract) is not None  # in its scroll area from the start
    window.build_rest()
    qtbot.waitUntil(lambda: window.fully_built)
    # The same screen, adopted by the screen table, still shown.
    assert [screen.name for screen in window.screens.built()] == ["attract"]
    assert window.screens["attract"] is attract
    assert window.current_screen_name() == "attract"
    assert attract.isVisible()
    # The staff bar went in under the header, hidden: the same order as built at once.
    layout = window.layout()
    assert layout is not None
    items = [layout.itemAt(i) for i in range(layout.count())]
    order = [item.widget() if item is not None else None for item in items]
    assert order == [window.header, window.staff_bar, window.banners, window.stack]
    assert not window.staff_bar.isVisible()


def test_a_tap_before_the_rest_is_built_goes_on_to_the_next_screen(
    first_frame: tuple[MainWindow, PaintWatcher], qtbot: QtBot
) -> None:
    window, _watcher = first_frame
    attract = window.stack.currentWidget()
    assert attract is not None and not window.fully_built
    # The family touches the screen before the build has begun: it is built there and then,
    # and the touch moves on exactly one step.
    QTest.mouseClick(attract, Qt.MouseButton.LeftButton)
    assert window.fully_built
    assert window.current_screen_name() == "home"
    window.build_rest()  # what the kiosk's timer does after the paint: nothing left to do
    QApplication.processEvents()
    assert window.current_screen_name() == "home"


@pytest.mark.parametrize("turns", [1, 4, 12, 15, 16])
@pytest.mark.parametrize("button", [False, True], ids=["anywhere", "start_button"])
def test_a_tap_during_the_build_is_not_lost(
    first_frame: tuple[MainWindow, PaintWatcher], qtbot: QtBot, button: bool, turns: int
) -> None:
    """The build goes one part per turn of the event loop (a module's import, the router,
    the overlays, the attract screen's adoption); the family taps after ``turns`` of
    them."""
    window, _watcher = first_frame
    attract = window.stack.currentWidget()
    assert attract is not None
    tapped: list[bool] = []

    def tap() -> None:
        tapped.append(window.fully_built)
        if button:
            attract.start_button.click()  # type: ignore[attr-defined]
        else:
            QTest.mouseClick(attract, Qt.MouseButton.LeftButton)

    def after(turn: int) -> None:
        # Each zero timer queued after the build's next part: ``turns`` parts run first.
        QTimer.singleShot(0, tap if turn == turns else lambda: after(turn + 1))

    window.build_rest()  # its first part is queued now
    after(1)
    qtbot.waitUntil(lambda: bool(tapped) and window.fully_built)
    QApplication.processEvents()
    assert window.current_screen_name() == "home"
    if turns == 1:
        assert tapped == [False]  # half built when the tap came


def test_the_header_works_before_the_rest_is_built(
    first_frame: tuple[MainWindow, PaintWatcher], qtbot: QtBot
) -> None:
    window, _watcher = first_frame
    attract = window.stack.currentWidget()
    assert not window.header.back_button.isVisible()  # as on the attract step, built or not
    # Language and look need none of the rest.
    window.header.spanish_button.click()
    assert attract.start_button.text() == "Toque para empezar"  # type: ignore[union-attr]
    window.header.large_text_button.click()
    assert window.theme.large_text
    assert not window.fully_built
    # Staff mode's hidden gesture needs the router: it is built there and then.
    for _ in range(STAFF_TAPS):
        QTest.mouseClick(window.header, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    assert window.fully_built
    assert window.current_screen_name() == "staff_sign_in"


@pytest.mark.parametrize(("language", "large_text", "size"), [
    (Language.ENGLISH, False, (1280, 800)),
    (Language.SPANISH, True, (1024, 768)),  # the attract screen scrolls here
], ids=["en-1280x800", "es-large-1024x768"])
def test_the_window_looks_the_same_before_and_after_the_rest_is_built(
    qtbot: QtBot, language: Language, large_text: bool, size: tuple[int, int]
) -> None:
    """Nothing jumps when the rest is built: no scroll bar appearing, no content moving, no
    focus ring moving (the first frame's header is the attract step's, its focus is on
    the start button)."""
    window = MainWindow(OpeningController(TaskRunner(), printer_configured=False),
                        first_frame_only=True)
    qtbot.addWidget(window)
    window.set_defaults(language, large_text=large_text)
    window.resize(*size)
    window.show()
    window.activateWindow()  # the focus goes to the start button, kept in view
    qtbot.waitActive(window)
    QApplication.processEvents()
    first = window.grab().toImage()
    window.finish_build()
    QApplication.processEvents()
    built = window.grab().toImage()
    assert first.size() == built.size()
    width, height = first.width(), first.height()
    differing = sum(1 for y in range(0, height, 2) for x in range(0, width, 2)
                    if first.pixel(x, y) != built.pixel(x, y))
    # A glyph's anti-aliasing may differ by a shade; a layout change moves whole areas.
    assert differing < (width // 2) * (height // 2) // 100, differing
    window.close()


def test_what_the_controller_said_before_the_rest_was_built_reaches_the_banners(
    first_frame: tuple[MainWindow, PaintWatcher],
) -> None:
    """The parts may open (and say there is no secure keyring, so no card payments) before
    the window listens to its controller: the banner still says so once it does."""
    window, _watcher = first_frame
    assert isinstance(window.controller, OpeningController)
    assert window.banners.payments_banner.isHidden()
    window.controller.attach(KioskController())  # no keyring: payments unavailable
    window.finish_build()
    assert not window.banners.payments_banner.isHidden()


def test_asking_for_a_part_of_the_rest_builds_it_there_and_then(
    first_frame: tuple[MainWindow, PaintWatcher],
) -> None:
    """Code that reaches the window's parts right after ``start_gui`` (an end-to-end test
    tapping the attract screen at once) finds them."""
    window, _watcher = first_frame
    assert not window.fully_built
    window.screens["attract"].start_button.click()  # type: ignore[attr-defined]
    assert window.fully_built
    assert window.current_screen_name() == "home"
