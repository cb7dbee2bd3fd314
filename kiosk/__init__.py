"""kiosk package: the lobby kiosk's core (no widgets)."""

__version__ = "0.1.0"
