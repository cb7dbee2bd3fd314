"""An NV200 simulator on a real pseudo-terminal for every device test (tests/conftest.py
checks that each test stops the acceptors and simulators it started)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kiosk.devices.essp.device import NV200
from kiosk.devices.essp.simulator import Simulator


@pytest.fixture
def sim() -> Iterator[Simulator]:
    # a short escrow time-out so the tests that wait for it finish quickly
    with Simulator(NV200(escrow_timeout=2.0)) as simulator:
        yield simulator
