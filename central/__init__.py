"""The central API server: accounts, money and subscription rules for every kiosk.

"Rule N" in the code and the tests is rule N of docs/billing-rules.md."""

__version__ = "0.1.0"
