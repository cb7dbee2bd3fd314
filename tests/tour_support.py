"""The screenshot tour, rendered once per test run by the real entry point
(``python -m kiosk --demo --tour DIR``) and checked by every test that needs its pictures.

Rendering all of it (every step, error state and idle countdown, in two languages, two
text sizes, high contrast and 1024x768) takes one to two minutes; two tests each rendering
it again cost that again for nothing more checked. The tests that read it carry
``TOUR_GROUP`` (``xdist_group("tour")``) so that under pytest-xdist they share a worker,
and so this one rendering.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest

ROOT = Path(__file__).resolve().parents[1]
RENDER_TIMEOUT = 480  # s: eight passes (issue 19 added high contrast and 1024x768)
T = TypeVar("T")


def TOUR_GROUP(test: T) -> T:
    """One worker for the tests that read the tour, and room for its one rendering (the
    first such test pays for it, beyond pytest-timeout's usual 120 s)."""
    marked: T = pytest.mark.xdist_group("tour")(pytest.mark.timeout(RENDER_TIMEOUT + 60)(test))
    return marked


@dataclass(frozen=True)
class RenderedTour:
    folder: Path
    listed: list[Path]
    returncode: int
    stderr: str

    def names(self) -> set[str]:
        return {path.name for path in self.folder.glob("*.png")}


def render(folder: Path) -> RenderedTour:
    """Run the entry point with no display, as `make tour` does."""
    env = {name: value for name, value in os.environ.items()
           if name not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run([sys.executable, "-m", "kiosk", "--demo", "--tour", str(folder)],
                          capture_output=True, text=True, env=env, timeout=RENDER_TIMEOUT, cwd=ROOT,
                          check=False)
    listed = [Path(line) for line in done.stdout.splitlines() if line.strip()]
    return RenderedTour(folder, listed, done.returncode, done.stderr)
