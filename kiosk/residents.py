"""Finding a loved one in a facility's cached resident directory, with the same rules as
the central API's search, so a family who starts while the network is down still finds
them (docs/offline.md)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from itertools import islice

from kiosk.domain import ResidentMatch

SEARCH_LIMIT = 20  # as many matches as the server's search returns
MIN_QUERY_LENGTH = 2


def fold(text: str) -> str:
    """Lower-case, accents removed (ñ -> n), runs of spaces and commas made one space.

    The server folds names the same way; a test holds the two to the same answers."""
    decomposed = unicodedata.normalize("NFKD", text.replace(",", " "))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def search_directory(
    directory: Sequence[ResidentMatch], query: str, limit: int = SEARCH_LIMIT
) -> list[ResidentMatch]:
    """Residents whose number is ``query``, or in whose name every word of ``query`` starts
    a word ("ana lop" finds "López, Ana"); in the directory's (the server's) order."""
    number = query.strip().lower()
    words = fold(query).split()
    if len(query.strip()) < MIN_QUERY_LENGTH:
        return []

    def matches(resident: ResidentMatch) -> bool:
        if resident.resident_number.lower() == number:
            return True
        padded = f" {fold(resident.display_name)} "
        return bool(words) and all(f" {word}" in padded for word in words)

    return list(islice((r for r in directory if matches(r)), limit))
