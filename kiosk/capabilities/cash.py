"""Cash at the kiosk's note acceptor (docs/cash.md, docs/devices.md): the acceptor, the
note journal and its driver, opened together with the kiosk's other parts, and what the
cash screens ask of them. Every method but ``listen`` runs on a worker thread.

The acceptor's events come on its own thread: the driver journals each one first (a note
is on disk before it is stacked), then ``CashDesk`` notes what the screens need (the notes
the unit takes, whether it is online, an alert for staff) and passes it on to the listener
the workflow gives (a Qt relay to the GUI thread, ``kiosk/devices/relay.py``).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.capabilities import Outcome
from kiosk.domain import CashBoxCount, CashReceipt, CashTerms, CashUpdate, NoteInDoubt
from kiosk.requests import (
    FinishCash,
    InsertDemoNote,
    LoadCashBox,
    LoadCashTerms,
    LoadNotesInDoubt,
    RemoveCashBox,
    SettleNoteInDoubt,
    StartCash,
)
from services.central_client import CentralError

if TYPE_CHECKING:
    from kiosk.cash import CashDriver, CassetteCount, NoteJournal
    from kiosk.devices.bill_acceptor import AcceptorEvent, BillAcceptor
    from kiosk.store import LocalStore

log = logging.getLogger(__name__)

# The most one visit's notes may add until the server has said its facility's own maximum
# (``CashDesk.maximum``): the server's deposit maximum, which it credits a stacked note up
# to whatever the facility's (docs/cash.md, "The limits"); the acceptor gives back a note
# that would pass the visit's maximum before it is stacked.
CASH_VISIT_MAXIMUM_CENTS = 30_000
# The demo's simulated unit: a jam (the demo's "Jam" note) is cleared this long after, as
# staff would clear it (``CashDesk._demo_clear_jam``).
DEMO_JAM_CLEARED_AFTER = 2.0
# Alerts staff must see (the staff home and the cash box screen name them).
ALERTS = frozenset({"offline", "jammed", "full", "taken_back"})


class CashUnavailable(Exception):
    """No acceptor is configured, it is offline, or nobody is signed in to deposit."""


def cash_update(event: AcceptorEvent) -> CashUpdate:
    """An acceptor event as the screens hear it."""
    from kiosk.devices.bill_acceptor import (
        CashboxRemoved,
        CashboxReplaced,
        JamCleared,
        Jammed,
        NoteInEscrow,
        NoteReading,
        NoteReturned,
        NoteStacked,
        Offline,
        Ready,
        StackerFull,
    )

    match event:
        case Ready():
            return CashUpdate("ready")
        case Offline(reason=reason):
            return CashUpdate("offline", reason=reason)
        case NoteReading():
            return CashUpdate("reading")
        case NoteInEscrow(note=note):
            return CashUpdate("held", note.value)
        case NoteStacked(escrow_id=escrow_id, note=note):
            # A note nobody escrowed (cleared into the cashbox at power-up) is no family's.
            return CashUpdate("stacked" if escrow_id is not None else "unclaimed", note.value)
        case NoteReturned(note=note, reason=reason):
            return CashUpdate("returned", note.value if note else None, reason.value)
        case Jammed(note=note):
            return CashUpdate("jammed", note.value if note else None)
        case JamCleared():
            return CashUpdate("jam_cleared")
        case StackerFull():
            return CashUpdate("full")
        case CashboxRemoved():
            return CashUpdate("cashbox_removed")
        case CashboxReplaced():
            return CashUpdate("cashbox_replaced")
    raise ValueError(f"unknown acceptor event {event!r}")


class CashDesk:
    """The note acceptor and its journal, or nothing (``acceptor`` None: no acceptor is
    configured, and every cash request is refused ``cash_unavailable``).

    ``account_id`` names the signed-in family; ``send`` delivers the outbox now (the
    workflow's access check and drain), raising when the server cannot be reached."""

    def __init__(self, journal: NoteJournal | None = None, driver: CashDriver | None = None,
                 acceptor: BillAcceptor | None = None) -> None:
        self.journal = journal
        self.driver = driver
        self.acceptor = acceptor
        self._listener: Callable[[AcceptorEvent], None] | None = None
        self._notes: tuple[int, ...] = ()
        self._online = False
        self.alert = ""  # what staff must see about the acceptor ("" when it is well)
        self.account_id: Callable[[], str] = lambda: ""
        self.send: Callable[[], None] = lambda: None
        # The facility's cash maximum from the server (the workflow's client call); the
        # last one heard is kept for when the server cannot be reached.
        self.maximum: Callable[[], int] = lambda: CASH_VISIT_MAXIMUM_CENTS
        self._maximum = CASH_VISIT_MAXIMUM_CENTS
        # The staff member signed in ("" when none): who settles a note in doubt.
        self.staff_id: Callable[[], str] = lambda: ""
        self._demo_clearing: threading.Timer | None = None

    @classmethod
    def open(cls, spec: str, store: LocalStore, **options: object) -> CashDesk:
        """Worker thread (``kiosk.app.open_parts``): the journal and the acceptor ``spec``
        names (``acceptor_from_spec``); the acceptor's thread starts with ``start``."""
        from kiosk.cash import CashDriver, NoteJournal
        from kiosk.devices.bill_acceptor import acceptor_from_spec

        journal = NoteJournal(store)
        desk = cls(journal)
        driver = CashDriver(journal, on_event=desk._heard)
        acceptor = acceptor_from_spec(spec, driver, **options)  # AcceptorSpecError
        driver.attach(acceptor)
        desk.driver, desk.acceptor = driver, acceptor
        return desk

    @property
    def configured(self) -> bool:
        return self.acceptor is not None

    @property
    def available(self) -> bool:
        """Configured, answering and set up: "Add money with cash" is offered."""
        return self.acceptor is not None and self._online

    @property
    def state(self) -> str:
        """What the heartbeat says of the acceptor (the server's AcceptorState values):
        "none" without one, the alert staff must see, else "ready" once it answered."""
        if self.acceptor is None:
            return "none"
        if self.alert:
            return self.alert
        return "ready" if self._online else "offline"

    @property
    def visiting(self) -> bool:
        """A family's cash visit is open: the acceptor takes their notes."""
        return self.driver is not None and self.driver.visiting

    @property
    def simulated(self) -> bool:
        from kiosk.devices.bill_acceptor import SimulatedBillAcceptor

        return isinstance(self.acceptor, SimulatedBillAcceptor)

    def listen(self, listener: Callable[[AcceptorEvent], None]) -> None:
        """Where events go once journaled (the GUI thread's relay)."""
        self._listener = listener

    def start(self) -> None:
        """Start the acceptor's thread: it opens the port and sets the unit up; ``Ready``
        or ``Offline`` follows. Returns at once."""
        if self.acceptor is not None:
            self.acceptor.open()

    def close(self) -> None:
        """Take no more notes and stop the acceptor (a held note goes back); blocks up to
        5 s, so not on the GUI thread while the kiosk runs."""
        if self._demo_clearing is not None:
            self._demo_clearing.cancel()
        if self.driver is not None:
            self.driver.close()
        if self.acceptor is not None:
            self.acceptor.close()

    def _heard(self, event: AcceptorEvent) -> None:
        """The acceptor's thread, after the driver journaled ``event``."""
        update = cash_update(event)
        if update.kind == "ready":
            self._notes = tuple(sorted(note.value for note in event.notes))  # type: ignore[union-attr]
            self._online = True
            if self.alert == "offline":
                self.alert = ""
        elif update.kind == "offline":
            self._online = False
            self.alert = "offline"
        elif update.kind in ("jammed", "full"):
            self.alert = update.kind
            if update.kind == "jammed":
                self._demo_clear_jam(safe=bool(getattr(event, "safe", False)))
        elif update.kind in ("jam_cleared", "cashbox_replaced") and self.alert in (
                "jammed", "full"):
            self.alert = ""
        elif update.kind == "returned" and update.reason == "taken_back":
            self.alert = "taken_back"
        if update.kind in ALERTS or (update.kind == "returned"
                                     and update.reason == "taken_back"):
            # The staff alert: the log, the audit trail (the driver wrote it for jams, a
            # full stacker and the unit going offline) and the staff home's status line.
            log.warning("note acceptor needs staff: %s %s", update.kind, update.reason)
            if update.kind == "returned" and self.journal is not None:
                self.journal.store.audit("cash_acceptor_alert", "note taken back")
        listener = self._listener
        if listener is not None:
            listener(event)

    def _demo_clear_jam(self, *, safe: bool) -> None:
        """The demo's unit has no staff to open it: its jam clears itself shortly, as staff
        would clear it: a note jammed inside after it was accepted goes on into the cashbox
        (and is credited), one jammed within reach while read comes back out of the front."""
        from kiosk.devices.bill_acceptor import SimulatedBillAcceptor

        acceptor = self.acceptor
        if not isinstance(acceptor, SimulatedBillAcceptor):
            return

        def clear() -> None:
            with contextlib.suppress(ValueError):  # cleared already
                acceptor.simulator.clear_jam(into_cashbox=safe)

        self._demo_clearing = threading.Timer(DEMO_JAM_CLEARED_AFTER, clear)
        self._demo_clearing.daemon = True
        self._demo_clearing.start()

    # -- the family's visit ---------------------------------------------------------------

    def _ready_desk(self) -> tuple[CashDriver, NoteJournal]:
        if self.driver is None or self.journal is None or not self._online:
            raise CashUnavailable
        return self.driver, self.journal

    def _taken(self, maximum: int) -> tuple[int, ...]:
        """The unit's notes a visit may take: none over the visit's maximum."""
        return tuple(value for value in self._notes if value <= maximum)

    def terms(self, _request: LoadCashTerms) -> Outcome[CashTerms]:
        """The notes and the facility's maximum, asked of the server each visit; offline,
        the last maximum it said (the server credits a stacked note whatever it is now)."""
        self._ready_desk()
        online = True
        try:
            self._maximum = max(1, min(self.maximum(), CASH_VISIT_MAXIMUM_CENTS))
        except (CentralError, OSError) as exc:
            log.info("cash maximum from the server unavailable, %d c kept: %s",
                     self._maximum, exc)
            online = False
        maximum = self._maximum
        return Outcome(CashTerms(self._taken(maximum), maximum, self.simulated),
                       online=online)

    def begin(self, request: StartCash) -> Outcome[CashTerms]:
        """Enable the acceptor for the family, never past the facility's maximum: a note
        that would take the visit past it is given back before it is stacked."""
        driver, _journal = self._ready_desk()
        account = self.account_id()
        if not account:
            raise CashUnavailable
        maximum = max(1, min(request.maximum_cents, self._maximum))
        notes = self._taken(maximum)
        driver.start(account, notes, maximum)
        return Outcome(CashTerms(notes, maximum, self.simulated))

    def finish(self, _request: FinishCash) -> Outcome[CashReceipt]:
        """"Done": no more notes; the receipt is queued behind the visit's deposits and the
        outbox goes now. A server out of reach leaves them queued (``sent`` False)."""
        if self.driver is None or self.journal is None:
            raise CashUnavailable
        visit = self.driver.finish()
        notes = visit.stacked if visit is not None else ()
        sent = self._send_now() and self._all_sent(visit.key if visit else "")
        return Outcome(CashReceipt(tuple(notes), sent), online=sent or not notes)

    def end_visit(self) -> None:
        """The family left (the idle wipe, sign-out): take no more notes; what was stacked
        is already queued, and goes now with the visit's receipt."""
        if self.driver is None or not self.driver.visiting:
            return
        visit = self.driver.finish()
        if visit is not None:
            log.info("cash visit ended with the session: %d notes stacked",
                     len(visit.stacked))
            self._send_now()

    def _send_now(self) -> bool:
        try:
            self.send()
        except (CentralError, OSError) as exc:  # the outbox keeps them; the timer retries
            log.info("cash deposits wait in the outbox: %s", exc)
            return False
        return True

    def _all_sent(self, visit: str) -> bool:
        from kiosk.cash import NoteState
        from kiosk.store import OutboxState

        assert self.journal is not None
        store = self.journal.store
        for note in self.journal.notes():
            if note.visit != visit or note.state != NoteState.STACKED:
                continue
            entry = store.entry(note.outbox_id) if note.outbox_id is not None else None
            if entry is None or entry.state != OutboxState.SENT.value:
                return False
        return True

    def demo_note(self, request: InsertDemoNote) -> Outcome[None]:
        """The demo's simulated acceptor takes a note, as if a visitor inserted one."""
        from kiosk.devices.bill_acceptor import SimulatedBillAcceptor
        from kiosk.devices.essp.device import Behaviour

        if not isinstance(self.acceptor, SimulatedBillAcceptor):
            raise CashUnavailable
        self.acceptor.simulator.insert(request.cents, Behaviour[request.kind.upper()])
        return Outcome(None, online=True)

    # -- staff: the cash box ----------------------------------------------------------------

    def _view(self, count: CassetteCount, *, removed: bool) -> CashBoxCount:
        return CashBoxCount(count.cassette, tuple(sorted(count.notes.items())),
                            count.in_doubt, removed, self.alert)

    def cash_box(self, _request: LoadCashBox) -> Outcome[CashBoxCount]:
        if self.journal is None:
            raise CashUnavailable
        count = self.journal.count(self.journal.current_cassette())
        return Outcome(self._view(count, removed=False))

    def remove_cash_box(self, request: RemoveCashBox) -> Outcome[CashBoxCount]:
        """Staff took cassette ``request.cassette`` out: closed and counted here unless the
        unit reported it first; the count goes to the server now (or waits its turn)."""
        if self.journal is None:
            raise CashUnavailable
        count, _closed_now = self.journal.remove_cassette(request.cassette)
        sent = self._send_now()
        return Outcome(self._view(count, removed=True), online=sent)

    # -- staff: notes in doubt (docs/cash.md, "Notes in doubt, for staff") -----------------

    def _in_doubt(self) -> list[NoteInDoubt]:
        assert self.journal is not None
        return [NoteInDoubt(note.key, note.escrowed_at, note.cents, note.account_id or "",
                            note.visit, note.cassette)
                for note in self.journal.notes_in_doubt()]

    def notes_in_doubt(self, _request: LoadNotesInDoubt) -> Outcome[list[NoteInDoubt]]:
        if self.journal is None:
            raise CashUnavailable
        return Outcome(self._in_doubt())

    def settle_in_doubt(self, request: SettleNoteInDoubt) -> Outcome[list[NoteInDoubt]]:
        """Staff credit a note in doubt after counting (its deposit goes now, or waits in
        the outbox) or mark it not found; answers the notes still in doubt. Refused
        ``note_not_in_doubt`` when it was settled already."""
        if self.journal is None:
            raise CashUnavailable
        staff = self.staff_id()
        if not staff:
            raise CentralError("staff_required", "no staff member is signed in")
        if not self.journal.settle_in_doubt(request.key, credit=request.credit,
                                            staff_id=staff, reason=request.reason):
            raise CentralError("note_not_in_doubt", "this note was settled already")
        # The deposit (and the audit event) go now, or wait in the outbox for the server.
        return Outcome(self._in_doubt(), online=self._send_now())
