"""The bytes of eSSP, as Innovative Technology's SSP specification (NV9/NV200 series) gives
them. No I/O here: the host (``transport``) and the device (``device``, the simulator) both
build and read their packets with this module.

A packet on the wire::

    STX 0x7F | SEQ/ID | LENGTH | DATA (LENGTH bytes) | CRCL | CRCH

- SEQ/ID: bit 7 is the sequence flag, bits 0-6 the device's address (0 for a validator).
  The host flips the flag for every new command and sends a command again with the same
  flag when it had no answer; a device that gets the same flag twice does not run the
  command again but repeats its last answer. The answer carries the command's SEQ/ID.
- The CRC is CRC-16 with polynomial 0x8005 (x^16 + x^15 + x^2 + 1), seed 0xFFFF, over
  SEQ/ID, LENGTH and DATA (not STX), computed before stuffing, sent low byte first.
- Byte stuffing: after STX, every 0x7F (in SEQ/ID, LENGTH, DATA or the CRC) is sent twice,
  so a lone 0x7F always starts a packet.
- A command's DATA is the command byte and its parameters; an answer's DATA is a generic
  response byte (0xF0 OK, ...) and the answer's own data (for POLL: the events).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

STX = 0x7F
SEQUENCE_FLAG = 0x80
ADDRESS_MASK = 0x7F
MAX_DATA = 255
CRC_POLYNOMIAL = 0x8005
CRC_SEED = 0xFFFF
#: The protocol version the host asks for (HOST PROTOCOL VERSION): 6 brings the expanded
#: channel values and country codes in the SETUP REQUEST answer.
HOST_PROTOCOL = 6


class Command(enum.IntEnum):
    RESET = 0x01
    SET_INHIBITS = 0x02
    DISPLAY_ON = 0x03
    DISPLAY_OFF = 0x04
    SETUP_REQUEST = 0x05
    HOST_PROTOCOL_VERSION = 0x06
    POLL = 0x07
    REJECT = 0x08
    DISABLE = 0x09
    ENABLE = 0x0A
    SYNC = 0x11
    HOLD = 0x18
    SET_GENERATOR = 0x4A  # the encrypted variant's key exchange (encryption.py)
    SET_MODULUS = 0x4B
    REQUEST_KEY_EXCHANGE = 0x4C


class Response(enum.IntEnum):
    """The generic response: the first byte of every answer."""

    OK = 0xF0
    COMMAND_NOT_KNOWN = 0xF2
    WRONG_NUMBER_OF_PARAMETERS = 0xF3
    PARAMETER_OUT_OF_RANGE = 0xF4
    COMMAND_CANNOT_BE_PROCESSED = 0xF5
    SOFTWARE_ERROR = 0xF6
    FAIL = 0xF8
    KEY_NOT_SET = 0xFA


class Event(enum.IntEnum):
    """Poll events of a note validator (the data after OK in a POLL answer)."""

    SLAVE_RESET = 0xF1
    READ_NOTE = 0xEF  # channel: 0 while reading, then the channel of the note in escrow
    CREDIT_NOTE = 0xEE  # channel: the note is past the point of no return; credit it now
    REJECTING = 0xED
    REJECTED = 0xEC
    STACKING = 0xCC
    STACKED = 0xEB
    SAFE_JAM = 0xEA  # jammed inside, out of the customer's reach
    UNSAFE_JAM = 0xE9  # jammed where the customer may reach it
    DISABLED = 0xE8
    STACKER_FULL = 0xE7
    FRAUD_ATTEMPT = 0xE6  # channel: the note being tampered with (0 if unknown)
    CASHBOX_REPLACED = 0xE4
    CASHBOX_REMOVED = 0xE3
    NOTE_CLEARED_INTO_CASHBOX = 0xE2  # channel (0 if unknown): found in the path at power-up
    NOTE_CLEARED_FROM_FRONT = 0xE1  # channel (0 if unknown): found at power-up, given back
    NOTE_PATH_OPEN = 0xE0
    CHANNEL_DISABLE = 0xB5  # every channel inhibited while enabled


#: Events followed by one data byte (a channel number).
EVENTS_WITH_CHANNEL = frozenset({
    Event.READ_NOTE, Event.CREDIT_NOTE, Event.FRAUD_ATTEMPT,
    Event.NOTE_CLEARED_INTO_CASHBOX, Event.NOTE_CLEARED_FROM_FRONT,
})


class ProtocolError(ValueError):
    """Bytes that are not what eSSP says they must be."""


def crc16(data: bytes | bytearray | Sequence[int]) -> int:
    """CRC-16, polynomial 0x8005, seed 0xFFFF, MSB first, no final XOR."""
    crc = CRC_SEED
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ CRC_POLYNOMIAL) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def seq_id(address: int, flag: bool) -> int:
    if not 0 <= address <= ADDRESS_MASK:
        raise ProtocolError(f"address {address} is not 0-127")
    return (SEQUENCE_FLAG if flag else 0) | address


@dataclass(frozen=True)
class Packet:
    """One unstuffed, CRC-checked packet."""

    address: int
    flag: bool
    data: bytes

    @property
    def seq_id(self) -> int:
        return seq_id(self.address, self.flag)

    def encode(self) -> bytes:
        return encode_packet(self.address, self.flag, self.data)


def encode_packet(address: int, flag: bool, data: bytes) -> bytes:
    """STX, then SEQ/ID, LENGTH, DATA and the CRC (low byte first), stuffed."""
    if not data or len(data) > MAX_DATA:
        raise ProtocolError(f"a packet carries 1-{MAX_DATA} data bytes, not {len(data)}")
    body = bytes([seq_id(address, flag), len(data)]) + data
    crc = crc16(body)
    body += bytes([crc & 0xFF, crc >> 8])
    return bytes([STX]) + body.replace(bytes([STX]), bytes([STX, STX]))


class FrameDecoder:
    """Turns a byte stream into packets: finds STX, removes stuffing, checks the length and
    the CRC. Noise between packets and packets with a bad CRC are counted and dropped; a
    lone 0x7F inside a packet starts a new one (the sender gave up on the old one)."""

    def __init__(self) -> None:
        self._buf: bytearray | None = None
        self._pending_stx = False
        self.dropped = 0  # bad CRCs and cut-off packets
        self.noise = 0  # bytes outside any packet

    def reset(self) -> None:
        self._buf = None
        self._pending_stx = False

    def feed(self, chunk: bytes) -> list[Packet]:
        out: list[Packet] = []
        for byte in chunk:
            packet = self._byte(byte)
            if packet is not None:
                out.append(packet)
        return out

    def _byte(self, byte: int) -> Packet | None:
        if self._buf is None:
            if byte == STX:
                self._buf = bytearray()
            else:
                self.noise += 1
            return None
        if self._pending_stx:
            self._pending_stx = False
            if byte != STX:  # a lone 0x7F: a new packet began
                self.dropped += 1
                self._buf = bytearray([byte])
                return None
        elif byte == STX:
            self._pending_stx = True
            return None
        self._buf.append(byte)
        return self._complete()

    def _complete(self) -> Packet | None:
        buf = self._buf
        assert buf is not None
        if len(buf) < 2 or len(buf) < 4 + buf[1]:
            return None
        self._buf = None
        length = buf[1]
        body, crc = bytes(buf[: 2 + length]), buf[2 + length] | (buf[3 + length] << 8)
        if length == 0 or crc16(body) != crc:
            self.dropped += 1
            return None
        return Packet(body[0] & ADDRESS_MASK, bool(body[0] & SEQUENCE_FLAG), body[2:])


@dataclass(frozen=True)
class PollEvent:
    event: Event
    channel: int | None = None

    def encode(self) -> bytes:
        if self.event in EVENTS_WITH_CHANNEL:
            return bytes([self.event, self.channel or 0])
        return bytes([self.event])


def parse_poll(data: bytes) -> list[PollEvent]:
    """The events of a POLL answer's data (after the generic OK byte), oldest first."""
    events: list[PollEvent] = []
    index = 0
    while index < len(data):
        try:
            event = Event(data[index])
        except ValueError as exc:
            raise ProtocolError(f"unknown poll event 0x{data[index]:02X}") from exc
        index += 1
        channel = None
        if event in EVENTS_WITH_CHANNEL:
            if index >= len(data):
                raise ProtocolError(f"poll event {event.name} without its channel byte")
            channel = data[index]
            index += 1
        events.append(PollEvent(event, channel))
    return events


def encode_poll(events: Iterable[PollEvent]) -> bytes:
    return b"".join(event.encode() for event in events)


def inhibit_mask(channels: Iterable[int]) -> bytes:
    """SET INHIBITS' two bytes: bit n-1 set means channel n takes notes (1-16)."""
    mask = 0
    for channel in channels:
        if not 1 <= channel <= 16:
            raise ProtocolError(f"channel {channel} is not 1-16")
        mask |= 1 << (channel - 1)
    return bytes([mask & 0xFF, mask >> 8])


def channels_from_mask(mask: bytes) -> frozenset[int]:
    bits = int.from_bytes(mask, "little")
    return frozenset(n + 1 for n in range(8 * len(mask)) if bits & (1 << n))


@dataclass(frozen=True)
class Channel:
    number: int  # 1-based, as in the events
    value: int  # in the currency's minor unit (cents)
    currency: str  # ISO 4217, three letters


@dataclass(frozen=True)
class SetupInfo:
    """A validator's SETUP REQUEST answer (protocol version 6 and later).

    Layout: unit type (1), firmware version (4 ASCII), country code (3 ASCII), value
    multiplier (3, big-endian), number of channels n (1), channel values (n), channel
    security (n, obsolete), real value multiplier (3, big-endian), protocol version (1),
    then from version 6: each channel's country code (3n ASCII) and value (4n,
    little-endian). A note's value in minor units is its expanded value times the real
    value multiplier (USD: 20 x 100 = 2000 cents).
    """

    unit_type: int
    firmware: str
    currency: str
    channels: tuple[Channel, ...]
    protocol_version: int
    real_value_multiplier: int = 100

    def encode(self) -> bytes:
        n = len(self.channels)
        majors = [channel.value // self.real_value_multiplier for channel in self.channels]
        return b"".join([
            bytes([self.unit_type]),
            self.firmware.encode("ascii")[:4].rjust(4, b"0"),
            self.currency.encode("ascii"),
            (1).to_bytes(3, "big"),
            bytes([n]),
            bytes(min(value, 255) for value in majors),
            bytes([2] * n),
            self.real_value_multiplier.to_bytes(3, "big"),
            bytes([self.protocol_version]),
            b"".join(channel.currency.encode("ascii") for channel in self.channels),
            b"".join(value.to_bytes(4, "little") for value in majors),
        ])

    @classmethod
    def decode(cls, data: bytes) -> SetupInfo:
        try:
            n = data[11]
            multiplier = int.from_bytes(data[12 + 2 * n: 15 + 2 * n], "big")
            version = data[15 + 2 * n]
            if version < 6:
                raise ProtocolError(f"protocol version {version}: 6 or later is needed")
            start = 16 + 2 * n
            codes = data[start: start + 3 * n]
            values = data[start + 3 * n: start + 7 * n]
            if len(values) != 4 * n or multiplier == 0:
                raise ProtocolError("SETUP REQUEST answer is cut short")
            channels = tuple(
                Channel(
                    i + 1,
                    int.from_bytes(values[4 * i: 4 * i + 4], "little") * multiplier,
                    codes[3 * i: 3 * i + 3].decode("ascii"),
                )
                for i in range(n)
            )
            return cls(data[0], data[1:5].decode("ascii"), data[5:8].decode("ascii"),
                       channels, version, multiplier)
        except (IndexError, UnicodeDecodeError) as exc:
            raise ProtocolError(f"SETUP REQUEST answer unreadable: {exc}") from exc


def hexdump(data: bytes) -> str:
    return " ".join(f"{byte:02X}" for byte in data)

