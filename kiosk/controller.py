"""The one object the screens talk to: it runs kiosk work off the GUI thread and reports back.

Signals:
    facilities_loaded(list[FacilitySummary]): the facilities this kiosk can enroll for.
    residents_found(list[ResidentMatch]): answer to ``search_residents``.
    registration_finished(RegistrationResult): the account exists, or is queued offline.
    failed(str, str): (problem code, field name or "") of a request the family can act on.
    busy_changed(bool): a request is under way (screens show progress, disable "Next").
    connection_changed(bool): True when the central API answers.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from kiosk.domain import Registration


class KioskController(QObject):
    facilities_loaded = Signal(list)
    residents_found = Signal(list)
    registration_finished = Signal(object)
    failed = Signal(str, str)
    busy_changed = Signal(bool)
    connection_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._payments_available = False

    @property
    def payments_available(self) -> bool:
        """False when no secure keyring is available: card payments are switched off."""
        return self._payments_available

    def load_facilities(self) -> None:
        raise NotImplementedError  # the real implementation lands with the services layer

    def search_residents(self, facility_id: str, query: str) -> None:
        raise NotImplementedError

    def register(self, registration: Registration) -> None:
        raise NotImplementedError
