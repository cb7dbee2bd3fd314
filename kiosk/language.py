"""The two languages of the kiosk's screens.

A module of its own, importing nothing but ``enum``: the window's first frame (the header's
language buttons, the translator) needs it, and importing it must not bring the domain's
dataclasses with it (docs/performance.md "The kiosk's first paint"). ``kiosk.domain``
re-exports it.
"""

from __future__ import annotations

import enum


class Language(enum.StrEnum):
    ENGLISH = "en"
    SPANISH = "es"
