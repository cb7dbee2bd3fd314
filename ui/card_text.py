"""A card as the family sees it: its brand and last four digits, nothing more."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from kiosk.domain import CardView

BRANDS = {"visa": "Visa", "mastercard": "Mastercard", "amex": "American Express",
          "discover": "Discover"}


def card_text(card: CardView) -> str:
    brand = BRANDS.get(card.brand.lower(), card.brand.title())
    return QCoreApplication.translate("CardText", "{brand} ending in {last4}").format(
        brand=brand, last4=card.last4
    )
