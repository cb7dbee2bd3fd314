"""Paper receipts of payments on an ESC/POS receipt printer (python-escpos). A printer that
is missing, offline or out of paper is reported for a banner; it never fails a payment
(the server e-mails every receipt too)."""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from escpos.escpos import Escpos
from escpos.exceptions import DeviceNotFoundError
from escpos.exceptions import Error as EscposError

log = logging.getLogger(__name__)

LINE_WIDTH = 42  # characters per line of font A on 80 mm paper


class PrinterProblem(enum.StrEnum):
    MISSING = "printer_missing"  # not configured, unplugged, or not answering
    NO_PAPER = "printer_no_paper"
    OFFLINE = "printer_offline"  # cover open, error state


@dataclass(frozen=True)
class ReceiptText:
    """A receipt already in the family's language, with amounts already formatted (money
    is formatted only at the edge; the caller holds the locale)."""

    heading: str
    reference: str  # "Reference R-2041": what staff and the family quote
    lines: Sequence[tuple[str, str]]  # label, amount
    total: tuple[str, str]
    footer: Sequence[str] = ()


@dataclass(frozen=True)
class PrintOutcome:
    printed: bool
    problem: PrinterProblem | None = None


def layout(receipt: ReceiptText, width: int = LINE_WIDTH) -> list[str]:
    """Label left, amount right, one line each; long labels wrap instead of pushing the
    amount off the paper."""

    def row(label: str, amount: str) -> list[str]:
        room = width - len(amount) - 1
        words, lines, current = label.split(), [], ""
        for word in words:
            candidate = f"{current} {word}".strip()
            if len(candidate) > room and current:
                lines.append(current)
                current = word
            else:
                current = candidate
        lines.append(current)
        lines[-1] = lines[-1][:room].ljust(room) + " " + amount
        return lines

    out = [receipt.reference, "-" * width]
    for label, amount in receipt.lines:
        out += row(label, amount)
    out.append("-" * width)
    out += row(*receipt.total)
    return out


class PrinterSpecError(ValueError):
    """The ``receipt_printer`` setting does not name a printer we can open."""


def printer_from_spec(spec: str, timeout: float = 5.0) -> Callable[[], Escpos]:
    """How to reach the lobby's printer, from the ``receipt_printer`` setting:
    ``usb:VENDOR:PRODUCT`` (hex ids), ``network:HOST[:PORT]``, ``serial:DEVICE`` or
    ``file:PATH`` (a device node such as /dev/usb/lp0). Opening happens per receipt."""
    from escpos.printer import File, Network, Serial, Usb

    kind, _, rest = spec.partition(":")
    try:
        match kind:
            case "usb":
                vendor, product = (int(part, 16) for part in rest.split(":"))
                return partial(_open, Usb, vendor, product, timeout=int(timeout * 1000))
            case "network" if rest:
                host, _, port = rest.partition(":")
                return partial(_open, Network, host, int(port or 9100), timeout=timeout)
            case "serial" if rest:
                return partial(_open, Serial, rest, timeout=timeout)
            case "file" if rest:
                return partial(_open, File, rest)
    except ValueError as exc:
        raise PrinterSpecError(f"unknown receipt printer {spec!r}: {exc}") from exc
    raise PrinterSpecError(f"unknown receipt printer {spec!r}")


def _open(kind: Callable[..., Escpos], *args: object, **kwargs: object) -> Escpos:
    printer = kind(*args, **kwargs)
    printer.open()
    return printer


class ReceiptPrinter:
    """Prints on the printer that ``connect`` opens (a fresh connection per receipt: a
    printer unplugged and plugged back in during the day just works again)."""

    def __init__(self, connect: Callable[[], Escpos]) -> None:
        self._connect = connect

    def status(self) -> PrinterProblem | None:
        """What stops a receipt right now, or None when the printer is ready."""
        try:
            printer = self._connect()
        except (DeviceNotFoundError, EscposError, OSError):
            return PrinterProblem.MISSING
        try:
            return self._problem(printer)
        finally:
            printer.close()

    def print_receipt(self, receipt: ReceiptText) -> PrintOutcome:
        try:
            printer = self._connect()
        except (DeviceNotFoundError, EscposError, OSError) as exc:
            log.warning("receipt printer missing: %s", exc)
            return PrintOutcome(False, PrinterProblem.MISSING)
        try:
            problem = self._problem(printer)
            if problem is not None:
                log.warning("receipt not printed: %s", problem.value)
                return PrintOutcome(False, problem)
            printer.set(align="center", bold=True, double_height=True)
            printer.textln(receipt.heading)
            printer.set(align="left", bold=False, normal_textsize=True)
            for line in layout(receipt):
                printer.textln(line)
            for line in receipt.footer:
                printer.textln(line)
            printer.cut()
        except (EscposError, OSError) as exc:
            log.warning("receipt printer failed: %s", exc)
            return PrintOutcome(False, PrinterProblem.OFFLINE)
        finally:
            printer.close()
        return PrintOutcome(True)

    @staticmethod
    def _problem(printer: Escpos) -> PrinterProblem | None:
        """Ask the printer first: a receipt sent to an empty printer is silently lost.
        Connections that cannot read back (a plain file, many network printers) are taken
        as ready."""
        try:
            if not printer.is_online():
                return PrinterProblem.OFFLINE
            if printer.paper_status() == 0:
                return PrinterProblem.NO_PAPER
        except NotImplementedError:
            log.debug("this printer connection cannot report its status")
        return None
