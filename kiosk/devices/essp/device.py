"""The validator's side of eSSP: an NV200 note validator as a state machine, driven by the
host's packets. The simulator (``simulator.py``) puts it on a pseudo-terminal; it keeps no
time of its own except the escrow time-out, read from ``monotonic``.

What the host sees, one POLL at a time (each POLL answers with the events of one step):

- a note goes in: READ NOTE 0 (reading), then READ NOTE n (channel n held in escrow);
- in escrow, HOLD keeps it there (and restarts the escrow time-out); POLL accepts it:
  STACKING, then CREDIT NOTE n and STACKED; REJECT gives it back: REJECTING, REJECTED;
- a note not recognised, or on an inhibited channel: READ NOTE 0, REJECTING, REJECTED;
- a suspect note: FRAUD ATTEMPT n, REJECTING, REJECTED;
- a note pulled back from escrow, or one held past the time-out: REJECTING, REJECTED;
- an unsafe jam while reading, a safe jam while stacking: the jam on every POLL until staff
  clear it, then (the unit restarts) SLAVE RESET and NOTE CLEARED FROM FRONT n or NOTE
  CLEARED INTO CASHBOX n;
- stacker full: STACKER FULL on every POLL until the cashbox is emptied; cashbox out:
  CASHBOX REMOVED on every POLL, then CASHBOX REPLACED once;
- disabled: DISABLED on every POLL; notes wait in the feed until the unit is enabled.
"""

from __future__ import annotations

import enum
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kiosk.devices.essp.encryption import (
    DEFAULT_FIXED_KEY,
    STEX,
    EsspCipher,
    Party,
    aes_key,
    is_prime,
    read_u64,
    u64,
)
from kiosk.devices.essp.protocol import (
    HOST_PROTOCOL,
    Channel,
    Command,
    Event,
    Packet,
    PollEvent,
    ProtocolError,
    Response,
    SetupInfo,
    channels_from_mask,
    encode_poll,
)

#: The NV200 of a US lobby: $1, $5, $10, $20, $50 and $100 on channels 1-6.
USD_NOTES: tuple[Channel, ...] = tuple(
    Channel(number, dollars * 100, "USD")
    for number, dollars in enumerate((1, 5, 10, 20, 50, 100), start=1)
)


class Behaviour(enum.Enum):
    GENUINE = "genuine"
    UNRECOGNISED = "unrecognised"  # read, then rejected (foreign, torn, soiled)
    SUSPECT = "suspect"  # a fraud attempt (a note on a string, a copy)
    UNSAFE_JAM = "unsafe_jam"  # jams while being read, within reach of the bezel
    SAFE_JAM = "safe_jam"  # jams after it was accepted, inside the unit


@dataclass(frozen=True)
class FedNote:
    value: int  # cents; a value the unit does not know reads as unrecognised
    behaviour: Behaviour = Behaviour.GENUINE


#: What a unit that insists on encryption still takes in the clear.
PLAIN_COMMANDS = frozenset({
    Command.SYNC, Command.HOST_PROTOCOL_VERSION, Command.SET_GENERATOR,
    Command.SET_MODULUS, Command.REQUEST_KEY_EXCHANGE,
})
_PARAMETERS = {
    Command.SET_INHIBITS: 2, Command.HOST_PROTOCOL_VERSION: 1, Command.SET_GENERATOR: 8,
    Command.SET_MODULUS: 8, Command.REQUEST_KEY_EXCHANGE: 8,
}


class _Stage(enum.Enum):
    IDLE = "idle"
    READING = "reading"
    ESCROW = "escrow"
    STACKING = "stacking"
    REJECT_BEGIN = "reject_begin"
    REJECTING = "rejecting"


class NV200:
    """One NV200 validator at one address. ``receive`` answers one packet."""

    def __init__(
        self, channels: Sequence[Channel] = USD_NOTES, *, address: int = 0,
        firmware: str = "0430", stacker_capacity: int = 500, escrow_timeout: float = 10.0,
        stack_seconds: float = 0.0, encryption_required: bool = False,
        fixed_key: int = DEFAULT_FIXED_KEY,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.address = address
        self.encryption_required = encryption_required
        self.fixed_key = fixed_key
        self.channels = tuple(channels)
        self.firmware = firmware
        self.stacker_capacity = stacker_capacity
        self.escrow_timeout = escrow_timeout
        # How long the transport takes a note into the cashbox: a real unit answers STACKING
        # to every POLL meanwhile (about a second); 0 stacks at the next POLL.
        self.stack_seconds = stack_seconds
        self._monotonic = monotonic
        self.feed: deque[FedNote] = deque()
        self.stacked: list[int] = []  # values of every note stacked, in order
        self.in_cashbox = 0  # notes in the cashbox since it was last emptied
        self.cashbox_present = True
        self.returned: list[int] = []  # values given back to the customer
        self.commands: list[Command] = []  # every command run (not the repeats)
        self.repeats = 0  # packets answered with the last answer (same sequence flag)
        self._power_up()

    def _power_up(self) -> None:
        self.enabled = False
        self.inhibits: frozenset[int] = frozenset()  # channels allowed to take notes
        self.protocol_version = 4
        self.jam: Behaviour | None = None
        self._stage = _Stage.IDLE
        self._note: FedNote | None = None
        self._channel = 0
        self._escrow_since = 0.0
        self._stacking_since = 0.0
        self._pending: list[PollEvent] = []
        self._last: Packet | None = None
        self._generator: int | None = None
        self._modulus: int | None = None
        self._cipher: EsspCipher | None = None

    @property
    def encrypted(self) -> bool:
        return self._cipher is not None

    # -- the protocol ------------------------------------------------------------------

    def receive(self, packet: Packet) -> Packet | None:
        """The answer to ``packet``, or None when it is for another address. A packet with
        the sequence flag of the last one is not run again: its answer is repeated."""
        if packet.address != self.address:
            return None
        data = packet.data
        if (self._last is not None and packet.flag == self._last.flag
                and data[0] != Command.SYNC):
            self.repeats += 1
            return self._last
        if data[0] == STEX:
            answer_data = self._run_encrypted(data)
            if answer_data is None:
                return None
        elif self.encryption_required and data[0] not in PLAIN_COMMANDS:
            answer_data = bytes([Response.KEY_NOT_SET])
        else:
            answer_data = self._run(data[0], data[1:])
        answer = Packet(self.address, packet.flag, answer_data)
        self._last = answer
        return answer

    def _run_encrypted(self, data: bytes) -> bytes | None:
        """Open, check the count, run, seal. A packet that does not open (another key) or
        carries the wrong count is not answered."""
        cipher = self._cipher
        if cipher is None:
            return bytes([Response.KEY_NOT_SET])
        try:
            count, inner = cipher.open(data)
        except ProtocolError:
            return None
        if count != cipher.count or not inner:
            return None
        cipher.count += 1
        return cipher.seal(cipher.count, self._run(inner[0], inner[1:]))

    def _run(self, code: int, params: bytes) -> bytes:
        try:
            command = Command(code)
        except ValueError:
            return bytes([Response.COMMAND_NOT_KNOWN])
        if len(params) != _PARAMETERS.get(command, 0):
            return bytes([Response.WRONG_NUMBER_OF_PARAMETERS])
        self.commands.append(command)
        ok = bytes([Response.OK])
        match command:
            case Command.SYNC | Command.DISPLAY_ON | Command.DISPLAY_OFF:
                return ok
            case Command.RESET:
                self._restart(cleared=None)
                return ok
            case Command.HOST_PROTOCOL_VERSION:
                if not 6 <= params[0] <= 8:
                    return bytes([Response.FAIL])
                self.protocol_version = params[0]
                return ok
            case Command.SETUP_REQUEST:
                if self.protocol_version < HOST_PROTOCOL:
                    return bytes([Response.COMMAND_CANNOT_BE_PROCESSED])
                info = SetupInfo(0, self.firmware, self.channels[0].currency, self.channels,
                                 self.protocol_version)
                return ok + info.encode()
            case Command.SET_INHIBITS:
                self.inhibits = channels_from_mask(params)
                return ok
            case Command.ENABLE:
                self.enabled = True
                return ok
            case Command.DISABLE:
                self.enabled = False
                if self._stage is _Stage.ESCROW:
                    self._stage = _Stage.REJECT_BEGIN
                return ok
            case Command.HOLD:
                if self._stage is not _Stage.ESCROW:
                    return bytes([Response.COMMAND_CANNOT_BE_PROCESSED])
                self._escrow_since = self._monotonic()
                return ok
            case Command.REJECT:
                if self._stage is not _Stage.ESCROW:
                    return bytes([Response.COMMAND_CANNOT_BE_PROCESSED])
                self._stage = _Stage.REJECT_BEGIN
                return ok
            case Command.POLL:
                return ok + encode_poll(self._poll())
            case Command.SET_GENERATOR | Command.SET_MODULUS:
                value = read_u64(params)
                if value < 5 or not is_prime(value):
                    return bytes([Response.PARAMETER_OUT_OF_RANGE])
                if command is Command.SET_GENERATOR:
                    self._generator = value
                else:
                    self._modulus = value
                return ok
            case Command.REQUEST_KEY_EXCHANGE:
                if self._generator is None or self._modulus is None:
                    return bytes([Response.COMMAND_CANNOT_BE_PROCESSED])
                unit = Party.new(self._generator, self._modulus)
                negotiated = unit.negotiated(read_u64(params))
                self._cipher = EsspCipher(aes_key(self.fixed_key, negotiated))
                return ok + u64(unit.intermediate)
        return bytes([Response.COMMAND_NOT_KNOWN])  # pragma: no cover - every case returns

    def tick(self) -> None:
        """The unit's own clock: a note held in escrow past the time-out is given back."""
        if (self._stage is _Stage.ESCROW
                and self._monotonic() - self._escrow_since > self.escrow_timeout):
            self._stage = _Stage.REJECT_BEGIN

    # -- one POLL: the events of one step ----------------------------------------------

    def _poll(self) -> list[PollEvent]:
        events, self._pending = self._pending, []
        if self.jam is not None:
            safe = self.jam is Behaviour.SAFE_JAM
            return [*events, PollEvent(Event.SAFE_JAM if safe else Event.UNSAFE_JAM)]
        if not self.cashbox_present:
            return [*events, PollEvent(Event.CASHBOX_REMOVED)]
        return events + self._step()

    def _step(self) -> list[PollEvent]:
        match self._stage:
            case _Stage.IDLE:
                return self._idle()
            case _Stage.READING:
                return self._read()
            case _Stage.ESCROW:  # a POLL in escrow accepts the note
                if self._note is not None and self._note.behaviour is Behaviour.SAFE_JAM:
                    self.jam = Behaviour.SAFE_JAM
                    return [PollEvent(Event.SAFE_JAM)]
                self._stage, self._stacking_since = _Stage.STACKING, self._monotonic()
                return [PollEvent(Event.STACKING)]
            case _Stage.STACKING:
                assert self._note is not None
                if self._monotonic() - self._stacking_since < self.stack_seconds:
                    return [PollEvent(Event.STACKING)]
                self._stack(self._note)
                channel, self._note, self._stage = self._channel, None, _Stage.IDLE
                return [PollEvent(Event.CREDIT_NOTE, channel), PollEvent(Event.STACKED)]
            case _Stage.REJECT_BEGIN:
                self._stage = _Stage.REJECTING
                return [PollEvent(Event.REJECTING)]
            case _Stage.REJECTING:
                if self._note is not None:
                    self.returned.append(self._note.value)
                self._note, self._stage = None, _Stage.IDLE
                return [PollEvent(Event.REJECTED)]
        return []  # pragma: no cover - every stage returns

    def _idle(self) -> list[PollEvent]:
        if self.in_cashbox >= self.stacker_capacity:
            return [PollEvent(Event.STACKER_FULL)]
        if not self.enabled:
            return [PollEvent(Event.DISABLED)]
        if not self.feed:
            return []
        self._note, self._stage = self.feed.popleft(), _Stage.READING
        return [PollEvent(Event.READ_NOTE, 0)]

    def _read(self) -> list[PollEvent]:
        note = self._note
        assert note is not None
        channel = next((c.number for c in self.channels if c.value == note.value), 0)
        self._channel = channel
        if note.behaviour is Behaviour.UNSAFE_JAM:
            self.jam = Behaviour.UNSAFE_JAM
            return [PollEvent(Event.UNSAFE_JAM)]
        if note.behaviour is Behaviour.SUSPECT:
            self._stage = _Stage.REJECTING
            return [PollEvent(Event.FRAUD_ATTEMPT, channel), PollEvent(Event.REJECTING)]
        if (note.behaviour is Behaviour.UNRECOGNISED or not channel
                or channel not in self.inhibits):
            self._stage = _Stage.REJECTING
            return [PollEvent(Event.REJECTING)]
        self._stage, self._escrow_since = _Stage.ESCROW, self._monotonic()
        return [PollEvent(Event.READ_NOTE, channel)]

    def _stack(self, note: FedNote) -> None:
        self.stacked.append(note.value)
        self.in_cashbox += 1

    def _restart(self, cleared: Event | None) -> None:
        """Power cycle (RESET, or staff clearing a jam): the unit comes back disabled with
        SLAVE RESET, and says where a note left in its path went."""
        note, channel, stage = self._note, self._channel, self._stage
        self._power_up()
        self._pending.append(PollEvent(Event.SLAVE_RESET))
        if note is None:
            return
        if cleared is None:  # RESET: a note in escrow or being read goes back out
            cleared = (Event.NOTE_CLEARED_INTO_CASHBOX if stage is _Stage.STACKING
                       else Event.NOTE_CLEARED_FROM_FRONT)
        if cleared is Event.NOTE_CLEARED_INTO_CASHBOX:
            self._stack(note)
        else:
            self.returned.append(note.value)
        self._pending.append(PollEvent(cleared, channel))

    # -- what a person does at the unit (the simulator's script) ------------------------

    @property
    def in_escrow(self) -> bool:
        return self._stage is _Stage.ESCROW

    @property
    def stacking(self) -> bool:
        """A note is on its way into the cashbox (accepted, not yet credited)."""
        return self._stage is _Stage.STACKING

    def insert(self, note: FedNote) -> None:
        self.feed.append(note)

    def pull_back(self) -> bool:
        """The customer pulls the note in escrow back out. False when none is there."""
        if self._stage is not _Stage.ESCROW:
            return False
        self._stage = _Stage.REJECT_BEGIN
        return True

    def clear_jam(self, *, into_cashbox: bool) -> None:
        """Staff open the unit and clear the note: into the cashbox or out of the front."""
        if self.jam is None:
            raise ValueError("no jam to clear")
        self._restart(Event.NOTE_CLEARED_INTO_CASHBOX if into_cashbox
                      else Event.NOTE_CLEARED_FROM_FRONT)

    def fill_stacker(self) -> None:
        self.in_cashbox = self.stacker_capacity

    def remove_cashbox(self) -> None:
        self.cashbox_present = False

    def replace_cashbox(self, *, emptied: bool = True) -> None:
        self.cashbox_present = True
        if emptied:
            self.in_cashbox = 0
        self._pending.append(PollEvent(Event.CASHBOX_REPLACED))
