"""The screenshot tour renders every screen in both languages and both text sizes (the
pictures come from the run's one rendering: tests/tour_support.py)."""

from __future__ import annotations

from PySide6.QtGui import QImage

from kiosk.flows.catalog import step_names
from tests.tour_support import TOUR_GROUP, RenderedTour


@TOUR_GROUP
def test_render_tour_writes_every_screen(qapp, rendered_tour: RenderedTour) -> None:  # type: ignore[no-untyped-def]
    assert rendered_tour.returncode == 0, rendered_tour.stderr[-3000:]
    names = rendered_tour.names()
    assert {path.name for path in rendered_tour.listed} == names
    for screen in step_names():
        assert f"{screen}-en.png" in names
        assert f"{screen}-es.png" in names
    suffixes = ("en", "es", "en-large", "es-large", "en-large-contrast", "es-large-contrast",
                "en-large-1024x768", "es-large-1024x768")
    for suffix in suffixes:
        assert f"contact-{suffix}.png" in names
        assert f"register_address-empty-{suffix}.png" in names
        for screen in step_names():
            assert f"{screen}-{suffix}.png" in names
    assert "register_address-mistyped-es-large.png" in names
    # Every page of a paged step (issue 19): the address in large text at 1024x768.
    assert "register_address-p2-es-large-1024x768.png" in names
    sheet = QImage(str(rendered_tour.folder / "contact-es-large.png"))
    assert sheet.width() > 1000 and sheet.height() > 1000
    image = QImage(str(rendered_tour.folder / "register_name-es.png"))
    assert (image.width(), image.height()) == (1280, 800)
    small = QImage(str(rendered_tour.folder / "register_name-es-large-1024x768.png"))
    assert (small.width(), small.height()) == (1024, 768)
    # High contrast is drawn: the contrast picture's background is not the plain one's.
    plain = QImage(str(rendered_tour.folder / "review-es-large.png"))
    contrast = QImage(str(rendered_tour.folder / "review-es-large-contrast.png"))
    assert plain.pixelColor(640, 700) != contrast.pixelColor(640, 700)
