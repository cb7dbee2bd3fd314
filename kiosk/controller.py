"""The one object the screens talk to: one typed request/answer path, run off the GUI thread.

Signals:
    answered(object, object): (request, answer) for a request from ``kiosk.requests``.
    refused(object, Refusal): (request, why) when a request could not be done.
    failed(str, str): (problem code, field or "") of every refusal, for those that only
        need the problem.
    busy_changed(bool): a request is under way (screens show progress, disable "Next").
    connection_changed(bool): True when the central API answers.
    service_changed(bool, str): whether the fleet's operators let this kiosk serve families,
        and the reason they gave when not (from the heartbeat).
    waiting_changed(int): how many queued commands (sign-ups, conflict reports) wait in
        the outbox to be sent.
    payments_changed(bool): ``payments_available`` changed (known late when the keyring
        opens after the first screen, ``kiosk.opening``).
    cash_event(CashUpdate): the note acceptor did something (docs/cash.md), on the GUI
        thread, after the note journal recorded it.
    cash_changed(bool): ``cash_available`` changed (the acceptor is ready, or offline).
    reader_event(object): what the card reader is doing with the payment a screen started
        (``kiosk.devices.reader_events``), on the GUI thread, in order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    # Annotations only: the window's first frame is built with a controller, and must not
    # wait for the request table's import (docs/performance.md "The kiosk's first paint").
    from kiosk.domain import Refusal
    from kiosk.requests import Request


class KioskController(QObject):
    answered = Signal(object, object)
    refused = Signal(object, object)
    failed = Signal(str, str)
    busy_changed = Signal(bool)
    connection_changed = Signal(bool)
    waiting_changed = Signal(int)
    service_changed = Signal(bool, str)
    payments_changed = Signal(bool)
    cash_event = Signal(object)
    cash_changed = Signal(bool)
    reader_event = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._payments_available = False

    @property
    def printer_available(self) -> bool:
        """True when a receipt printer is configured: receipts of payments are printed."""
        return False

    @property
    def payments_available(self) -> bool:
        """False when no secure keyring is available: card payments are switched off."""
        return self._payments_available

    @property
    def cash_available(self) -> bool:
        """True when a note acceptor is configured and ready: "Add money with cash"."""
        return False

    @property
    def cash_alert(self) -> str:
        """What staff must see about the note acceptor (offline, jammed, full,
        taken_back), or ""."""
        return ""

    def request(self, request: Request) -> None:
        """Start ``request``; exactly one of ``answered`` or ``refused`` follows for it."""
        raise NotImplementedError

    def forget_family(self) -> None:
        """Drop the signed-in family's session (sign-out, idle wipe, finish)."""

    def forget_staff(self) -> None:
        """End staff mode: drop the staff session (End staff mode, idle wipe)."""

    def answer(self, request: Request, answer: object) -> None:
        self.answered.emit(request, answer)

    def refuse(self, request: Request, refusal: Refusal) -> None:
        self.refused.emit(request, refusal)
        self.failed.emit(refusal.code, refusal.field)
