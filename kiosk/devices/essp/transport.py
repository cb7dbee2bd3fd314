"""The host's side of eSSP over a serial port (pyserial).

``EsspTransport.command`` sends one command and returns the device's answer, or raises
``DeviceSilent``. Every read is bounded: each attempt waits ``timeout`` seconds for an
answer, and an attempt without one (silence, a cut-off or garbled packet) is sent again
*with the same sequence flag*, so a device that did run the command only repeats its answer
instead of running it twice (a POLL that stacked a note is never lost, a REJECT never
doubled). Answers with the other flag (a stale copy of an earlier answer) are dropped.
``sync`` starts the sequence afresh (SYNC, flag set), as after power-up or silence.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from kiosk.devices.essp.encryption import (
    DEFAULT_FIXED_KEY,
    STEX,
    EsspCipher,
    Party,
    aes_key,
    random_prime,
    read_u64,
    u64,
)
from kiosk.devices.essp.protocol import (
    Command,
    FrameDecoder,
    ProtocolError,
    Response,
    encode_packet,
    hexdump,
)

log = logging.getLogger(__name__)

#: NV9/NV200 serial settings: 9600 baud, 8 data bits, no parity, 2 stop bits.
BAUDRATE = 9600

try:  # pyserial's POSIX back-end lets termios.error through (a port unplugged under us)
    from termios import error as termios_error

    _PORT_ERRORS: tuple[type[BaseException], ...] = (OSError, termios_error)
except ImportError:  # pragma: no cover - Windows
    _PORT_ERRORS = (OSError,)


class DeviceSilent(Exception):
    """No answer from the device after every retry, or the port itself failed."""


class Link(Protocol):
    """A byte pipe to the device (a serial port, or a test's pipe)."""

    def write(self, data: bytes) -> None: ...

    def read(self, deadline: float) -> bytes:
        """What has arrived, waiting at most until ``deadline`` (time.monotonic) for it."""
        ...

    def discard_input(self) -> None: ...

    def close(self) -> None: ...


class SerialLink:
    """A serial port through pyserial, opened exclusively (a second kiosk process, or a
    stray terminal program, cannot talk to the acceptor at the same time)."""

    SLICE = 0.02  # seconds: how long one read() call may block

    def __init__(self, port: str, baudrate: int = BAUDRATE) -> None:
        import serial  # only a kiosk with an acceptor loads pyserial

        self._error: type[Exception] = serial.SerialException
        try:
            self._serial = serial.Serial(
                port, baudrate=baudrate, bytesize=serial.EIGHTBITS,
                parity=serial.PARITY_NONE, stopbits=serial.STOPBITS_TWO,
                timeout=self.SLICE, write_timeout=1.0, exclusive=True,
            )
        except (serial.SerialException, OSError, ValueError) as exc:
            raise DeviceSilent(f"cannot open {port}: {exc}") from exc

    def write(self, data: bytes) -> None:
        try:
            self._serial.write(data)
            self._serial.flush()
        except (self._error, *_PORT_ERRORS) as exc:
            raise DeviceSilent(f"serial write failed: {exc}") from exc

    def read(self, deadline: float) -> bytes:
        while True:
            try:
                chunk = bytes(self._serial.read(self._serial.in_waiting or 1))
            except (self._error, *_PORT_ERRORS) as exc:
                raise DeviceSilent(f"serial read failed: {exc}") from exc
            if chunk or time.monotonic() >= deadline:
                return chunk

    def discard_input(self) -> None:
        try:
            self._serial.reset_input_buffer()
        except (self._error, *_PORT_ERRORS) as exc:
            raise DeviceSilent(f"serial port failed: {exc}") from exc

    def close(self) -> None:
        try:
            self._serial.close()
        except (self._error, *_PORT_ERRORS):
            log.debug("closing the serial port failed", exc_info=True)


@dataclass(frozen=True)
class Reply:
    status: int  # a Response value, or an unknown byte
    data: bytes  # what follows the status byte

    @property
    def ok(self) -> bool:
        return self.status == Response.OK

    @property
    def status_name(self) -> str:
        try:
            return Response(self.status).name
        except ValueError:
            return f"0x{self.status:02X}"


class EsspTransport:
    """One device on one link: sequence flag, timeouts, retries."""

    def __init__(
        self, link: Link, *, address: int = 0, timeout: float = 1.0, retries: int = 3,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._link = link
        self._address = address
        self._timeout = timeout
        self._retries = retries
        self._monotonic = monotonic
        self._decoder = FrameDecoder()
        self._flag = True
        self._cipher: EsspCipher | None = None
        self.retried = 0  # attempts sent again (for the tests and the logs)
        self.stale = 0  # answers dropped for carrying the other sequence flag

    def sync(self) -> Reply:
        """SYNC with the sequence flag set: the device forgets its last answer and the
        next command goes with the flag clear."""
        self._flag = True
        return self.command(Command.SYNC)

    @property
    def encrypted(self) -> bool:
        return self._cipher is not None

    def negotiate_keys(self, fixed_key: int = DEFAULT_FIXED_KEY) -> None:
        """The eSSP key exchange; every command after it but SYNC goes encrypted."""
        self._cipher = None
        host = Party.new(random_prime(), random_prime())
        for command, value in ((Command.SET_GENERATOR, host.generator),
                               (Command.SET_MODULUS, host.modulus)):
            reply = self.command(command, u64(value))
            if not reply.ok:
                raise ProtocolError(f"{command.name} answered {reply.status_name}")
        reply = self.command(Command.REQUEST_KEY_EXCHANGE, u64(host.intermediate))
        if not reply.ok:
            raise ProtocolError(f"REQUEST_KEY_EXCHANGE answered {reply.status_name}")
        self._cipher = EsspCipher(aes_key(fixed_key, host.negotiated(read_u64(reply.data))))

    def drop_keys(self) -> None:
        """The unit restarted and forgot them."""
        self._cipher = None

    def command(self, command: Command, params: bytes = b"") -> Reply:
        data = bytes([command]) + params
        cipher = self._cipher if command is not Command.SYNC else None
        if cipher is not None:
            data = cipher.seal(cipher.count, data)
        packet = encode_packet(self._address, self._flag, data)
        self._link.discard_input()
        self._decoder.reset()
        for attempt in range(1 + self._retries):
            if attempt:
                self.retried += 1
                log.info("eSSP %s: no answer, sending again (attempt %d)",
                         command.name, attempt + 1)
            log.debug("eSSP > %s", hexdump(packet))
            self._link.write(packet)
            answer = self._await(self._monotonic() + self._timeout)
            if answer is not None:
                self._flag = not self._flag
                return self._open(answer, cipher)
        raise DeviceSilent(
            f"no answer to {command.name} after {1 + self._retries} attempts")

    def _open(self, answer: bytes, cipher: EsspCipher | None) -> Reply:
        if answer[0] == STEX:
            if cipher is None:
                raise ProtocolError("an encrypted answer to a plain command")
            count, answer = cipher.open(answer)
            if count != cipher.count + 1 or not answer:
                raise ProtocolError(f"encrypted answer counted {count}, not {cipher.count + 1}")
            cipher.count = count
        return Reply(answer[0], answer[1:])

    def _await(self, deadline: float) -> bytes | None:
        while True:
            chunk = self._link.read(deadline)
            for packet in self._decoder.feed(chunk):
                if packet.address != self._address or packet.flag != self._flag:
                    self.stale += 1
                    log.debug("eSSP dropped a stale answer %s", hexdump(packet.data))
                    continue
                log.debug("eSSP < %s", hexdump(packet.data))
                return packet.data
            if self._monotonic() >= deadline:
                return None

    def close(self) -> None:
        self._link.close()
