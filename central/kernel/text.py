"""Text folding for searches typed on a kiosk keyboard: "lopez" must find "López"."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case, accents removed (ñ -> n), runs of spaces and commas made one space."""
    decomposed = unicodedata.normalize("NFKD", text.replace(",", " "))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())
