"""Where the kiosk's own resources live, and which style sheet (normal, large text, high
contrast) is in force."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

BASE_STYLE = "normal.qss"
LARGE_TEXT_STYLE = "large-text.qss"
HIGH_CONTRAST_STYLE = "high-contrast.qss"


def resources_dir() -> Path:
    """The repository's (or the installed bundle's) ``resources/`` folder."""
    return Path(__file__).resolve().parent.parent / "resources"


@dataclass(frozen=True, slots=True)
class Theme:
    """The accessibility modes the family chose; both off by default."""

    large_text: bool = False
    high_contrast: bool = False

    def style_files(self) -> list[str]:
        # Later sheets override earlier ones, so the modes are small overlays on the base.
        files = [BASE_STYLE]
        if self.large_text:
            files.append(LARGE_TEXT_STYLE)
        if self.high_contrast:
            files.append(HIGH_CONTRAST_STYLE)
        return files


def load_stylesheet(theme: Theme, styles_dir: Path | None = None) -> str:
    """Concatenate the QSS files for ``theme``; a missing file is logged, not fatal."""
    folder = styles_dir if styles_dir is not None else resources_dir() / "styles"
    parts: list[str] = []
    for name in theme.style_files():
        path = folder / name
        try:
            parts.append(path.read_text(encoding="utf-8"))
        except OSError:
            log.warning("style sheet %s is missing; using Qt's default look", path)
    return "\n".join(parts)
