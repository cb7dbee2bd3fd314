"""eSSP's encrypted variant: the key exchange, the AES-wrapped packet and its count, and
the whole acceptor against a unit that insists on encryption."""

from __future__ import annotations

import queue
import time

import pytest

from kiosk.devices.bill_acceptor import (
    AcceptorEvent,
    BillAcceptor,
    Jammed,
    NoteInEscrow,
    NoteStacked,
    Offline,
    Ready,
)
from kiosk.devices.essp.device import NV200, Behaviour
from kiosk.devices.essp.encryption import (
    DEFAULT_FIXED_KEY,
    STEX,
    EsspCipher,
    Party,
    aes_key,
    is_prime,
    random_prime,
)
from kiosk.devices.essp.protocol import Command, Packet, ProtocolError, Response, crc16
from kiosk.devices.essp.simulator import Simulator
from kiosk.devices.essp.transport import EsspTransport, SerialLink

KEY = aes_key(DEFAULT_FIXED_KEY, 0x1122334455667788)


def test_primes_up_to_64_bits() -> None:
    assert [n for n in range(30) if is_prime(n)] == [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]
    assert is_prime(2**61 - 1)  # a Mersenne prime
    assert is_prime(18446744073709551557)  # the largest prime below 2^64
    assert not is_prime(561)  # a Carmichael number fools Fermat, not Miller-Rabin
    assert not is_prime((2**31 - 1) * (2**31 - 1))
    prime = random_prime()
    assert is_prime(prime) and prime.bit_length() == 63


def test_the_aes_key_is_the_fixed_key_then_the_negotiated_one() -> None:
    key = aes_key(DEFAULT_FIXED_KEY, 0x1122334455667788)
    assert key == bytes([0x67, 0x45, 0x23, 0x01, 0x67, 0x45, 0x23, 0x01,
                         0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11])


def test_both_sides_of_the_exchange_reach_one_key() -> None:
    generator, modulus = random_prime(), random_prime()
    host, unit = Party.new(generator, modulus), Party.new(generator, modulus)
    assert host.negotiated(unit.intermediate) == unit.negotiated(host.intermediate)


def test_a_sealed_packet_is_stex_and_whole_blocks_and_opens_again() -> None:
    sealed = EsspCipher(KEY).seal(7, bytes([Command.POLL]))
    assert sealed[0] == STEX and (len(sealed) - 1) % 16 == 0
    assert EsspCipher(KEY).open(sealed) == (7, bytes([Command.POLL]))
    # what is inside: eLENGTH, eCOUNT little-endian, eDATA, packing, then SSP's CRC
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    decryptor = Cipher(algorithms.AES(KEY), modes.ECB()).decryptor()
    plain = decryptor.update(sealed[1:]) + decryptor.finalize()
    assert plain[:6] == bytes([1, 7, 0, 0, 0, Command.POLL])
    assert crc16(plain[:-2]) == plain[-2] | plain[-1] << 8


def test_a_tampered_or_foreign_packet_does_not_open() -> None:
    sealed = bytearray(EsspCipher(KEY).seal(0, bytes([Command.ENABLE])))
    sealed[5] ^= 0x01
    with pytest.raises(ProtocolError, match="does not check"):
        EsspCipher(KEY).open(bytes(sealed))
    other = aes_key(0x1111111111111111, 0x1122334455667788)
    with pytest.raises(ProtocolError):
        EsspCipher(other).open(EsspCipher(KEY).seal(0, bytes([Command.ENABLE])))
    with pytest.raises(ProtocolError, match="not an encrypted"):
        EsspCipher(KEY).open(bytes([Response.OK]))


def test_a_unit_that_insists_refuses_plain_commands_until_keys_are_set() -> None:
    with Simulator(NV200(encryption_required=True)) as sim:
        transport = EsspTransport(SerialLink(sim.port), timeout=0.2)
        assert transport.sync().ok
        assert transport.command(Command.ENABLE).status == Response.KEY_NOT_SET
        assert transport.command(Command.SET_GENERATOR, (561).to_bytes(8, "little")).status \
            == Response.PARAMETER_OUT_OF_RANGE
        transport.negotiate_keys()
        assert transport.encrypted and sim.device.encrypted
        assert transport.command(Command.ENABLE).ok
        assert sim.device.enabled
        sim.lose_answers(1)  # a retry sends the same sealed bytes: the count holds
        assert transport.command(Command.POLL).ok
        assert transport.command(Command.DISABLE).ok and not sim.device.enabled
        assert transport.retried == 1
        transport.close()


def test_the_unit_ignores_a_wrong_count() -> None:
    unit = NV200(encryption_required=True)
    unit.receive(Packet(0, True, bytes([Command.SYNC])))
    cipher = EsspCipher(aes_key(DEFAULT_FIXED_KEY, 1))
    assert unit.receive(Packet(0, False, cipher.seal(0, bytes([Command.POLL])))) == Packet(
        0, False, bytes([Response.KEY_NOT_SET]))  # no keys yet
    generator, modulus = 5, 1000003
    host = Party.new(generator, modulus)
    for flag, command, value in ((True, Command.SET_GENERATOR, generator),
                                 (False, Command.SET_MODULUS, modulus)):
        unit.receive(Packet(0, flag, bytes([command]) + value.to_bytes(8, "little")))
    answer = unit.receive(Packet(0, True, bytes([Command.REQUEST_KEY_EXCHANGE])
                                 + host.intermediate.to_bytes(8, "little")))
    assert answer is not None and answer.data[0] == Response.OK
    key = aes_key(DEFAULT_FIXED_KEY, host.negotiated(int.from_bytes(answer.data[1:], "little")))
    cipher = EsspCipher(key)
    assert unit.receive(Packet(0, False, cipher.seal(3, bytes([Command.POLL])))) is None
    sealed = unit.receive(Packet(0, False, cipher.seal(0, bytes([Command.POLL]))))
    assert sealed is not None
    assert cipher.open(sealed.data) == (1, bytes([Response.OK, 0xE8]))  # OK, disabled


class _Events:
    def __init__(self) -> None:
        self.queue: queue.Queue[AcceptorEvent] = queue.Queue()
        self.seen: list[AcceptorEvent] = []

    def __call__(self, event: AcceptorEvent) -> None:
        self.seen.append(event)
        self.queue.put(event)

    def wait(self, kind: type, timeout: float = 5.0) -> AcceptorEvent:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                event = self.queue.get(timeout=left)
            except queue.Empty:
                break
            if isinstance(event, kind):
                return event
        raise AssertionError(f"no {kind.__name__}")


def _acceptor(sim: Simulator, events: _Events, **options: object) -> BillAcceptor:
    acceptor = BillAcceptor(sim.port, events, timeout=0.05, retries=2, poll_interval=0.02,
                            reconnect_interval=0.05, **options)  # type: ignore[arg-type]
    acceptor.open()
    return acceptor


def test_an_encrypted_acceptor_takes_notes_and_renegotiates_after_a_restart() -> None:
    with Simulator(NV200(encryption_required=True)) as sim:
        events = _Events()
        acceptor = _acceptor(sim, events, encrypted=True)
        events.wait(Ready)
        acceptor.enable({2000, 500}, maximum=5000)
        sim.insert(2000, Behaviour.SAFE_JAM)
        escrow = events.wait(NoteInEscrow)
        assert isinstance(escrow, NoteInEscrow)
        acceptor.accept(escrow.escrow_id)
        events.wait(Jammed)
        sim.clear_jam(into_cashbox=True)  # the unit restarts and forgets its keys
        stacked = events.wait(NoteStacked)
        assert stacked == NoteStacked(escrow.escrow_id, escrow.note)
        sim.insert(500)
        second = events.wait(NoteInEscrow)
        assert isinstance(second, NoteInEscrow)
        acceptor.accept(second.escrow_id)
        events.wait(NoteStacked)
        assert sim.stacked == [2000, 500] and sim.device.encrypted
        # set up again in place, not by going offline and starting over
        assert not any(isinstance(e, Offline) for e in events.seen)
        assert sum(isinstance(e, Ready) for e in events.seen) == 1
        acceptor.close()


def test_a_plain_acceptor_on_an_encrypting_unit_says_why_it_is_offline() -> None:
    with Simulator(NV200(encryption_required=True)) as sim:
        events = _Events()
        acceptor = _acceptor(sim, events)
        offline = events.wait(Offline)
        assert isinstance(offline, Offline) and "KEY_NOT_SET" in offline.reason
        acceptor.close()


def test_the_wrong_fixed_key_is_offline_not_garbage() -> None:
    with Simulator(NV200(encryption_required=True, fixed_key=0x0102030405060708)) as sim:
        events = _Events()
        acceptor = _acceptor(sim, events, encrypted=True)
        assert isinstance(events.wait(Offline), Offline)
        assert sim.device.enabled is False
        acceptor.close()
