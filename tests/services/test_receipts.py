"""Paper receipts: the exact ESC/POS bytes a receipt printer receives (python-escpos's own
Dummy printer), and a printer that is missing, offline or out of paper reported as a
problem for the banner, never as an exception that could fail a payment."""

from __future__ import annotations

import socket

import pytest
from escpos.constants import RT_STATUS_ONLINE, RT_STATUS_PAPER
from escpos.exceptions import DeviceNotFoundError
from escpos.printer import Dummy

from services.receipts import (
    LINE_WIDTH,
    PrinterProblem,
    PrinterSpecError,
    ReceiptPrinter,
    ReceiptText,
    layout,
    printer_from_spec,
)

RECEIPT = ReceiptText(
    heading="Depósito AdvanceConnect",
    reference="Referencia R-2041",
    lines=[("Depósito", "$25.00"), ("Cargo por depósito", "$0.00")],
    total=("Total cobrado a Visa •••• 4242", "$25.00"),
    footer=["Sin reembolsos por cancelación anticipada.", "Gracias."],
)


class StatusDummy(Dummy):
    """A Dummy that answers status queries as a real printer does (one status byte)."""

    def __init__(self, online: int = 0x12, paper: int = 0x12) -> None:
        super().__init__()
        self._answers = {RT_STATUS_ONLINE: bytes([online]), RT_STATUS_PAPER: bytes([paper])}
        self._last = b""

    def _raw(self, msg: bytes) -> None:
        self._last = msg
        if msg not in self._answers:
            super()._raw(msg)

    def _read(self) -> bytes:
        return self._answers[self._last]


def test_a_receipt_is_printed_and_cut() -> None:
    printer = StatusDummy()
    outcome = ReceiptPrinter(lambda: printer).print_receipt(RECEIPT)
    assert outcome.printed and outcome.problem is None
    data = printer.output
    heading = "Dep\u00f3sito AdvanceConnect".encode("cp437") + b"\n"
    assert b"\x1bE\x01\x1ba\x01" in data.split(heading)[0]  # bold and centred heading
    assert heading in data  # accents travel in the printer's code page
    assert b"Referencia R-2041\n" in data
    assert b"$25.00\n" in data
    assert data.endswith(b"\x1dV\x00")  # full cut
    assert b"4242" in data and b"4242424242424242" not in data


def test_layout_keeps_amounts_on_the_right_and_wraps_long_labels() -> None:
    lines = layout(RECEIPT)
    assert all(len(line) <= LINE_WIDTH for line in lines)
    amount_lines = [line for line in lines if line.endswith("$25.00")]
    assert len(amount_lines) == 2
    long = ReceiptText("x", "R-1", [("Suscripción de llamadas mensual con renovación automática "
                                     "en Harbor County Jail", "$40.00")], ("Total", "$40.00"))
    wrapped = layout(long)
    assert all(len(line) <= LINE_WIDTH for line in wrapped)
    item = wrapped[2:-2]
    assert len(item) > 1 and item[0].startswith("Suscripción")
    assert item[-1].endswith("$40.00") and not any("$" in line for line in item[:-1])


def test_an_empty_printer_prints_nothing_and_says_why() -> None:
    printer = StatusDummy(paper=0x7E)  # the paper-end sensor
    outcome = ReceiptPrinter(lambda: printer).print_receipt(RECEIPT)
    assert (outcome.printed, outcome.problem) == (False, PrinterProblem.NO_PAPER)
    assert b"Referencia" not in printer.output


def test_an_offline_printer_is_reported() -> None:
    printer = StatusDummy(online=0x1A)  # offline bit set (cover open)
    outcome = ReceiptPrinter(lambda: printer).print_receipt(RECEIPT)
    assert (outcome.printed, outcome.problem) == (False, PrinterProblem.OFFLINE)


def test_a_missing_printer_is_reported() -> None:
    def unplugged() -> Dummy:
        raise DeviceNotFoundError("USB device not found")

    outcome = ReceiptPrinter(unplugged).print_receipt(RECEIPT)
    assert (outcome.printed, outcome.problem) == (False, PrinterProblem.MISSING)


def test_a_printer_that_cannot_report_status_still_prints() -> None:
    printer = Dummy()  # a plain connection: no status to read back
    assert ReceiptPrinter(lambda: printer).print_receipt(RECEIPT).printed
    assert b"Referencia R-2041" in printer.output


def test_the_printer_setting_names_a_real_connection(tmp_path) -> None:  # type: ignore[no-untyped-def]
    device = tmp_path / "lp0"
    device.write_bytes(b"")
    printer = ReceiptPrinter(printer_from_spec(f"file:{device}"))
    assert printer.print_receipt(RECEIPT).printed  # a file cannot report status: it prints
    assert b"Referencia R-2041" in device.read_bytes()
    for bad in ("", "usb:04b8", "usb:zz:0202", "network:", "parallel:/dev/lp0", "file:"):
        with pytest.raises(PrinterSpecError):
            printer_from_spec(bad)


def test_a_network_printer_that_does_not_answer_is_missing() -> None:
    unused = socket.socket()
    unused.bind(("127.0.0.1", 0))
    port = unused.getsockname()[1]
    unused.close()  # nothing listens there
    outcome = ReceiptPrinter(printer_from_spec(f"network:127.0.0.1:{port}", 1)).print_receipt(
        RECEIPT)
    assert (outcome.printed, outcome.problem) == (False, PrinterProblem.MISSING)
