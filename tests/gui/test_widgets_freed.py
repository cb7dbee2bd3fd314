"""A window a test closed is gone before the next test starts.

pytest-qt closes a test's widgets and calls deleteLater(), but nothing ran the event loop
between tests, so every MainWindow of every earlier test stayed alive in the worker: the
high-contrast layout cases, which restyle the application, took 17 to 35 s after the other
GUI tests instead of 3 (tests/conftest.py, ``_earlier_widgets_deleted``). Both tests share
an xdist group so that under pytest-xdist they run in one process, in this order.
"""

from __future__ import annotations

import os

import pytest
from PySide6.QtWidgets import QApplication

from tests.gui.gui_support import FakeController, make_window
from ui.main_window import MainWindow

PAIR = pytest.mark.xdist_group("widgets-freed")
_made: list[int] = []


@PAIR
def test_a_test_opens_a_window(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, FakeController())
    _made.append(id(window))
    assert window.isVisible()


@PAIR
def test_the_next_test_finds_no_window_left(qapp) -> None:  # type: ignore[no-untyped-def]
    if not _made:
        if os.environ.get("PYTEST_XDIST_WORKER"):
            pytest.fail("xdist_group did not keep the pair on one worker: `make test` runs "
                        "--dist loadgroup, which needs pytest below 9.2 (pyproject.toml)")
        pytest.skip("runs after test_a_test_opens_a_window (run the module, not one test)")
    left = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
    assert left == [], f"{len(left)} closed MainWindow(s) still alive"
