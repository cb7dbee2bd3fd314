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
    for suffix in ("en", "es", "en-large", "es-large"):
        assert f"contact-{suffix}.png" in names
        assert f"register_address-empty-{suffix}.png" in names
    assert "register_address-mistyped-es-large.png" in names
    sheet = QImage(str(tmp_path / "contact-es-large.png"))
    assert sheet.width() > 1000 and sheet.height() > 1000
    image = QImage(str(tmp_path / "register_name-es.png"))
    assert (image.width(), image.height()) == (1280, 800)
