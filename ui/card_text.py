"""A card as the family sees it: its brand and last four digits, nothing more. The words
are ``ui.formats.card``'s, the one place numbers are written (issue 19, Low)."""

from __future__ import annotations

from kiosk.domain import CardView
from ui.formats import card


def card_text(view: CardView) -> str:
    return card(view.brand, view.last4)
