"""The receipt printer: a paid deposit or plan printed for the family, and the printer's
state for the heartbeat. A missing printer or an empty paper roll is an answer (a banner),
never an error: the payment is done and the receipt was e-mailed."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.capabilities import Outcome
from kiosk.capabilities.fleet import PRINTER_NONE, PRINTER_READY
from kiosk.requests import PrintReceipt

if TYPE_CHECKING:
    # Only a kiosk with a printer pays for python-escpos's import (kiosk/app.py builds it).
    from services.receipts import ReceiptPrinter


class ReceiptDesk:
    def __init__(self, printer: ReceiptPrinter | None, online: Callable[[], bool]) -> None:
        self._printer = printer
        self._online = online

    @property
    def available(self) -> bool:
        return self._printer is not None

    def print(self, request: PrintReceipt) -> Outcome[str]:
        """Worker threads only: "" once printed, else the printer's problem code."""
        if self._printer is None:
            return Outcome("printer_missing")
        from services.receipts import ReceiptText

        outcome = self._printer.print_receipt(ReceiptText(
            heading=request.heading, reference=request.reference, lines=request.lines,
            total=request.total, footer=request.footer,
        ))
        return Outcome(outcome.problem.value if outcome.problem else "", online=self._online())

    def state(self) -> str:
        """Worker threads only: what the heartbeat says of the receipt printer."""
        if self._printer is None:
            return PRINTER_NONE
        problem = self._printer.status()
        return PRINTER_READY if problem is None else problem.value
