"""The BillAcceptor the kiosk uses, driven through the real eSSP code and pyserial against
the NV200 simulator on a pty: a note is held until the kiosk accepts it, and every
misbehaviour of the unit ends in an event that says what happened to the money."""

from __future__ import annotations

import queue
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest

from kiosk.devices.bill_acceptor import (
    AcceptorEvent,
    AcceptorSpecError,
    BillAcceptor,
    CashboxRemoved,
    CashboxReplaced,
    JamCleared,
    Jammed,
    Note,
    NoteInEscrow,
    NoteReading,
    NoteReturned,
    NoteStacked,
    Offline,
    Ready,
    ReturnReason,
    SimulatedBillAcceptor,
    StackerFull,
    acceptor_from_spec,
)
from kiosk.devices.essp.device import NV200, Behaviour
from kiosk.devices.essp.protocol import Command, Response
from kiosk.devices.essp.simulator import Simulator

E = TypeVar("E")
USD = (100, 500, 1000, 2000, 5000, 10000)
TWENTY = Note(2000, "USD", 4)


class Events:
    """What the listener heard, in order, from the acceptor's thread."""

    def __init__(self) -> None:
        self.queue: queue.Queue[AcceptorEvent] = queue.Queue()
        self.seen: list[AcceptorEvent] = []

    def __call__(self, event: AcceptorEvent) -> None:
        self.queue.put(event)

    def wait(self, kind: type[E], timeout: float = 3.0) -> E:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {kind.__name__}; heard {self.seen}")
            try:
                event = self.queue.get(timeout=left)
            except queue.Empty:
                continue
            self.seen.append(event)
            if isinstance(event, kind):
                return event

    def quiet(self, seconds: float) -> list[AcceptorEvent]:
        """Everything heard within ``seconds`` (for "nothing happens" checks)."""
        heard: list[AcceptorEvent] = []
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                heard.append(self.queue.get(timeout=left))
            except queue.Empty:
                break
        self.seen += heard
        return heard


Opened = tuple[BillAcceptor, Events]


@pytest.fixture
def open_acceptor(sim: Simulator) -> Iterator[Callable[..., Opened]]:
    made: list[BillAcceptor] = []

    def make(**options: float) -> Opened:
        events = Events()
        settings = {"timeout": 0.05, "retries": 2, "poll_interval": 0.02,
                    "reconnect_interval": 0.05, "max_hold": 5.0, **options}
        acceptor = BillAcceptor(sim.port, events, **settings)
        made.append(acceptor)
        acceptor.open()
        ready = events.wait(Ready)
        assert ready.currency == "USD"
        assert [n.value for n in ready.notes] == list(USD)
        return acceptor, events

    yield make
    for acceptor in made:
        acceptor.close()


@pytest.fixture
def enabled(open_acceptor: Callable[..., Opened]) -> Opened:
    acceptor, events = open_acceptor()
    acceptor.enable(USD, maximum=50_000)
    return acceptor, events


def _escrow(sim: Simulator, events: Events, value: int = 2000) -> NoteInEscrow:
    sim.insert(value)
    events.wait(NoteReading)
    return events.wait(NoteInEscrow)


def test_a_note_is_held_until_the_kiosk_accepts_it(sim: Simulator, enabled: Opened) -> None:
    acceptor, events = enabled
    escrow = _escrow(sim, events)
    assert escrow.note == TWENTY
    # the kiosk is writing its record: the note stays in escrow, HOLD after HOLD
    assert events.quiet(0.3) == []
    assert sim.in_escrow and sim.stacked == []
    assert sim.device.commands.count(Command.HOLD) >= 3
    acceptor.accept(escrow.escrow_id)
    assert events.wait(NoteStacked) == NoteStacked(escrow.escrow_id, TWENTY)
    assert sim.stacked == [2000]


def test_the_kiosk_returns_a_note(sim: Simulator, enabled: Opened) -> None:
    acceptor, events = enabled
    escrow = _escrow(sim, events, 500)
    acceptor.return_note(escrow.escrow_id)
    returned = events.wait(NoteReturned)
    assert returned == NoteReturned(escrow.escrow_id, Note(500, "USD", 2),
                                    ReturnReason.RETURNED)
    assert sim.returned == [500] and sim.stacked == []
    acceptor.accept(escrow.escrow_id)  # too late: nothing is stacked
    assert events.quiet(0.2) == [] and sim.stacked == []


def test_a_note_the_unit_cannot_read_comes_back(sim: Simulator, enabled: Opened) -> None:
    _, events = enabled
    sim.insert(2000, Behaviour.UNRECOGNISED)
    assert events.wait(NoteReturned) == NoteReturned(None, None, ReturnReason.NOT_RECOGNISED)
    assert not any(isinstance(e, NoteInEscrow) for e in events.seen)
    assert sim.returned == [2000]


def test_a_suspect_note_comes_back_as_suspect(sim: Simulator, enabled: Opened) -> None:
    _, events = enabled
    sim.insert(10000, Behaviour.SUSPECT)
    assert events.wait(NoteReturned) == NoteReturned(None, Note(10000, "USD", 6),
                                                     ReturnReason.SUSPECT)
    assert sim.stacked == []


def test_values_and_the_maximum_the_kiosk_set(sim: Simulator,
                                              open_acceptor: Callable[..., Opened]) -> None:
    acceptor, events = open_acceptor()
    acceptor.enable({500, 2000}, maximum=2500)
    sim.insert(1000)  # inhibited on the unit: it rejects the note itself
    assert events.wait(NoteReturned).reason is ReturnReason.NOT_RECOGNISED
    first = _escrow(sim, events, 2000)
    acceptor.accept(first.escrow_id)
    events.wait(NoteStacked)
    sim.insert(2000)  # 2000 + 2000 > 2500
    over = events.wait(NoteReturned)
    assert over == NoteReturned(None, TWENTY, ReturnReason.OVER_LIMIT)
    second = _escrow(sim, events, 500)  # 2500 exactly is allowed
    acceptor.accept(second.escrow_id)
    events.wait(NoteStacked)
    assert sim.stacked == [2000, 500]
    assert [e for e in events.seen if isinstance(e, NoteInEscrow)] == [first, second]


def test_a_note_pulled_back_from_escrow_is_never_credited(sim: Simulator,
                                                          enabled: Opened) -> None:
    acceptor, events = enabled
    escrow = _escrow(sim, events)
    assert sim.pull_back()
    returned = events.wait(NoteReturned)
    assert returned == NoteReturned(escrow.escrow_id, TWENTY, ReturnReason.TAKEN_BACK)
    acceptor.accept(escrow.escrow_id)  # the kiosk's late accept stacks nothing
    sim.insert(500)
    later = events.wait(NoteInEscrow)
    assert later.escrow_id != escrow.escrow_id
    acceptor.accept(escrow.escrow_id)  # the old id never stacks the new note
    assert events.quiet(0.2) == [] and sim.in_escrow
    acceptor.accept(later.escrow_id)
    assert events.wait(NoteStacked).note.value == 500
    assert sim.stacked == [500]


def test_a_note_the_kiosk_never_confirms_goes_back(sim: Simulator,
                                                   open_acceptor: Callable[..., Opened]) -> None:
    acceptor, events = open_acceptor(max_hold=0.3)
    acceptor.enable(USD, maximum=10_000)
    escrow = _escrow(sim, events)
    returned = events.wait(NoteReturned)
    assert returned == NoteReturned(escrow.escrow_id, TWENTY, ReturnReason.NOT_CONFIRMED)
    assert sim.stacked == []


def test_disabling_gives_a_held_note_back(sim: Simulator, enabled: Opened) -> None:
    acceptor, events = enabled
    escrow = _escrow(sim, events)
    acceptor.disable()
    assert events.wait(NoteReturned) == NoteReturned(escrow.escrow_id, TWENTY,
                                                     ReturnReason.DISABLED)
    sim.insert(500)
    assert events.quiet(0.2) == []  # disabled: the note waits at the bezel
    assert sim.device.enabled is False and sim.stacked == []


def test_a_safe_jam_after_accept_ends_in_the_cashbox(sim: Simulator, enabled: Opened) -> None:
    acceptor, events = enabled
    sim.insert(2000, Behaviour.SAFE_JAM)
    escrow = events.wait(NoteInEscrow)
    acceptor.accept(escrow.escrow_id)
    assert events.wait(Jammed) == Jammed(True, escrow.escrow_id, TWENTY)
    assert events.quiet(0.2) == []  # one event for the jam, not one per poll
    sim.clear_jam(into_cashbox=True)
    events.wait(JamCleared)
    assert events.wait(NoteStacked) == NoteStacked(escrow.escrow_id, TWENTY)
    # the unit restarted disabled; the acceptor set it up again and takes notes
    nxt = _escrow(sim, events, 100)
    acceptor.accept(nxt.escrow_id)
    events.wait(NoteStacked)
    assert sim.stacked == [2000, 100]


def test_an_unsafe_jam_while_reading_is_cleared_out_of_the_front(
        sim: Simulator, enabled: Opened) -> None:
    _, events = enabled
    sim.insert(5000, Behaviour.UNSAFE_JAM)
    assert events.wait(Jammed) == Jammed(False, None, None)
    sim.clear_jam(into_cashbox=False)
    events.wait(JamCleared)
    assert events.wait(NoteReturned) == NoteReturned(None, Note(5000, "USD", 5),
                                                     ReturnReason.CLEARED)
    assert sim.stacked == [] and sim.returned == [5000]


def test_stacker_full_then_an_emptied_cashbox(sim: Simulator, enabled: Opened) -> None:
    acceptor, events = enabled
    sim.fill_stacker()
    events.wait(StackerFull)
    sim.insert(2000)
    assert not any(isinstance(e, NoteReading) for e in events.quiet(0.2))
    sim.remove_cashbox()
    events.wait(CashboxRemoved)
    sim.replace_cashbox()
    events.wait(CashboxReplaced)
    escrow = events.wait(NoteInEscrow)
    acceptor.accept(escrow.escrow_id)
    events.wait(NoteStacked)
    assert sim.stacked == [2000]


def test_a_removed_cashbox_is_one_event_and_takes_no_notes(sim: Simulator,
                                                          enabled: Opened) -> None:
    acceptor, events = enabled
    sim.remove_cashbox()
    events.wait(CashboxRemoved)
    sim.insert(100)
    heard = events.quiet(0.3)
    assert not any(isinstance(e, CashboxRemoved | NoteReading) for e in heard)
    sim.replace_cashbox()
    events.wait(CashboxReplaced)
    acceptor.accept(events.wait(NoteInEscrow).escrow_id)
    events.wait(NoteStacked)


def test_a_silent_unit_is_offline_then_ready_again(sim: Simulator, enabled: Opened) -> None:
    acceptor, events = enabled
    started = time.monotonic()
    sim.go_silent()
    assert events.wait(Offline).escrow_id is None
    assert time.monotonic() - started < 2.0  # 3 attempts of 50 ms, a poll, and slack
    assert events.quiet(0.3) == []  # said once, not on every reconnect attempt
    sim.speak()
    events.wait(Ready)
    escrow = _escrow(sim, events)
    acceptor.accept(escrow.escrow_id)
    events.wait(NoteStacked)
    assert sim.stacked == [2000]


def test_offline_with_a_note_held_then_accepted_once(sim: Simulator, enabled: Opened) -> None:
    acceptor, events = enabled
    escrow = _escrow(sim, events)
    sim.go_silent()
    assert events.wait(Offline).escrow_id == escrow.escrow_id
    acceptor.accept(escrow.escrow_id)  # the kiosk recorded it meanwhile
    sim.speak()
    events.wait(Ready)
    assert events.wait(NoteStacked) == NoteStacked(escrow.escrow_id, TWENTY)
    assert events.quiet(0.2) == []
    assert sim.stacked == [2000]


def test_a_lost_answer_to_the_stacking_poll_credits_once(sim: Simulator,
                                                         enabled: Opened) -> None:
    acceptor, events = enabled
    escrow = _escrow(sim, events)
    sim.lose_answers(1)
    acceptor.accept(escrow.escrow_id)
    assert events.wait(NoteStacked) == NoteStacked(escrow.escrow_id, TWENTY)
    assert events.quiet(0.2) == []
    assert sim.stacked == [2000] and sim.device.repeats >= 1


def test_a_unit_that_answers_everything_twice(sim: Simulator, enabled: Opened) -> None:
    acceptor, events = enabled
    sim.answer_twice(200)
    for value in (100, 2000, 500):
        escrow = _escrow(sim, events, value)
        acceptor.accept(escrow.escrow_id)
        assert events.wait(NoteStacked).note.value == value
    assert events.quiet(0.2) == []
    assert sim.stacked == [100, 2000, 500]
    stacked = [e for e in events.seen if isinstance(e, NoteStacked)]
    assert len({e.escrow_id for e in stacked}) == 3


def test_no_port_is_offline_not_a_crash() -> None:
    events = Events()
    acceptor = BillAcceptor("/dev/no-such-acceptor", events, reconnect_interval=0.05)
    acceptor.open()
    assert "cannot open /dev/no-such-acceptor" in events.wait(Offline).reason
    acceptor.close()


def test_a_listener_that_raises_does_not_stop_the_acceptor(sim: Simulator) -> None:
    events = Events()
    first = True

    def clumsy(event: AcceptorEvent) -> None:
        nonlocal first
        if first:
            first = False
            raise RuntimeError("the screen was not ready")
        events(event)

    acceptor = BillAcceptor(sim.port, clumsy, timeout=0.05, poll_interval=0.02)
    acceptor.open()
    acceptor.enable(USD, maximum=10_000)
    escrow = _escrow(sim, events)
    acceptor.accept(escrow.escrow_id)
    events.wait(NoteStacked)
    acceptor.close()


def test_close_gives_a_held_note_back_and_disables(sim: Simulator,
                                                   open_acceptor: Callable[..., Opened]) -> None:
    acceptor, events = open_acceptor()
    acceptor.enable(USD, maximum=10_000)
    escrow = _escrow(sim, events)
    acceptor.close()
    assert events.wait(NoteReturned) == NoteReturned(escrow.escrow_id, TWENTY,
                                                     ReturnReason.DISABLED)
    assert sim.device.enabled is False and sim.returned == [2000]


def test_enable_needs_a_maximum(sim: Simulator, open_acceptor: Callable[..., Opened]) -> None:
    acceptor, _ = open_acceptor()
    with pytest.raises(ValueError, match="maximum"):
        acceptor.enable(USD, maximum=0)


class _HoldRefused(NV200):
    """A unit that answers HOLD with COMMAND CANNOT BE PROCESSED even with a note in
    escrow (firmware that times HOLD out, a glitch)."""

    def _run(self, code: int, params: bytes) -> bytes:
        if code == Command.HOLD:
            return bytes([Response.COMMAND_CANNOT_BE_PROCESSED])
        return super()._run(code, params)


def test_a_refused_hold_returns_the_note_never_stacks_it() -> None:
    # After a refused HOLD the acceptor must learn what happened with a POLL, and a POLL
    # stacks a note still in escrow: so it REJECTs first, and nothing the kiosk has not
    # recorded is ever stacked.
    with Simulator(_HoldRefused()) as sim:
        events = Events()
        acceptor = BillAcceptor(sim.port, events, timeout=0.05, poll_interval=0.02)
        acceptor.open()
        events.wait(Ready)
        acceptor.enable(USD, maximum=10_000)
        escrow = _escrow(sim, events)
        returned = events.wait(NoteReturned)
        assert returned == NoteReturned(escrow.escrow_id, TWENTY, ReturnReason.TAKEN_BACK)
        assert sim.stacked == [] and sim.returned == [2000]
        acceptor.close()


def test_the_setting_names_the_acceptor() -> None:
    events = Events()
    plain = acceptor_from_spec("essp:/dev/lobby-notes", events)
    assert type(plain) is BillAcceptor and not plain._encrypted
    assert acceptor_from_spec("essp+encrypted:COM3", events)._encrypted
    for bad in ("", "essp:", "escpos:/dev/usb/lp0", "simulator:/dev/x"):
        with pytest.raises(AcceptorSpecError, match="essp:DEVICE"):
            acceptor_from_spec(bad, events)


def test_the_simulated_acceptor_of_the_demo() -> None:
    events = Events()
    acceptor = acceptor_from_spec("simulator", events, poll_interval=0.02)
    assert isinstance(acceptor, SimulatedBillAcceptor)
    acceptor.open()
    events.wait(Ready)
    acceptor.enable(USD, maximum=10_000)
    acceptor.simulator.insert(2000)
    acceptor.accept(events.wait(NoteInEscrow).escrow_id)
    assert events.wait(NoteStacked).note == TWENTY
    simulator = acceptor.simulator
    acceptor.close()
    assert simulator.port == ""  # its pty is gone with it


def test_a_unit_unplugged_under_the_acceptor_is_offline() -> None:
    sim = Simulator().start()
    events = Events()
    acceptor = BillAcceptor(sim.port, events, timeout=0.05, retries=1, poll_interval=0.02,
                            reconnect_interval=0.05)
    acceptor.open()
    events.wait(Ready)
    sim.stop()  # the pty is gone: reads fail with EIO (termios.error in pyserial)
    assert events.wait(Offline).escrow_id is None
    # Another unit on the next pty, which may get the freed /dev/pts number (as another
    # test's simulator did in a parallel run): the acceptor, still trying its own port,
    # must not open it; the simulator's port is a link that went with its unit.
    other = Simulator().start()
    try:
        assert events.quiet(0.3) == []  # still trying, quietly, and still alive
        assert other.device.commands == []
    finally:
        acceptor.close()
        other.stop()


def test_a_note_the_kiosk_never_saw_cleared_into_the_cashbox_is_no_ones(
        sim: Simulator, enabled: Opened) -> None:
    _, events = enabled
    sim.insert(5000, Behaviour.UNSAFE_JAM)  # jams while read: never in escrow
    events.wait(Jammed)
    sim.clear_jam(into_cashbox=True)
    assert events.wait(NoteStacked) == NoteStacked(None, Note(5000, "USD", 5))
    assert sim.stacked == [5000]
