"""Cash at the kiosk, below the screens (docs/cash.md): the note journal and the headless
driver that connects a note acceptor's events to it.

The journal lives in the kiosk's SQLite store (``kiosk/store.py``), beside the outbox:

1. ``NoteInEscrow``: the note is written ``escrowed`` (with a new key of its own) and
   committed *before* the acceptor is told to stack it (``accept``);
2. ``NoteStacked``: in one transaction the note becomes ``stacked`` and an outbox row
   ``cash_deposit`` carrying its key is queued; the outbox sender delivers it with that
   key as its Idempotency-Key, so the server credits it once however often it is sent;
3. ``NoteReturned``: the note becomes ``returned`` and nothing is sent.

A note left ``escrowed`` by a kiosk that died is *in doubt*. At the next start the driver
waits for the acceptor to say what became of it (a note the unit still held, or was
stacking, comes as ``NoteStacked(None, note)``; one it gave back as ``NoteReturned``) and
otherwise, after ``doubt_grace``, marks it ``in_doubt`` for staff: never credited blind.
When staff take the cassette out (``CashboxRemoved``) the cassette's count (notes by
denomination, and the notes in doubt) is queued for the server in one transaction.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Integer, String, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from kiosk.devices.bill_acceptor import (
    AcceptorEvent,
    CashboxRemoved,
    Jammed,
    NoteAcceptor,
    NoteInEscrow,
    NoteReturned,
    NoteStacked,
    Offline,
    Ready,
    StackerFull,
)
from kiosk.store import AuditEvent, LocalBase, LocalStore, OutboxEntry, _add_staff_audit

log = logging.getLogger(__name__)

# Outbox operations (kiosk/store.py's table; kiosk/sync.py sends them).
CASH_DEPOSIT = "cash_deposit"
CASH_BOX_COUNT = "cash_box_count"
CASH_RECEIPT = "cash_receipt"  # "Done": one e-mailed receipt for the visit's notes


class NoteState:
    ESCROWED = "escrowed"  # recorded; the acceptor may have been told to stack it
    STACKED = "stacked"  # in the cashbox; its deposit is in the outbox
    RETURNED = "returned"  # given back; never credited
    IN_DOUBT = "in_doubt"  # escrowed by a kiosk that died, and its end could not be learnt
    UNCLAIMED = "unclaimed"  # stacked with no note of ours in escrow: counted, not credited
    NOT_FOUND = "not_found"  # in doubt, and staff did not find it when they counted the box


class CashNote(LocalBase):
    __tablename__ = "cash_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)  # its deposit's key
    run: Mapped[str] = mapped_column(String(32), index=True)  # the driver that saw it
    escrow_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cents: Mapped[int] = mapped_column(Integer)
    account_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    visit: Mapped[str] = mapped_column(String(64))
    cassette: Mapped[int] = mapped_column(Integer, index=True)
    state: Mapped[str] = mapped_column(String(16), index=True)
    reason: Mapped[str | None] = mapped_column(String(32), nullable=True)
    outbox_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    escrowed_at: Mapped[datetime]
    ended_at: Mapped[datetime | None] = mapped_column(nullable=True)


class Cassette(LocalBase):
    """The acceptor's cashbox between two removals; the open one has no ``removed_at``."""

    __tablename__ = "cash_cassettes"

    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    opened_at: Mapped[datetime]
    removed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    outbox_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


@dataclass(frozen=True)
class CassetteCount:
    cassette: int
    notes: dict[int, int]  # cents -> how many
    in_doubt: int

    @property
    def total_cents(self) -> int:
        return sum(cents * n for cents, n in self.notes.items())


class NoteJournal:
    """The durable record of every note (see the module). Safe from any thread: each
    method is one SQLite transaction (``BEGIN IMMEDIATE``, ``synchronous=FULL``)."""

    def __init__(self, store: LocalStore) -> None:
        self.store = store
        LocalBase.metadata.create_all(
            store.engine, tables=[CashNote.__table__, Cassette.__table__])  # type: ignore[list-item]

    def _cassette(self, session: Session) -> int:
        number = session.execute(
            select(Cassette.number).where(Cassette.removed_at.is_(None))).scalar()
        if number is not None:
            return number
        last = session.execute(select(func.max(Cassette.number))).scalar() or 0
        session.add(Cassette(number=last + 1, opened_at=self.store.clock.now()))
        session.flush()
        return last + 1

    def current_cassette(self) -> int:
        with self.store.transaction() as session:
            return self._cassette(session)

    def escrowed(self, run: str, escrow_id: int, cents: int, account_id: str,
                 visit: str) -> str:
        """Record a note held in escrow; committed when this returns. Answers its key."""
        key = f"cash:{uuid.uuid4().hex}"
        with self.store.transaction() as session:
            session.add(CashNote(
                key=key, run=run, escrow_id=escrow_id, cents=cents, account_id=account_id,
                visit=visit, cassette=self._cassette(session), state=NoteState.ESCROWED,
                escrowed_at=self.store.clock.now()))
        return key

    def _held(self, session: Session, run: str, escrow_id: int) -> CashNote | None:
        return session.execute(select(CashNote).where(
            CashNote.run == run, CashNote.escrow_id == escrow_id,
            CashNote.state == NoteState.ESCROWED)).scalar_one_or_none()

    def _stack(self, session: Session, note: CashNote, reason: str | None) -> None:
        now = self.store.clock.now()
        note.state, note.reason, note.ended_at = NoteState.STACKED, reason, now
        # Counted in the cassette the unit stacked it into: the open one now.
        note.cassette = self._cassette(session)
        entry = OutboxEntry(
            created_at=now, operation=CASH_DEPOSIT, idempotency_key=note.key,
            payload=json.dumps({
                "account_id": note.account_id, "visit": note.visit,
                "cassette": note.cassette, "notes": [note.cents],
                "amount_cents": note.cents, "stacked_at": now.isoformat(),
            }))
        session.add(entry)
        session.flush()
        note.outbox_id = entry.id

    def stacked(self, run: str, escrow_id: int, cents: int) -> str | None:
        """The unit stacked note ``escrow_id``: mark it and queue its deposit, together.
        Answers its key; None for a note this run never recorded (nothing is credited)."""
        with self.store.transaction() as session:
            note = self._held(session, run, escrow_id)
            if note is None or note.cents != cents:
                log.error("stacked note %s (%s c) of run %s is not in the journal",
                          escrow_id, cents, run)
                self._unclaimed(session, cents, "stacked_unrecorded")
                return None
            self._stack(session, note, None)
            return note.key

    def returned(self, run: str, escrow_id: int, reason: str) -> None:
        with self.store.transaction() as session:
            note = self._held(session, run, escrow_id)
            if note is not None:
                note.state, note.reason = NoteState.RETURNED, reason
                note.ended_at = self.store.clock.now()

    def in_doubt(self, run: str) -> list[CashNote]:
        """Notes escrowed by an earlier run (a kiosk that died) whose end is not known."""
        with self.store.transaction() as session:
            return list(session.execute(select(CashNote).where(
                CashNote.state == NoteState.ESCROWED, CashNote.run != run,
            ).order_by(CashNote.id)).scalars())

    def stacked_unseen(self, run: str, cents: int) -> str | None:
        """The unit stacked a note this run never saw in escrow. If exactly one note of
        that value is in doubt, it is that one (the unit still held it, or was stacking
        it, when the kiosk died): credit it. Otherwise count it for the cash box and
        credit no one."""
        with self.store.transaction() as session:
            candidates = [n for n in self._doubtful(session, run) if n.cents == cents]
            if len(candidates) == 1:
                self._stack(session, candidates[0], "stacked_after_restart")
                return candidates[0].key
            self._unclaimed(session, cents, "stacked_unseen")
            return None

    def returned_unseen(self, run: str, cents: int | None) -> bool:
        """The unit gave back a note this run never saw in escrow (one held when the kiosk
        died, timed out or cleared): the one note in doubt of that value (or the only one,
        when the unit cannot tell the value) is returned."""
        with self.store.transaction() as session:
            doubtful = self._doubtful(session, run)
            candidates = [n for n in doubtful if cents is None or n.cents == cents]
            if len(candidates) != 1 or (cents is None and len(doubtful) != 1):
                return False
            note = candidates[0]
            note.state, note.reason = NoteState.RETURNED, "returned_after_restart"
            note.ended_at = self.store.clock.now()
            return True

    def flag_in_doubt(self, run: str) -> list[str]:
        """What the acceptor did not account for: in doubt, for staff; never credited."""
        with self.store.transaction() as session:
            flagged = self._doubtful(session, run)
            now = self.store.clock.now()
            for note in flagged:
                note.state, note.ended_at = NoteState.IN_DOUBT, now
                session.add(AuditEvent(at=now, event="cash_note_in_doubt",
                                       detail=f"{note.key} {note.cents} c {note.account_id}"))
            return [note.key for note in flagged]

    def notes_in_doubt(self) -> list[CashNote]:
        """Notes flagged in doubt (``flag_in_doubt``) that staff have not settled, oldest
        first."""
        with self.store.transaction() as session:
            return list(session.execute(select(CashNote).where(
                CashNote.state == NoteState.IN_DOUBT).order_by(CashNote.id)).scalars())

    def settle_in_doubt(self, key: str, *, credit: bool, staff_id: str, reason: str) -> bool:
        """Staff counted the cash box: the note in doubt ``key`` was there (``credit``: it
        becomes stacked and its deposit is queued under its own key, in the cassette it
        went into, so the server credits it once however often it is sent) or was not
        (``not_found``: never credited). Either is a staff audit event with ``reason``, in
        the same transaction. False, and nothing done, when the note is not in doubt (it
        was settled already, by this or another staff member)."""
        with self.store.transaction() as session:
            note = session.execute(select(CashNote).where(
                CashNote.key == key, CashNote.state == NoteState.IN_DOUBT,
            )).scalar_one_or_none()
            if note is None:
                return False
            now = self.store.clock.now()
            detail: dict[str, object] = {"note": note.key, "cents": note.cents,
                                         "account_id": note.account_id,
                                         "cassette": note.cassette, "reason": reason}
            if credit:
                note.state, note.reason, note.ended_at = (
                    NoteState.STACKED, "credited_by_staff", now)
                entry = OutboxEntry(
                    created_at=now, operation=CASH_DEPOSIT, idempotency_key=note.key,
                    payload=json.dumps({
                        "account_id": note.account_id, "visit": note.visit,
                        "cassette": note.cassette, "notes": [note.cents],
                        "amount_cents": note.cents,
                        "stacked_at": _aware(note.escrowed_at).isoformat(),
                    }))
                session.add(entry)
                session.flush()
                note.outbox_id = entry.id
                _add_staff_audit(session, now, "cash_note_credited", staff_id, detail)
            else:
                note.state, note.reason, note.ended_at = NoteState.NOT_FOUND, "not_found", now
                _add_staff_audit(session, now, "cash_note_not_found", staff_id, detail)
            return True

    def _doubtful(self, session: Session, run: str) -> list[CashNote]:
        return list(session.execute(select(CashNote).where(
            CashNote.state == NoteState.ESCROWED, CashNote.run != run,
        ).order_by(CashNote.id)).scalars())

    def _unclaimed(self, session: Session, cents: int, reason: str) -> None:
        now = self.store.clock.now()
        session.add(CashNote(
            key=f"unclaimed:{uuid.uuid4().hex}", run="", escrow_id=None, cents=cents,
            account_id=None, visit="", cassette=self._cassette(session),
            state=NoteState.UNCLAIMED, reason=reason, escrowed_at=now, ended_at=now))
        session.add(AuditEvent(at=now, event="cash_note_unclaimed", detail=f"{cents} c"))

    def queue_receipt(self, account_id: str, visit: str) -> None:
        """Queue the visit's receipt; the outbox sends it after the visit's deposits."""
        with self.store.transaction() as session:
            session.add(OutboxEntry(
                created_at=self.store.clock.now(), operation=CASH_RECEIPT,
                idempotency_key=f"cash-receipt:{visit}",
                payload=json.dumps({"account_id": account_id, "visit": visit})))

    def count(self, cassette: int) -> CassetteCount:
        with self.store.transaction() as session:
            return self._count(session, cassette)

    def _count(self, session: Session, cassette: int) -> CassetteCount:
        notes = session.execute(select(CashNote.cents, CashNote.state).where(
            CashNote.cassette == cassette,
            CashNote.state.in_([NoteState.STACKED, NoteState.UNCLAIMED, NoteState.IN_DOUBT]),
        )).all()
        stacked = Counter(cents for cents, state in notes if state != NoteState.IN_DOUBT)
        return CassetteCount(cassette, dict(sorted(stacked.items())),
                             sum(1 for _c, state in notes if state == NoteState.IN_DOUBT))

    def cassette_removed(self, *, recount_after: timedelta | None = None) -> CassetteCount:
        """Staff took the cashbox out: close its cassette and queue its count, together;
        the next note goes into the next cassette. ``recount_after``: when the open
        cassette took no note and the last one was closed less than that long ago, this is
        the same removal said twice (staff's "Cash box removed", then the unit's own
        report): nothing is closed, and the last count is the answer."""
        with self.store.transaction() as session:
            number = self._cassette(session)
            if recount_after is not None:
                last = session.execute(select(Cassette).where(
                    Cassette.removed_at.is_not(None)).order_by(
                        Cassette.number.desc())).scalars().first()
                now = self.store.clock.now()
                if (last is not None and last.removed_at is not None
                        and _aware(now) - _aware(last.removed_at) < recount_after
                        and not self._count(session, number).notes
                        and not self._count(session, number).in_doubt):
                    return self._count(session, last.number)
            counted = self._count(session, number)
            now = self.store.clock.now()
            entry = OutboxEntry(
                created_at=now, operation=CASH_BOX_COUNT,
                idempotency_key=f"cash-count:{uuid.uuid4().hex}",
                payload=json.dumps({
                    "cassette": number, "removed_at": now.isoformat(),
                    "in_doubt": counted.in_doubt,
                    "notes": [{"cents": c, "count": n} for c, n in counted.notes.items()],
                }))
            session.add(entry)
            session.flush()
            cassette = session.get_one(Cassette, number)
            cassette.removed_at, cassette.outbox_id = now, entry.id
            session.add(AuditEvent(at=now, event="cash_box_removed",
                                   detail=f"cassette {number}: {counted.total_cents} c"))
            return counted

    def remove_cassette(self, number: int) -> tuple[CassetteCount, bool]:
        """Staff say cassette ``number`` was taken out: closed and counted now unless the
        unit said so first. Answers its count, and False when it was already closed."""
        with self.store.transaction() as session:
            cassette = session.get(Cassette, number)
            if cassette is None:
                raise LookupError(f"no cassette {number}")
            if cassette.removed_at is not None:
                return self._count(session, number), False
        return self.cassette_removed(), True

    def notes(self) -> list[CashNote]:
        with self.store.transaction() as session:
            return list(session.execute(select(CashNote).order_by(CashNote.id)).scalars())


def _aware(moment: datetime) -> datetime:
    """SQLite gives times back without their zone; the store writes them in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


# The unit's own CashboxRemoved within this long of staff's "Cash box removed", with no
# note taken between, is the same removal (``NoteJournal.cassette_removed``).
SAME_REMOVAL = timedelta(minutes=30)


@dataclass(frozen=True)
class Visit:
    account_id: str
    key: str
    stacked: tuple[int, ...] = ()

    @property
    def method(self) -> str:
        count = len(self.stacked)
        return f"cash, {count} note" + ("" if count == 1 else "s")


class CashDriver:
    """Connects a note acceptor's events to the journal, with no widgets: the cash screens
    call ``start`` ("Add money with cash"), ``finish`` ("Done") and listen to ``on_event``.
    Give it as the acceptor's listener: it runs on the acceptor's thread, and every event
    is journaled before anything else hears of it.

    ``sent`` is called after a note is stacked and its deposit queued (the kiosk drains the
    outbox on a worker); ``doubt_grace``: how long after the acceptor is ready a note in
    doubt from an earlier run may still be accounted for before staff are asked."""

    def __init__(self, journal: NoteJournal, *, sent: Callable[[], None] | None = None,
                 on_event: Callable[[AcceptorEvent], None] | None = None,
                 doubt_grace: float = 15.0) -> None:
        self.journal = journal
        self.run = uuid.uuid4().hex
        self.acceptor: NoteAcceptor | None = None
        self._sent = sent
        self._on_event = on_event
        self._grace = doubt_grace
        self._lock = threading.Lock()
        self._visit: Visit | None = None
        self._timer: threading.Timer | None = None
        self._recovering = bool(journal.in_doubt(self.run))

    def attach(self, acceptor: NoteAcceptor) -> None:
        self.acceptor = acceptor

    def start(self, account_id: str, values: Collection[int], maximum: int) -> Visit:
        """Take notes for this family, up to ``maximum`` cents in this visit."""
        if self.acceptor is None:
            raise RuntimeError("no acceptor attached")
        with self._lock:
            self._visit = Visit(account_id, uuid.uuid4().hex)
            visit = self._visit
        self.acceptor.enable(values, maximum)
        return visit

    @property
    def visiting(self) -> bool:
        """A family's visit is open (``start`` without ``finish``)."""
        with self._lock:
            return self._visit is not None

    def finish(self) -> Visit | None:
        """"Done": take no more notes; answers the visit (its stacked notes) for the
        receipt ("cash, 3 notes"). A note still in escrow is given back by the acceptor."""
        if self.acceptor is not None:
            self.acceptor.disable()
        with self._lock:
            visit, self._visit = self._visit, None
        if visit is not None and visit.stacked:
            self.journal.queue_receipt(visit.account_id, visit.key)
            self._after_stacking()
        return visit

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()

    def __call__(self, event: AcceptorEvent, /) -> None:
        self._handle(event)
        if self._on_event is not None:
            self._on_event(event)

    def _handle(self, event: AcceptorEvent) -> None:
        match event:
            case NoteInEscrow(escrow_id=escrow_id, note=note):
                self._escrowed(escrow_id, note.value)
            case NoteStacked(escrow_id=None, note=note):
                if self.journal.stacked_unseen(self.run, note.value) is not None:
                    self._after_stacking()
            case NoteStacked(escrow_id=int() as escrow_id, note=note):
                if self.journal.stacked(self.run, escrow_id, note.value) is not None:
                    with self._lock:
                        if self._visit is not None:
                            self._visit = Visit(self._visit.account_id, self._visit.key,
                                                (*self._visit.stacked, note.value))
                    self._after_stacking()
            case NoteReturned(escrow_id=int() as escrow_id, reason=reason):
                self.journal.returned(self.run, escrow_id, reason.value)
            case NoteReturned(escrow_id=None, note=note):
                if self._recovering:
                    self.journal.returned_unseen(self.run, note.value if note else None)
            case Ready():
                if self._recovering and self._timer is None:
                    self._timer = threading.Timer(self._grace, self._settle_doubt)
                    self._timer.daemon = True
                    self._timer.start()
            case CashboxRemoved():
                self.journal.cassette_removed(recount_after=SAME_REMOVAL)
                self._after_stacking()
            case Offline() | Jammed() | StackerFull():
                self.journal.store.audit("cash_acceptor_alert", repr(event))
            case _:
                pass

    def _escrowed(self, escrow_id: int, cents: int) -> None:
        acceptor = self.acceptor
        assert acceptor is not None
        with self._lock:
            visit = self._visit
        if visit is None:  # nobody is depositing: give it back
            acceptor.return_note(escrow_id)
            return
        try:
            self.journal.escrowed(self.run, escrow_id, cents, visit.account_id, visit.key)
        except Exception:
            log.exception("cannot record note %s; giving it back", escrow_id)
            acceptor.return_note(escrow_id)
            return
        acceptor.accept(escrow_id)

    def _after_stacking(self) -> None:
        if self._sent is not None:
            try:
                self._sent()
            except Exception:  # the outbox keeps it; the timer drains it later
                log.exception("sending cash deposits failed")

    def _settle_doubt(self) -> None:
        flagged = self.journal.flag_in_doubt(self.run)
        self._recovering = False
        if flagged:
            log.warning("cash notes in doubt, for staff: %s", flagged)
