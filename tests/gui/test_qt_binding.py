"""Guard against a Qt binding that crashes a long-running kiosk.

PySide6 6.12.0 on CPython 3.11 hands back ``None`` from methods that return nothing
without taking a new reference, so every ``setText()`` lowers ``None``'s reference count by
one. Before Python 3.12 ``None`` is not immortal: after a few thousand such calls the count
reaches zero and the interpreter aborts ("none_dealloc"). pyproject.toml keeps Python <
3.12 on an older PySide6; this test fails on any pair that has the bug (docs/endurance.md).
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QPushButton

CALLS = 1000


def _void_calls() -> list[tuple[str, Callable[[], object]]]:
    button = QPushButton()
    label = QLabel()
    timer = QTimer()
    return [
        ("QPushButton.setText", lambda: button.setText("Siguiente")),
        ("QPushButton.setEnabled", lambda: button.setEnabled(True)),
        ("QLabel.setWordWrap", lambda: label.setWordWrap(True)),
        ("QWidget.setStyleSheet", lambda: label.setStyleSheet("")),
        ("QTimer.setInterval", lambda: timer.setInterval(10)),
    ]


@pytest.mark.skipif(
    sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 on; nothing to lose"
)
@pytest.mark.parametrize("index", range(5))
def test_void_qt_calls_keep_the_reference_count_of_none(qapp: object, index: int) -> None:
    name, call = _void_calls()[index]
    call()  # anything lazily created on the first call is made before counting
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        call()
    lost = before - sys.getrefcount(None)
    # A few references may come and go around the loop; the bug loses one per call.
    assert lost < CALLS // 10, (
        f"{CALLS} calls of {name} lost {lost} references to None: this PySide6 build "
        "crashes a long-running kiosk on this Python (see pyproject.toml)"
    )
