"""`lobby-central serve --sign-in-limit / --sign-up-limit / --simulated-reader-seconds`: a
deployment (or a load or endurance test) sets its own per-kiosk rates and a demo its reader's
pace; the defaults stay those of docs and README."""

from __future__ import annotations

import pytest

from central.cli import _limits, _parser, _reader_timing
from central.identity.limits import Limits
from central.money.gateway.sandbox_reader import ReaderTiming


def test_defaults_are_the_documented_rates() -> None:
    limits = _limits(_parser().parse_args(["serve"]))
    assert limits == Limits()
    assert (limits.sign_in.requests, limits.sign_up.requests) == (30, 10)


def test_each_rate_can_be_raised_or_lowered_on_its_own() -> None:
    limits = _limits(_parser().parse_args(["serve", "--sign-up-limit", "500"]))
    assert limits.sign_up.requests == 500 and limits.sign_up.name == "sign-up"
    assert limits.sign_in == Limits().sign_in
    limits = _limits(_parser().parse_args(["serve", "--sign-in-limit", "3"]))
    assert limits.sign_in.requests == 3


def test_a_rate_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="sign-up-limit"):
        _limits(_parser().parse_args(["serve", "--sign-up-limit", "0"]))


def test_the_simulated_reader_keeps_its_pace_unless_asked() -> None:
    """An endurance run pays on the simulated reader hundreds of times: it may hurry it."""
    assert _reader_timing(_parser().parse_args(["serve"])) is None
    timing = _reader_timing(_parser().parse_args(["serve", "--simulated-reader-seconds", "0.2"]))
    assert timing == ReaderTiming(present_after=0.2, read_seconds=0.1)
    with pytest.raises(ValueError, match="simulated-reader-seconds"):
        _reader_timing(_parser().parse_args(["serve", "--simulated-reader-seconds", "0"]))
