"""The staff bar has its own colour, unlike the header's, in both contrast modes, and its
text reads on it at 4.5:1 or better (WCAG AA for normal text), measured on the pixels."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage

from kiosk.staff import StaffMember, StaffRole
from ui.main_window import MainWindow

MEMBER = StaffMember("staff-1", "Dana Whitfield", StaffRole.SUPERVISOR)


def _luminance(colour: QColor) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (0.2126 * channel(colour.red()) + 0.7152 * channel(colour.green())
            + 0.0722 * channel(colour.blue()))


def contrast(a: QColor, b: QColor) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _distance(a: QColor, b: QColor) -> float:
    return float(((a.red() - b.red()) ** 2 + (a.green() - b.green()) ** 2
                  + (a.blue() - b.blue()) ** 2) ** 0.5)


def _colours(image: QImage) -> dict[int, int]:
    counts: dict[int, int] = {}
    for y in range(image.height()):
        for x in range(image.width()):
            rgb = image.pixel(x, y) & 0xFFFFFF
            counts[rgb] = counts.get(rgb, 0) + 1
    return counts


def _background_and_text(image: QImage) -> tuple[QColor, QColor]:
    """The commonest pixel is the background; the text is the pixel furthest from it."""
    counts = _colours(image)
    background = QColor(max(counts, key=lambda rgb: counts[rgb]))
    text = max((QColor(rgb) for rgb in counts), key=lambda c: contrast(c, background))
    return background, text


@pytest.mark.parametrize("high_contrast", [False, True])
def test_the_staff_bar_stands_out_and_its_text_reads(
    window: MainWindow, high_contrast: bool
) -> None:
    window.set_high_contrast(high_contrast)
    window.staff_bar.set_member(MEMBER)
    window.repaint()
    bar = window.staff_bar.grab().toImage()
    header = window.header.grab().toImage()
    screen = window.stack.grab().toImage()
    bar_background, _ = _background_and_text(bar)
    # A band of its own colour: unlike the header above it and the screen below it.
    for other in (header, screen):
        assert _distance(bar_background, _background_and_text(other)[0]) >= 40
    who = bar.copy(window.staff_bar.who.geometry())  # the name and role, on the bar
    background, text = _background_and_text(who)
    assert background == bar_background
    assert contrast(text, background) >= 4.5, (background.name(), text.name())
