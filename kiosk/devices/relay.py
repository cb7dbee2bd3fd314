"""Acceptor events onto the GUI thread: a ``BillAcceptor`` calls its listener on its own
thread, and a Qt signal emitted there reaches slots of objects on the GUI thread queued,
in order (as ``kiosk/tasks.py`` relays its jobs' results). Widgets are never touched from
the acceptor's thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from kiosk.devices.bill_acceptor import AcceptorEvent
from kiosk.devices.reader_events import ReaderEvent


class AcceptorRelay(QObject):
    """Give it as the acceptor's listener; connect ``received`` on the GUI thread."""

    received = Signal(object)

    def __call__(self, event: AcceptorEvent) -> None:
        self.received.emit(event)


class ReaderRelay(QObject):
    """The card reader's events onto the GUI thread, the same way: give it as the
    ``ServerCardReader``'s listener; connect ``received`` on the GUI thread."""

    received = Signal(object)

    def __call__(self, event: ReaderEvent) -> None:
        self.received.emit(event)
