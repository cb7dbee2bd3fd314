"""The screenshot tour renders every screen in both languages."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage

from kiosk.flows.catalog import step_names
from kiosk.tour import default_window_factory, render_tour


def test_render_tour_writes_every_screen(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    paths = render_tour(default_window_factory, tmp_path)
    names = {path.name for path in paths}
    for screen in step_names():
        assert f"{screen}-en.png" in names
        assert f"{screen}-es.png" in names
    image = QImage(str(tmp_path / "register_name-es.png"))
    assert (image.width(), image.height()) == (1280, 800)
