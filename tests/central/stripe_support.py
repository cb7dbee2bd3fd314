"""Fixtures for the Stripe gateway: the local stand-in (tests/stripe_standin.py) on the test
clock, and the real adapter, through the real ``stripe`` library, pointed at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from central.kernel.clock import ManualClock
from central.money.gateway.stripe_gateway import StripeGateway, StripeSettings
from tests.stripe_standin import TEST_SECRET_KEY, StripeStandIn

MakeGateway = Callable[..., StripeGateway]


@pytest.fixture
def standin(clock: ManualClock) -> Iterator[StripeStandIn]:
    with StripeStandIn(now=clock.now) as server:
        yield server


@pytest.fixture
def make_stripe_gateway(standin: StripeStandIn, clock: ManualClock) -> MakeGateway:
    """The adapter with settings changed (a short timeout, no retries unless asked)."""

    def make(**changes: object) -> StripeGateway:
        settings: dict[str, object] = {"secret_key": TEST_SECRET_KEY, "api_base": standin.url,
                                       "timeout_seconds": 5.0, "max_network_retries": 0,
                                       **changes}
        return StripeGateway(StripeSettings(**settings), clock)  # type: ignore[arg-type]

    return make


@pytest.fixture
def stripe_gateway(make_stripe_gateway: MakeGateway) -> StripeGateway:
    return make_stripe_gateway()
