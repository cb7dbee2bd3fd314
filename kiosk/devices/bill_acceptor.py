"""The note acceptor as the kiosk sees it: one class, ``BillAcceptor``, and its events.

The kiosk opens it after the first paint (``open`` returns at once; the port is opened and
the unit set up on the acceptor's own thread), enables it with the notes it takes and a
maximum, and hears events through ``listener`` (called on the acceptor's thread: relay them
to the GUI thread, e.g. with a queued Qt signal). Every serial read is bounded
(``EsspTransport``), so the thread never hangs on a silent unit: it reports ``Offline`` and
keeps trying to resynchronise.

Money is never lost (docs/devices.md): a note in escrow is *held* (HOLD, again and again)
and reported as ``NoteInEscrow`` with an ``escrow_id``. The kiosk records it durably, then
calls ``accept(escrow_id)``; only then is the unit told to stack it, and ``NoteStacked``
comes when the unit says the note is past the point of no return (CREDIT NOTE). A note
that leaves the escrow any other way (returned, pulled back, held too long, the unit
disabled) ends as ``NoteReturned`` with the same id and a reason. Commands name the escrow
id, so a late ``accept`` never stacks a different note.
"""

from __future__ import annotations

import enum
import logging
import queue
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from kiosk.devices.essp.encryption import DEFAULT_FIXED_KEY
from kiosk.devices.essp.protocol import (
    HOST_PROTOCOL,
    Channel,
    Command,
    Event,
    PollEvent,
    ProtocolError,
    Response,
    SetupInfo,
    inhibit_mask,
    parse_poll,
)
from kiosk.devices.essp.transport import (
    DeviceSilent,
    EsspTransport,
    Link,
    Reply,
    SerialLink,
)

if TYPE_CHECKING:
    from kiosk.devices.essp.simulator import Simulator

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Note:
    value: int  # cents
    currency: str
    channel: int


class ReturnReason(enum.StrEnum):
    NOT_RECOGNISED = "not_recognised"  # the unit could not read it, or does not take it
    SUSPECT = "suspect"  # the unit saw a fraud attempt
    NOT_ACCEPTED = "not_accepted"  # a value the kiosk did not enable
    OVER_LIMIT = "over_limit"  # it would take the deposit over the maximum
    RETURNED = "returned"  # the kiosk asked (return_note)
    TAKEN_BACK = "taken_back"  # it left the escrow unasked: pulled back, or the unit's time-out
    NOT_CONFIRMED = "not_confirmed"  # the kiosk did not accept it within max_hold
    DISABLED = "disabled"  # the kiosk disabled the acceptor while it was held
    CLEARED = "cleared"  # a jammed note staff gave back out of the front


# -- events (delivered to ``listener`` on the acceptor's thread) -------------------------


@dataclass(frozen=True)
class Ready:
    """The unit answers and is set up (after open, and again after Offline or a restart)."""

    notes: tuple[Note, ...]
    currency: str
    firmware: str


@dataclass(frozen=True)
class Offline:
    """The unit stopped answering (or the port failed). ``escrow_id``: a note whose fate is
    not known yet (held, or told to stack without a credit); its end comes after Ready."""

    reason: str
    escrow_id: int | None = None


@dataclass(frozen=True)
class NoteReading:
    """A note went in and is being checked."""


@dataclass(frozen=True)
class NoteInEscrow:
    escrow_id: int
    note: Note


@dataclass(frozen=True)
class NoteStacked:
    """In the cashbox: credit it. ``escrow_id`` is None for a note the kiosk never saw in
    escrow (one the unit cleared into the cashbox at power-up): count it, credit no one."""

    escrow_id: int | None
    note: Note


@dataclass(frozen=True)
class NoteReturned:
    escrow_id: int | None  # None: it never reached the escrow
    note: Note | None  # None: the unit could not tell its value
    reason: ReturnReason


@dataclass(frozen=True)
class Jammed:
    """A note stuck in the unit. ``safe``: inside, out of reach; else the customer may reach
    it. ``escrow_id``: the kiosk's note in doubt, if one was told to stack."""

    safe: bool
    escrow_id: int | None = None
    note: Note | None = None


@dataclass(frozen=True)
class JamCleared:
    """Staff cleared the jam; the note's end follows (NoteStacked or NoteReturned)."""


@dataclass(frozen=True)
class StackerFull:
    pass


@dataclass(frozen=True)
class CashboxRemoved:
    pass


@dataclass(frozen=True)
class CashboxReplaced:
    pass


AcceptorEvent = (
    Ready | Offline | NoteReading | NoteInEscrow | NoteStacked | NoteReturned | Jammed
    | JamCleared | StackerFull | CashboxRemoved | CashboxReplaced
)


class Listener(Protocol):
    def __call__(self, event: AcceptorEvent, /) -> None: ...


class NoteAcceptor(Protocol):
    """What the kiosk needs of any note acceptor, whatever its protocol (another model
    implements these and sends the events above: docs/devices.md)."""

    def open(self) -> None: ...

    def enable(self, values: Collection[int], maximum: int) -> None: ...

    def disable(self) -> None: ...

    def accept(self, escrow_id: int) -> None: ...

    def return_note(self, escrow_id: int) -> None: ...

    def close(self, timeout: float = 5.0) -> None: ...


@dataclass
class _Escrow:
    escrow_id: int
    note: Note
    since: float
    decision: str | None = None  # "accept" / "return"
    shown: bool = False  # reported as NoteInEscrow (else returned before the kiosk saw it)
    reason: ReturnReason | None = None  # why the kiosk (or this class) gave it back
    stacking: bool = False  # told to stack, no credit yet


@dataclass
class _Enable:
    values: frozenset[int]
    maximum: int


@dataclass
class _State:
    """What the poll thread alone reads and writes."""

    setup: SetupInfo | None = None
    want: _Enable | None = None
    taken: int = 0  # cents stacked since the last enable
    escrow: _Escrow | None = None
    reading_fraud: bool = False
    fraud_channel: int | None = None  # the channel a FRAUD ATTEMPT named, when it did
    reading: bool = False
    conditions: set[Event] = field(default_factory=set)  # jam, full, cashbox out
    jam_escrow: _Escrow | None = None
    restarted: bool = False  # SLAVE RESET seen in this POLL's answer: set it up again
    reapply: bool = False  # the unit disabled itself: enable it again


class BillAcceptor:
    """An eSSP note acceptor (NV9/NV200 series) on a serial port."""

    def __init__(
        self, port: str | Callable[[], Link], listener: Listener, *,
        timeout: float = 0.5, retries: int = 3, poll_interval: float = 0.2,
        reconnect_interval: float = 2.0, max_hold: float = 20.0, encrypted: bool = False,
        fixed_key: int = DEFAULT_FIXED_KEY, monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._open_link: Callable[[], Link] = (
            (lambda: SerialLink(port)) if isinstance(port, str) else port)
        self._listener = listener
        self._timeout = timeout
        self._retries = retries
        self._poll_interval = poll_interval
        self._reconnect_interval = reconnect_interval
        self._max_hold = max_hold
        self._encrypted = encrypted
        self._fixed_key = fixed_key
        self._monotonic = monotonic
        self._orders: queue.SimpleQueue[tuple[str, object]] = queue.SimpleQueue()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._next_id = 1
        self._s = _State()

    # -- the kiosk's commands (any thread; they return at once) --------------------------

    def open(self) -> None:
        """Start the acceptor's thread: open the port, set the unit up, then poll."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="bill-acceptor", daemon=True)
        self._thread.start()

    def enable(self, values: Collection[int], maximum: int) -> None:
        """Take notes of these values (cents) until ``maximum`` cents have been stacked
        since this call (a note that would go over is given back with OVER_LIMIT)."""
        if maximum <= 0:
            raise ValueError("maximum must be a positive number of cents")
        self._order("enable", _Enable(frozenset(values), maximum))

    def disable(self) -> None:
        """Take no more notes; a note held in escrow is given back (DISABLED)."""
        self._order("disable", None)

    def accept(self, escrow_id: int) -> None:
        """Stack the note in escrow (after the kiosk recorded it). Ignored when that note
        is no longer in escrow: its NoteReturned says why."""
        self._order("accept", escrow_id)

    def return_note(self, escrow_id: int) -> None:
        self._order("return", escrow_id)

    def close(self, timeout: float = 5.0) -> None:
        """Disable the unit (a held note goes back), stop the thread, close the port."""
        self._order("disable", None)
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _order(self, verb: str, arg: object) -> None:
        self._orders.put((verb, arg))
        self._wake.set()

    # -- the acceptor's thread ---------------------------------------------------------

    def _emit(self, event: AcceptorEvent) -> None:
        log.info("bill acceptor: %s", event)
        try:
            self._listener(event)
        except Exception:  # a listener's bug must not stop the acceptor
            log.exception("bill acceptor listener failed on %s", event)

    def _run(self) -> None:
        transport: EsspTransport | None = None
        offline_said = False
        while not self._stop.is_set():
            try:
                if transport is None:
                    transport = EsspTransport(self._open_link(), timeout=self._timeout,
                                              retries=self._retries)
                    self._set_up(transport)
                    offline_said = False
                self._wake.clear()  # before the orders: one given from now on wakes the wait
                self._take_orders(transport)
                self._step(transport)
                self._wake.wait(self._poll_interval)
            except Exception as exc:  # the acceptor's thread never dies
                if not isinstance(exc, DeviceSilent | ProtocolError):
                    log.exception("bill acceptor: unexpected failure; starting over")
                if transport is not None:
                    transport.close()
                    transport = None
                if not offline_said:
                    offline_said = True
                    self._emit(Offline(str(exc), self._in_doubt()))
                self._stop.wait(self._reconnect_interval)
        if transport is not None:
            self._wind_down(transport)
            transport.close()

    def _wind_down(self, transport: EsspTransport) -> None:
        """On close: disable, and poll until a held note is back out (a few polls)."""
        try:
            self._take_orders(transport)
            for _ in range(8):
                self._step(transport)
                if self._s.escrow is None:
                    return
                time.sleep(self._poll_interval)
        except (DeviceSilent, ProtocolError):
            log.info("bill acceptor: not answering while closing")

    def _in_doubt(self) -> int | None:
        escrow = self._s.escrow
        return escrow.escrow_id if escrow is not None else None

    def _send(self, transport: EsspTransport, command: Command,
              params: bytes = b"") -> Reply:
        """One command. An encrypted one answered KEY NOT SET went to a unit that restarted
        and forgot its keys (it did not run the command): negotiate again and resend."""
        reply = transport.command(command, params)
        if reply.status == Response.KEY_NOT_SET and transport.encrypted:
            log.info("bill acceptor: the unit lost its eSSP keys; negotiating again")
            self._negotiate(transport)
            reply = transport.command(command, params)
        return reply

    def _negotiate(self, transport: EsspTransport) -> None:
        transport.drop_keys()
        self._expect(transport, Command.HOST_PROTOCOL_VERSION, bytes([HOST_PROTOCOL]))
        if self._encrypted:
            transport.negotiate_keys(self._fixed_key)

    def _expect(self, transport: EsspTransport, command: Command,
                params: bytes = b"") -> bytes:
        reply = self._send(transport, command, params)
        if reply.status == Response.KEY_NOT_SET:
            raise ProtocolError(f"{command.name} answered KEY_NOT_SET: the unit insists on "
                                "eSSP encryption (open the acceptor with encrypted=True)")
        if not reply.ok:
            raise ProtocolError(f"{command.name} answered {reply.status_name}")
        return reply.data

    def _set_up(self, transport: EsspTransport) -> None:
        reply = transport.sync()
        if not reply.ok:
            raise ProtocolError(f"SYNC answered {reply.status_name}")
        self._negotiate(transport)
        setup = SetupInfo.decode(self._expect(transport, Command.SETUP_REQUEST))
        self._s.setup = setup
        self._apply_enable(transport)
        self._emit(Ready(tuple(_note(c) for c in setup.channels), setup.currency,
                         setup.firmware))

    def _apply_enable(self, transport: EsspTransport) -> None:
        setup, want = self._s.setup, self._s.want
        if setup is None:
            return
        if want is None:
            self._expect(transport, Command.DISABLE)
            self._expect(transport, Command.DISPLAY_OFF)
            return
        channels = [c.number for c in setup.channels if c.value in want.values]
        self._expect(transport, Command.SET_INHIBITS, inhibit_mask(channels))
        self._expect(transport, Command.ENABLE)
        self._expect(transport, Command.DISPLAY_ON)

    def _take_orders(self, transport: EsspTransport) -> None:
        while True:
            try:
                verb, arg = self._orders.get_nowait()
            except queue.Empty:
                return
            escrow = self._s.escrow
            if verb == "enable":
                assert isinstance(arg, _Enable)
                self._s.want, self._s.taken = arg, 0
                self._apply_enable(transport)
            elif verb == "disable":
                if escrow is not None and not escrow.stacking:
                    self._give_back(transport, escrow, ReturnReason.DISABLED)
                self._s.want = None
                self._apply_enable(transport)
            elif escrow is None or arg != escrow.escrow_id or escrow.decision is not None:
                log.info("bill acceptor: %s of escrow %s ignored (not held)", verb, arg)
            elif verb == "accept":
                escrow.decision = "accept"
            else:
                self._give_back(transport, escrow, ReturnReason.RETURNED)

    def _give_back(self, transport: EsspTransport, escrow: _Escrow,
                   reason: ReturnReason) -> None:
        escrow.decision, escrow.reason = "return", reason
        reply = self._send(transport, Command.REJECT)
        if not reply.ok:  # it already left; the next POLL says how
            escrow.reason = None

    def _step(self, transport: EsspTransport) -> None:
        """One exchange: HOLD a note the kiosk has not decided on, else POLL."""
        escrow = self._s.escrow
        now = self._monotonic()
        if escrow is not None and escrow.decision is None:
            if now - escrow.since > self._max_hold:
                self._give_back(transport, escrow, ReturnReason.NOT_CONFIRMED)
            else:
                if self._send(transport, Command.HOLD).ok:
                    return
                # No note in escrow any more (pulled back, timed out). A POLL would accept
                # a note still there, so REJECT first: nothing unrecorded is ever stacked.
                self._give_back(transport, escrow, ReturnReason.TAKEN_BACK)
        if escrow is not None and escrow.decision == "accept":
            escrow.stacking = True
        events = parse_poll(self._expect(transport, Command.POLL))
        gone = self._s.conditions - {e.event for e in events}
        self._s.conditions -= gone
        if gone & {Event.SAFE_JAM, Event.UNSAFE_JAM}:
            self._emit(JamCleared())
        for event in events:
            self._handle(transport, event)
        s = self._s
        if s.restarted:
            s.restarted = s.reapply = False
            self._negotiate(transport)  # a unit that restarted forgot them
            self._apply_enable(transport)
        elif s.reapply:
            s.reapply = False
            self._apply_enable(transport)

    def _note(self, channel: int | None) -> Note | None:
        setup = self._s.setup
        if setup is None or not channel:
            return None
        return next((_note(c) for c in setup.channels if c.number == channel), None)

    def _edge(self, event: Event) -> bool:
        """True the first time a lasting condition is reported."""
        if event in self._s.conditions:
            return False
        self._s.conditions.add(event)
        return True

    def _handle(self, transport: EsspTransport, polled: PollEvent) -> None:
        s = self._s
        match polled.event:
            case Event.READ_NOTE if not polled.channel:
                if not s.reading:
                    s.reading, s.reading_fraud = True, False
                    self._emit(NoteReading())
            case Event.READ_NOTE:
                s.reading = False
                self._escrowed(transport, polled.channel)
            case Event.CREDIT_NOTE:
                note = self._note(polled.channel)
                escrow, s.escrow = s.escrow, None
                if note is None:
                    log.error("bill acceptor: credit for unknown channel %s", polled.channel)
                    return
                s.taken += note.value
                self._emit(NoteStacked(_shown_id(escrow), note))
            case Event.FRAUD_ATTEMPT:
                s.reading_fraud, s.fraud_channel = True, polled.channel
            case Event.REJECTED:
                self._rejected()
            case Event.SAFE_JAM | Event.UNSAFE_JAM:
                if self._edge(polled.event):
                    escrow = s.escrow if s.escrow is not None and s.escrow.stacking else None
                    s.jam_escrow = escrow
                    self._emit(Jammed(polled.event is Event.SAFE_JAM,
                                      escrow.escrow_id if escrow else None,
                                      escrow.note if escrow else None))
            case Event.STACKER_FULL:
                if self._edge(polled.event):
                    self._emit(StackerFull())
            case Event.CASHBOX_REMOVED:
                if self._edge(polled.event):
                    self._emit(CashboxRemoved())
            case Event.CASHBOX_REPLACED:
                self._emit(CashboxReplaced())
                s.reapply = True
            case Event.SLAVE_RESET:
                self._restarted()
            case Event.NOTE_CLEARED_INTO_CASHBOX | Event.NOTE_CLEARED_FROM_FRONT:
                self._cleared(polled)
            case Event.DISABLED:
                if s.want is not None:  # it disabled itself (a restart, a fault)
                    s.reapply = True
            case _:
                log.debug("bill acceptor: %s", polled)

    def _escrowed(self, transport: EsspTransport, channel: int | None) -> None:
        s = self._s
        note = self._note(channel)
        if note is None:
            log.error("bill acceptor: escrow on unknown channel %s", channel)
            return
        escrow = _Escrow(self._next_id, note, self._monotonic())
        self._next_id += 1
        s.escrow = escrow
        want = s.want
        if want is None:
            self._give_back(transport, escrow, ReturnReason.DISABLED)
        elif note.value not in want.values:
            self._give_back(transport, escrow, ReturnReason.NOT_ACCEPTED)
        elif s.taken + note.value > want.maximum:
            self._give_back(transport, escrow, ReturnReason.OVER_LIMIT)
        else:
            escrow.shown = True
            self._emit(NoteInEscrow(escrow.escrow_id, note))

    def _rejected(self) -> None:
        s = self._s
        escrow, s.escrow = s.escrow, None
        s.reading = False
        if escrow is None:
            if s.reading_fraud:
                self._emit(NoteReturned(None, self._note(s.fraud_channel),
                                        ReturnReason.SUSPECT))
            else:
                self._emit(NoteReturned(None, None, ReturnReason.NOT_RECOGNISED))
        else:
            self._emit(NoteReturned(_shown_id(escrow), escrow.note,
                                    escrow.reason or ReturnReason.TAKEN_BACK))
        s.reading_fraud, s.fraud_channel = False, None

    def _restarted(self) -> None:
        """The unit restarted: a note it held is cleared (its event follows); the set-up
        is done again once this answer's events are handled."""
        s = self._s
        if s.escrow is not None and s.jam_escrow is None:
            s.jam_escrow = s.escrow
        s.escrow, s.reading, s.restarted = None, False, True

    def _cleared(self, polled: PollEvent) -> None:
        s = self._s
        note = self._note(polled.channel)
        escrow, s.jam_escrow = s.jam_escrow, None
        escrow_id = _shown_id(escrow)
        if polled.event is Event.NOTE_CLEARED_INTO_CASHBOX:
            if note is not None:
                self._emit(NoteStacked(escrow_id, note))
            else:
                log.error("bill acceptor: a note of unknown value cleared into the cashbox")
        else:
            self._emit(NoteReturned(escrow_id, note or (escrow.note if escrow else None),
                                    ReturnReason.CLEARED))


def _shown_id(escrow: _Escrow | None) -> int | None:
    """The escrow id the kiosk knows: only a note it was shown in escrow has one."""
    return escrow.escrow_id if escrow is not None and escrow.shown else None


def _note(channel: Channel) -> Note:
    return Note(channel.value, channel.currency, channel.number)



# -- choosing the acceptor from the kiosk's settings -------------------------------------


class AcceptorSpecError(ValueError):
    """The bill acceptor setting does not name an acceptor this kiosk can open."""


class SimulatedBillAcceptor(BillAcceptor):
    """A BillAcceptor on an NV200 simulator of its own (``make demo``, the tour): the same
    eSSP code over a pty; ``simulator`` takes the notes a visitor "inserts"."""

    def __init__(self, listener: Listener, simulator: Simulator | None = None,
                 **options: Any) -> None:
        from kiosk.devices.essp.simulator import Simulator

        self.simulator = simulator or Simulator()
        self._owns_simulator = simulator is None
        super().__init__(self._port, listener, **options)

    def _port(self) -> Link:
        return SerialLink(self.simulator.port)

    def open(self) -> None:
        if not self.simulator.port:
            self.simulator.start()
        super().open()

    def close(self, timeout: float = 5.0) -> None:
        super().close(timeout)
        if self._owns_simulator and self.simulator.port:
            self.simulator.stop()


def acceptor_from_spec(spec: str, listener: Listener, **options: Any) -> BillAcceptor:
    """The acceptor a ``bill_acceptor`` setting names: ``essp:DEVICE`` (an NV9/NV200 on a
    serial port, e.g. ``essp:/dev/lobby-notes`` or ``essp:COM3``), ``essp+encrypted:DEVICE``
    (the same with eSSP encryption; ``fixed_key`` in ``options`` if the unit's was changed)
    or ``simulator`` (an NV200 simulator on a pty, for the demo and the tour)."""
    scheme, _, device = spec.strip().partition(":")
    if scheme == "simulator" and not device:
        return SimulatedBillAcceptor(listener, **options)
    if scheme in ("essp", "essp+encrypted") and device:
        return BillAcceptor(device, listener, encrypted=scheme == "essp+encrypted",
                            **options)
    raise AcceptorSpecError(
        f"{spec!r}: expected essp:DEVICE, essp+encrypted:DEVICE or simulator")
