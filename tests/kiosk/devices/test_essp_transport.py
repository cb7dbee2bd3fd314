"""The host's transport over a real pty, against the NV200 simulator: answers, bounded
waits, retries with the same sequence flag, stale answers dropped, resync."""

from __future__ import annotations

import time

import pytest

from kiosk.devices.essp.device import NV200, FedNote
from kiosk.devices.essp.protocol import (
    Command,
    Event,
    Packet,
    PollEvent,
    Response,
    SetupInfo,
    inhibit_mask,
    parse_poll,
)
from kiosk.devices.essp.simulator import Simulator
from kiosk.devices.essp.transport import DeviceSilent, EsspTransport, SerialLink


def _ready(sim: Simulator, **kw: float) -> EsspTransport:
    transport = EsspTransport(SerialLink(sim.port), timeout=kw.get("timeout", 0.2),
                              retries=int(kw.get("retries", 3)))
    assert transport.sync().ok
    assert transport.command(Command.HOST_PROTOCOL_VERSION, bytes([6])).ok
    assert transport.command(Command.SET_INHIBITS, inhibit_mask(range(1, 7))).ok
    assert transport.command(Command.ENABLE).ok
    return transport


def _poll(transport: EsspTransport) -> list[PollEvent]:
    reply = transport.command(Command.POLL)
    assert reply.ok
    return parse_poll(reply.data)


def test_setup_request_over_the_pty(sim: Simulator) -> None:
    transport = _ready(sim)
    info = SetupInfo.decode(transport.command(Command.SETUP_REQUEST).data)
    assert (info.currency, [c.value for c in info.channels]) == (
        "USD", [100, 500, 1000, 2000, 5000, 10000])
    transport.close()


def test_a_lost_answer_is_asked_for_again_with_the_same_flag(sim: Simulator) -> None:
    transport = _ready(sim)
    sim.insert(2000)
    assert _poll(transport) == [PollEvent(Event.READ_NOTE, 0)]
    assert _poll(transport) == [PollEvent(Event.READ_NOTE, 4)]
    assert _poll(transport) == [PollEvent(Event.STACKING)]
    sim.lose_answers(1)  # the POLL that credits the note runs; its answer is lost
    assert _poll(transport) == [PollEvent(Event.CREDIT_NOTE, 4), PollEvent(Event.STACKED)]
    assert transport.retried == 1
    assert sim.device.repeats == 1  # the unit repeated its answer, it did not poll again
    assert sim.stacked == [2000]
    assert _poll(transport) == []
    transport.close()


def test_a_silent_unit_is_given_up_on_within_the_bound(sim: Simulator) -> None:
    transport = _ready(sim, timeout=0.1, retries=2)
    sim.go_silent()
    started = time.monotonic()
    with pytest.raises(DeviceSilent, match="no answer to POLL after 3 attempts"):
        transport.command(Command.POLL)
    took = time.monotonic() - started
    assert 0.3 <= took < 1.5  # 3 attempts of 0.1 s; slack for a busy machine
    sim.speak()
    assert transport.sync().ok  # resync: the flag starts again
    assert _poll(transport) == []
    transport.close()


class _KeepsInput(SerialLink):
    """A port whose input buffer is never flushed before a command, so only the sequence
    flag can tell a stale copy from the real answer."""

    def discard_input(self) -> None:
        pass


def test_a_second_copy_of_an_answer_is_not_taken_for_the_next_one(sim: Simulator) -> None:
    transport = EsspTransport(_KeepsInput(sim.port), timeout=0.2)
    assert transport.sync().ok
    assert transport.command(Command.HOST_PROTOCOL_VERSION, bytes([6])).ok
    sim.answer_twice()
    setup = transport.command(Command.SETUP_REQUEST)
    assert setup.ok and setup.data
    time.sleep(0.05)  # the copy is in the input buffer now
    disable = transport.command(Command.DISABLE)
    assert disable == type(disable)(Response.OK, b"")  # not the SETUP REQUEST copy
    assert transport.stale == 1
    transport.close()


def test_the_unit_runs_a_repeated_flag_once_and_sync_always() -> None:
    unit = NV200()
    first = unit.receive(Packet(0, True, bytes([Command.SYNC])))
    assert first == unit.receive(Packet(0, True, bytes([Command.SYNC])))
    assert unit.commands == [Command.SYNC, Command.SYNC]
    ok = unit.receive(Packet(0, False, bytes([Command.ENABLE])))
    assert ok is not None and ok.data == bytes([Response.OK])
    unit.receive(Packet(0, False, bytes([Command.ENABLE])))
    assert unit.commands.count(Command.ENABLE) == 1 and unit.repeats == 1
    assert unit.receive(Packet(5, True, bytes([Command.POLL]))) is None  # not its address


def test_the_unit_answers_bad_commands_with_generic_responses() -> None:
    unit = NV200()

    def answer(flag: bool, data: bytes) -> int:
        packet = unit.receive(Packet(0, flag, data))
        assert packet is not None
        return packet.data[0]

    assert answer(True, bytes([0x99])) == Response.COMMAND_NOT_KNOWN
    assert answer(False, bytes([Command.SET_INHIBITS, 1])) == (
        Response.WRONG_NUMBER_OF_PARAMETERS)
    assert answer(True, bytes([Command.HOST_PROTOCOL_VERSION, 3])) == Response.FAIL
    assert answer(False, bytes([Command.SETUP_REQUEST])) == (
        Response.COMMAND_CANNOT_BE_PROCESSED)  # protocol 6 not asked for yet
    assert answer(True, bytes([Command.HOLD])) == Response.COMMAND_CANNOT_BE_PROCESSED
    assert answer(False, bytes([Command.REJECT])) == Response.COMMAND_CANNOT_BE_PROCESSED


def test_an_unknown_port_is_a_silent_device() -> None:
    with pytest.raises(DeviceSilent, match="cannot open"):
        SerialLink("/dev/no-such-acceptor")


def test_the_unit_reports_stacking_until_the_note_is_in_the_cashbox() -> None:
    now = [100.0]
    unit = NV200(stack_seconds=1.0, monotonic=lambda: now[0])
    flag = [False]

    def run(command: Command, params: bytes = b"") -> list[PollEvent]:
        flag[0] = not flag[0]
        answer = unit.receive(Packet(0, flag[0], bytes([command]) + params))
        assert answer is not None and answer.data[0] == Response.OK
        return parse_poll(answer.data[1:]) if command is Command.POLL else []

    run(Command.SET_INHIBITS, inhibit_mask(range(1, 7)))
    run(Command.ENABLE)
    unit.insert(FedNote(2000))
    assert [e.event for e in run(Command.POLL)] == [Event.READ_NOTE]  # reading
    assert run(Command.POLL) == [PollEvent(Event.READ_NOTE, 4)] and unit.in_escrow
    assert run(Command.POLL) == [PollEvent(Event.STACKING)] and unit.stacking
    now[0] += 0.5
    assert run(Command.POLL) == [PollEvent(Event.STACKING)] and unit.stacked == []
    now[0] += 0.6
    assert run(Command.POLL) == [PollEvent(Event.CREDIT_NOTE, 4), PollEvent(Event.STACKED)]
    assert unit.stacked == [2000] and not unit.stacking
