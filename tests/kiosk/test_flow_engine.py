"""The flow engine on a small made-up map: next by name or by function, back, revisits
that skip what is already known, jumps between journeys, wipes and scrubbed logs."""

from __future__ import annotations

import logging

import pytest

from kiosk.flows.engine import SCRUBBED, Flow, FlowError, Journey, Step

START = Journey("start", "hello", {"hello": Step("pick", back=False), "pick": Step(
    lambda d: f"{d['choice']}:" if d.get("choice") else None, provides=("choice",))})
SHOP = Journey(
    "shop",
    "item",
    {
        "item": Step("size", provides=("item",), counted=True),
        "size": Step(lambda d: "card" if d.get("item") == "coat" else "pay", provides=("size",),
                     counted=True),
        "card": Step("pay", provides=("card_number",), counted=True),
        "pay": Step("receipt", counted=True),
        "receipt": Step(None, back=False),
    },
    sensitive=frozenset({"card_number"}),
    field_steps={"size": "size"},
    invalidates={"item": ("size",)},
)


def flow() -> Flow:
    return Flow({"start": START, "shop": SHOP}, "start")


def test_next_by_name_and_by_function_and_across_journeys() -> None:
    f = flow()
    assert f.step_name == "hello" and f.at_start and not f.can_go_back
    assert f.advance() == "pick"
    f.record({"choice": "shop"})
    assert f.advance() == "item" and f.journey.name == "shop"
    f.record({"item": "coat"})
    assert f.advance() == "size"
    f.record({"size": "M"})
    assert f.advance() == "card"
    f.record({"item": "hat"})
    f.back()
    assert f.step_name == "size"
    f.record({"size": "S"})
    assert f.advance() == "pay"  # a hat needs no card: the function decides


def test_back_walks_the_stack_to_the_start_and_stops() -> None:
    f = flow()
    f.advance()
    f.record({"choice": "shop"})
    f.advance()
    assert [f.back(), f.back()] == ["pick", "hello"]
    assert f.back() == "hello"


def test_the_end_of_a_journey_is_none() -> None:
    f = flow()
    f.jump("shop:pay")
    assert f.advance() == "receipt"
    assert not f.can_go_back
    assert f.advance() is None


def test_revisit_returns_to_the_review_skipping_known_steps() -> None:
    f = flow()
    f.jump("shop:item")
    f.record({"item": "coat", "size": "M", "card_number": "4242"})
    f.jump("pay")
    f.revisit("item")
    assert f.revisiting and f.can_go_back
    assert f.advance() == "pay"  # size and card are known: straight back
    f.revisit("item")
    f.record({"item": "boots"})  # a new item drops the size chosen for the old one
    assert "size" not in f.data
    assert f.advance() == "size"
    f.record({"size": "42"})
    assert f.advance() == "pay" and not f.revisiting


def test_back_from_a_revisit_returns_to_where_it_started() -> None:
    f = flow()
    f.jump("shop:pay")
    f.revisit("size")
    assert f.back() == "pay"
    assert f.back() == "hello"  # then Back walks the stack (jumps were not pushed twice)


def test_returning_to_a_step_on_the_stack_closes_what_came_after() -> None:
    f = flow()
    f.jump("shop:item")
    f.jump("pay")
    f.jump("item")
    assert f.back() == "hello"  # not "pay": it was closed when "item" came back


def test_wipe_forgets_everything_and_goes_to_the_start() -> None:
    f = flow()
    f.jump("shop:card")
    f.record({"card_number": "4242424242424242", "item": "coat"})
    f.wipe()
    assert dict(f.data) == {} and f.step_name == "hello" and f.at_start


def test_sensitive_entries_are_scrubbed_from_logs_and_forgotten(
    caplog: pytest.LogCaptureFixture,
) -> None:
    f = flow()
    caplog.set_level(logging.DEBUG, logger="kiosk.flows.engine")
    f.jump("shop:card")
    f.record({"card_number": "4242424242424242", "item": "coat"})
    assert f.scrubbed() == {"card_number": SCRUBBED, "item": "coat"}
    f.advance()
    assert "4242424242424242" not in caplog.text
    f.forget_sensitive()
    assert "card_number" not in f.data and f.data["item"] == "coat"


def test_progress_and_fix_steps() -> None:
    assert SHOP.progress("size") == (2, 4)
    assert SHOP.progress("receipt") is None
    assert SHOP.fix_step("invalid_input", "size") == "size"
    assert SHOP.fix_step("card_declined", "") is None


def test_unknown_steps_and_journeys_are_errors() -> None:
    f = flow()
    with pytest.raises(FlowError):
        f.jump("nowhere")
    with pytest.raises(FlowError):
        f.jump("nope:")
