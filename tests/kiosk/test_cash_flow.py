"""The cash visit as the screens follow it (kiosk/flows/cash.py): each acceptor update folded
into the visit's progress, and which updates stop the visit on their own screen."""

from __future__ import annotations

from functools import reduce

from kiosk.domain import CashProgress, CashUpdate
from kiosk.flows.cash import problem_of, progressed


def _after(*updates: CashUpdate) -> CashProgress:
    return reduce(progressed, updates, CashProgress())


def test_notes_are_read_held_then_stacked_into_a_running_total() -> None:
    reading = _after(CashUpdate("reading"))
    assert reading.reading and reading.held is None
    held = progressed(reading, CashUpdate("held", 2000))
    assert (held.reading, held.held, held.stacked) == (False, 2000, ())
    stacked = _after(CashUpdate("held", 2000), CashUpdate("stacked", 2000),
                     CashUpdate("held", 500), CashUpdate("stacked", 500))
    assert (stacked.stacked, stacked.total_cents, stacked.held) == ((2000, 500), 2500, None)


def test_a_returned_note_says_why_until_the_next_note_and_adds_nothing() -> None:
    returned = _after(CashUpdate("held", 1000), CashUpdate("returned", 1000, "suspect"))
    assert (returned.returned, returned.held, returned.total_cents) == ("suspect", None, 0)
    assert progressed(returned, CashUpdate("reading")).returned == ""


def test_jams_a_full_box_a_pulled_note_and_offline_stop_the_visit_and_only_they() -> None:
    stops = [CashUpdate("jammed"), CashUpdate("full"), CashUpdate("offline", reason="x"),
             CashUpdate("returned", 500, "taken_back")]
    assert [problem_of(u) for u in stops] == ["jammed", "full", "offline", "taken_back"]
    goes_on = [CashUpdate("ready"), CashUpdate("reading"), CashUpdate("held", 500),
               CashUpdate("stacked", 500), CashUpdate("returned", 500, "not_recognised"),
               CashUpdate("cashbox_removed")]
    assert [problem_of(u) for u in goes_on] == [""] * len(goes_on)


def test_the_acceptor_back_or_a_cleared_jam_lets_the_family_go_on() -> None:
    offline = _after(CashUpdate("stacked", 500), CashUpdate("offline"))
    assert progressed(offline, CashUpdate("ready")).problem == ""
    jammed = _after(CashUpdate("jammed"))
    assert progressed(jammed, CashUpdate("ready")).problem == "jammed"  # still stuck
    assert progressed(jammed, CashUpdate("jam_cleared")).problem == ""
    # A note nobody escrowed (cleared into the cashbox at power-up) is no family's.
    assert progressed(offline, CashUpdate("unclaimed", 2000)).stacked == (500,)
