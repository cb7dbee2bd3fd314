"""The eSSP bytes, checked against the specification's own examples (the SYNC command to
address 0 and its OK answer, the SMART Hopper's SEQ/ID byte), then round trips."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.devices.essp.device import USD_NOTES
from kiosk.devices.essp.protocol import (
    Channel,
    Event,
    FrameDecoder,
    Packet,
    PollEvent,
    ProtocolError,
    SetupInfo,
    channels_from_mask,
    crc16,
    encode_packet,
    encode_poll,
    inhibit_mask,
    parse_poll,
    seq_id,
)


def test_the_specifications_sync_example() -> None:
    # SSP: "SYNC to a device at address 0 with the sequence flag set: 0x7F 0x80 0x01 0x11
    # 0x65 0x82"; the CRC over 0x80 0x01 0x11 is 0x8265, sent low byte first.
    assert crc16(bytes([0x80, 0x01, 0x11])) == 0x8265
    assert encode_packet(0, True, bytes([0x11])) == bytes.fromhex("7F 80 01 11 65 82")


def test_the_ok_answer_to_that_sync() -> None:
    assert crc16(bytes([0x80, 0x01, 0xF0])) == 0x8023
    assert encode_packet(0, True, bytes([0xF0])) == bytes.fromhex("7F 80 01 F0 23 80")
    packets = FrameDecoder().feed(bytes.fromhex("7F 80 01 F0 23 80"))
    assert packets == [Packet(0, True, b"\xf0")]


def test_the_crc_has_seed_ffff_and_polynomial_8005() -> None:
    assert crc16(b"") == 0xFFFF
    # poly 0x8005, init 0xFFFF, not reflected, no final XOR is the catalogued
    # CRC-16/CMS, whose check value over "123456789" is 0xAEE7
    assert crc16(b"123456789") == 0xAEE7
    # the packet with the flag clear differs: the SEQ/ID byte is under the CRC
    assert encode_packet(0, False, bytes([0x11])) != encode_packet(0, True, bytes([0x11]))


def test_seq_id_is_the_flag_in_bit_7_and_the_address_below() -> None:
    # SSP: a SMART Hopper at address 0x10 is sent 0x90 with the flag set, 0x10 without.
    assert seq_id(0x10, True) == 0x90
    assert seq_id(0x10, False) == 0x10
    assert seq_id(0, True) == 0x80
    with pytest.raises(ProtocolError):
        seq_id(0x80, False)


def test_every_7f_after_stx_is_sent_twice() -> None:
    wire = encode_packet(0x7F, False, bytes([0x7F, 0x01]))
    # SEQ/ID 0x7F and the data's 0x7F are doubled; the STX is not
    assert wire[:6] == bytes([0x7F, 0x7F, 0x7F, 0x02, 0x7F, 0x7F])
    assert FrameDecoder().feed(wire) == [Packet(0x7F, False, bytes([0x7F, 0x01]))]


def test_a_crc_byte_of_7f_is_stuffed_too() -> None:
    data = next(bytes([0x07, n]) for n in range(256)
                if 0x7F in crc16(bytes([0x00, 0x02, 0x07, n])).to_bytes(2, "little"))
    wire = encode_packet(0, False, data)
    assert wire.count(0x7F) == 3  # STX and the doubled CRC byte
    assert FrameDecoder().feed(wire) == [Packet(0, False, data)]


def test_the_decoder_skips_noise_and_splits_packets_fed_a_byte_at_a_time() -> None:
    first = encode_packet(0, True, bytes([0xF0, 0xEF, 0x7F]))
    second = encode_packet(0, False, bytes([0xF0]))
    decoder = FrameDecoder()
    stream = b"\x00\x13" + first + second
    got = [p for byte in stream for p in decoder.feed(bytes([byte]))]
    assert got == [Packet(0, True, bytes([0xF0, 0xEF, 0x7F])), Packet(0, False, b"\xf0")]
    assert decoder.noise == 2


def test_a_bad_crc_is_dropped_and_counted() -> None:
    wire = bytearray(encode_packet(0, True, bytes([0xF0])))
    wire[-1] ^= 0x01
    decoder = FrameDecoder()
    assert decoder.feed(bytes(wire)) == []
    assert decoder.dropped == 1
    assert decoder.feed(encode_packet(0, False, b"\xf0")) == [Packet(0, False, b"\xf0")]


def test_a_lone_7f_inside_a_packet_starts_a_new_one() -> None:
    cut = encode_packet(0, True, bytes([0xF0, 0x01, 0x02]))[:4]  # sender gave up
    whole = encode_packet(0, False, bytes([0xF0]))
    decoder = FrameDecoder()
    assert decoder.feed(cut + whole) == [Packet(0, False, b"\xf0")]
    assert decoder.dropped == 1


def test_data_length_limits() -> None:
    with pytest.raises(ProtocolError):
        encode_packet(0, True, b"")
    with pytest.raises(ProtocolError):
        encode_packet(0, True, bytes(256))


@given(st.integers(0, 0x7F), st.booleans(), st.binary(min_size=1, max_size=255),
       st.binary(max_size=20).map(lambda b: b.replace(b"\x7f", b"")))
def test_any_packet_survives_the_wire(address: int, flag: bool, data: bytes,
                                      noise: bytes) -> None:
    assert FrameDecoder().feed(noise + encode_packet(address, flag, data)) == [
        Packet(address, flag, data)]


def test_poll_events_with_and_without_channels() -> None:
    data = bytes([0xEF, 0x00, 0xEF, 0x04, 0xCC, 0xEE, 0x04, 0xEB, 0xE8])
    assert parse_poll(data) == [
        PollEvent(Event.READ_NOTE, 0), PollEvent(Event.READ_NOTE, 4),
        PollEvent(Event.STACKING), PollEvent(Event.CREDIT_NOTE, 4),
        PollEvent(Event.STACKED), PollEvent(Event.DISABLED),
    ]
    assert encode_poll(parse_poll(data)) == data


def test_every_validator_event_has_its_code() -> None:
    codes = {
        Event.SLAVE_RESET: 0xF1, Event.READ_NOTE: 0xEF, Event.CREDIT_NOTE: 0xEE,
        Event.REJECTING: 0xED, Event.REJECTED: 0xEC, Event.STACKING: 0xCC,
        Event.STACKED: 0xEB, Event.SAFE_JAM: 0xEA, Event.UNSAFE_JAM: 0xE9,
        Event.DISABLED: 0xE8, Event.FRAUD_ATTEMPT: 0xE6, Event.STACKER_FULL: 0xE7,
        Event.NOTE_CLEARED_FROM_FRONT: 0xE1, Event.NOTE_CLEARED_INTO_CASHBOX: 0xE2,
        Event.CASHBOX_REMOVED: 0xE3, Event.CASHBOX_REPLACED: 0xE4,
    }
    assert {event: int(event) for event in codes} == codes
    with_channel = [PollEvent(e, 3) for e in (Event.FRAUD_ATTEMPT,
                    Event.NOTE_CLEARED_FROM_FRONT, Event.NOTE_CLEARED_INTO_CASHBOX)]
    assert parse_poll(encode_poll(with_channel)) == with_channel


def test_unreadable_poll_answers_say_why() -> None:
    with pytest.raises(ProtocolError, match="unknown poll event 0x42"):
        parse_poll(bytes([0x42]))
    with pytest.raises(ProtocolError, match="without its channel"):
        parse_poll(bytes([0xEE]))


def test_inhibit_mask_bit_n_minus_1_is_channel_n() -> None:
    assert inhibit_mask(range(1, 7)) == bytes([0x3F, 0x00])
    assert inhibit_mask([9]) == bytes([0x00, 0x01])
    assert channels_from_mask(bytes([0x05, 0x80])) == {1, 3, 16}
    with pytest.raises(ProtocolError):
        inhibit_mask([17])


def test_setup_request_answer_of_a_us_nv200() -> None:
    info = SetupInfo(0, "0430", "USD", USD_NOTES, 6)
    wire = info.encode()
    n = 6
    assert wire[:12] == bytes([0x00]) + b"0430" + b"USD" + bytes([0, 0, 1, n])
    assert wire[12:18] == bytes([1, 5, 10, 20, 50, 100])  # channel values
    assert wire[24:27] == bytes([0x00, 0x00, 0x64])  # real value multiplier 100, MSB first
    assert wire[27] == 6  # protocol version
    assert wire[28:46] == b"USD" * 6
    assert wire[46:50] == (1).to_bytes(4, "little")
    assert wire[66:70] == (100).to_bytes(4, "little")
    decoded = SetupInfo.decode(wire)
    assert decoded == info
    assert [c.value for c in decoded.channels] == [100, 500, 1000, 2000, 5000, 10000]


def test_setup_request_answers_the_host_cannot_use() -> None:
    old = bytearray(SetupInfo(0, "0430", "EUR", (Channel(1, 500, "EUR"),), 6).encode())
    old[15 + 2] = 5  # protocol version 5: no expanded values
    with pytest.raises(ProtocolError, match="6 or later"):
        SetupInfo.decode(bytes(old))
    with pytest.raises(ProtocolError, match=r"cut short|unreadable"):
        SetupInfo.decode(SetupInfo(0, "0430", "USD", USD_NOTES, 6).encode()[:-3])
