"""The central API server: accounts, money and subscription rules for every kiosk."""

__version__ = "0.1.0"
