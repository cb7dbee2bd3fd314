"""Paying on the kiosk's card reader (docs/devices.md "The card reader"): a deposit or a
plan's price collected by the reader the server drives. The port (``ServerCardReader``)
follows the payment on its own thread; its events reach the screens through the workflow's
``reader_event`` signal. The kiosk never reads a card: no card number passes here."""

from __future__ import annotations

import threading

from kiosk.capabilities import Outcome
from kiosk.capabilities.family import FamilySessions
from kiosk.devices.card_reader import CardReaderPort, ReaderBusy
from kiosk.requests import BuyPlanOnReader, CancelReaderPayment, DepositOnReader, RenewOnReader
from services.errors import CentralError


class ReaderNotOpen(CentralError):
    """The reader's port is not open yet (the kiosk is still opening its parts)."""

    def __init__(self) -> None:
        super().__init__("reader_unavailable", "the card reader is not open")


class ReaderDesk:
    def __init__(self, family: FamilySessions) -> None:
        self._family = family
        self._lock = threading.Lock()
        self._port: CardReaderPort | None = None

    @property
    def opened(self) -> bool:
        """Whether the port is open (``kiosk/app.py`` opens it after the first paint)."""
        with self._lock:
            return self._port is not None

    def attach(self, port: CardReaderPort) -> None:
        with self._lock:
            self._port = port

    def _opened(self) -> CardReaderPort:
        with self._lock:
            port = self._port
        if port is None:
            raise ReaderNotOpen
        return port

    def deposit(self, request: DepositOnReader) -> Outcome[None]:
        port = self._opened()
        try:
            port.collect_deposit(self._family.current(), request.amount_cents,
                                 request.total_cents, request.save_card, request.key)
        except ReaderBusy:
            raise CentralError("reader_busy", "the reader is finishing a payment") from None
        return Outcome(None)

    def buy(self, request: BuyPlanOnReader) -> Outcome[None]:
        port = self._opened()
        purchase = {
            "plan_id": request.plan_id, "renewal_mode": request.renewal_mode,
            "terms_version": request.terms_version, "accept_terms": True,
            "quoted_total_cents": request.quoted_total_cents, "save_card": request.save_card,
        }
        try:
            port.collect_purchase(self._family.current(), purchase, request.key)
        except ReaderBusy:
            raise CentralError("reader_busy", "the reader is finishing a payment") from None
        return Outcome(None)

    def renew(self, request: RenewOnReader) -> Outcome[None]:
        port = self._opened()
        renewal = {"subscription_id": request.subscription_id,
                   "quoted_total_cents": request.quoted_total_cents,
                   "save_card": request.save_card}
        try:
            port.collect_renewal(self._family.current(), renewal, request.key)
        except ReaderBusy:
            raise CentralError("reader_busy", "the reader is finishing a payment") from None
        return Outcome(None)

    def cancel(self, _request: CancelReaderPayment | None = None) -> Outcome[None]:
        """Cancel on screen, the idle wipe, signing out: returns at once."""
        with self._lock:
            port = self._port
        if port is not None:
            port.cancel()
        return Outcome(None)

    def close(self) -> None:
        with self._lock:
            port, self._port = self._port, None
        if port is not None:
            port.close()
