"""Benchmarks of what a family waits for on the kiosk's GUI thread: the idle wipe, a
language switch and a large-text toggle, each as a ratio to one 60 Hz frame (16.7 ms).

    python -m tests.benchmarks.kiosk_ui [--runs 15] [--json bench-results.json]

The window is the real one with the tour's sample controller (no network), shown at
1280x800 on Qt's offscreen platform; each figure is the median of ``--runs`` runs, and the
work a change posts (layout, paint) is flushed inside the timed span.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from kiosk.domain import Language
from kiosk.tour import default_window_factory
from tests.benchmarks.report import publish, row
from ui.main_window import MainWindow

FRAME_MS = 1000 / 60
GOALS_IN_FRAMES = {
    "idle_wipe_same_theme": 1.0,
    "language_switch": 2.0,
    "large_text_toggle": 6.0,
}


def timed(action: Callable[[], object], window: MainWindow) -> float:
    """Milliseconds for ``action`` plus the layout and paint it caused."""
    started = time.perf_counter()
    action()
    window.repaint()
    QApplication.processEvents()
    return (time.perf_counter() - started) * 1000


def fill_a_form(window: MainWindow) -> None:
    window.show_screen("register_name")
    name = window.screens["register_name"]
    name.first_name.setText("Rosa")
    name.last_name.setText("Martínez")


def measure(window: MainWindow, runs: int) -> dict[str, list[float]]:
    samples: dict[str, list[float]] = {name: [] for name in GOALS_IN_FRAMES}
    header = window.header
    for _ in range(runs):
        fill_a_form(window)
        QTest.qWait(0)
        samples["idle_wipe_same_theme"].append(timed(window.wipe, window))
        fill_a_form(window)
        samples["language_switch"].append(timed(header.spanish_button.click, window))
        samples["language_switch"].append(timed(header.english_button.click, window))
        samples["large_text_toggle"].append(timed(header.large_text_button.click, window))
        samples["large_text_toggle"].append(timed(header.large_text_button.click, window))
        QTest.qWait(0)
    return samples


def results(samples: dict[str, list[float]]) -> list[dict[str, object]]:
    return [row(name, values, FRAME_MS, "ms", GOALS_IN_FRAMES[name])
            for name, values in samples.items()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--json", type=Path, help="append the rows to this JSON list")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = default_window_factory()
    window.resize(1280, 800)
    window.show()
    QTest.qWaitForWindowExposed(window)
    window.set_language(Language.ENGLISH)
    measure(window, 2)  # warm caches: fonts, style sheet parsing, the Spanish catalog
    rows = results(measure(window, args.runs))
    publish(rows, args.json)
    window.close()
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
