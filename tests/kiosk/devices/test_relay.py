"""The relay delivers acceptor events on the GUI thread, in order, while the acceptor's
own thread talks to the simulated unit."""

from __future__ import annotations

import threading

from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot

from kiosk.devices.bill_acceptor import (
    AcceptorEvent,
    BillAcceptor,
    NoteInEscrow,
    NoteReading,
    NoteStacked,
    Ready,
)
from kiosk.devices.essp.simulator import Simulator
from kiosk.devices.relay import AcceptorRelay


def test_events_arrive_on_the_gui_thread_in_order(qtbot: QtBot, sim: Simulator) -> None:
    relay = AcceptorRelay()
    heard: list[tuple[AcceptorEvent, bool]] = []
    acceptor = BillAcceptor(sim.port, relay, timeout=0.05, poll_interval=0.02)

    def on_event(event: AcceptorEvent) -> None:
        gui = threading.current_thread() is threading.main_thread()
        heard.append((event, gui))
        if isinstance(event, NoteInEscrow):
            acceptor.accept(event.escrow_id)

    relay.received.connect(on_event)
    acceptor.open()
    qtbot.waitUntil(lambda: any(isinstance(e, Ready) for e, _ in heard), timeout=3000)
    acceptor.enable({2000}, maximum=2000)
    sim.insert(2000)
    qtbot.waitUntil(lambda: any(isinstance(e, NoteStacked) for e, _ in heard), timeout=3000)
    acceptor.close()
    QCoreApplication.processEvents()
    assert [type(e) for e, _ in heard] == [Ready, NoteReading, NoteInEscrow, NoteStacked]
    assert all(gui for _, gui in heard)
    assert sim.stacked == [2000]
