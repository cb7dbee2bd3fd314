"""One gateway, chosen once: ``build_gateway`` is the one place that builds the processor
adapter the server, ``renew``, ``reconcile`` and the scheduler charge through.

The choice is ``--gateway`` where a command has it, else ``LOBBY_CENTRAL_GATEWAY``, else the
sandbox. ``stripe`` reads its settings from ``LOBBY_STRIPE_*`` (docs/payments.md) and refuses
to start without a secret key.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from central.db.engine import Database
from central.kernel.clock import Clock
from central.money.gateway import GatewayConfigError, PaymentGateway

GATEWAY_ENV = "LOBBY_CENTRAL_GATEWAY"
SANDBOX = "sandbox"
STRIPE = "stripe"
GATEWAYS = (SANDBOX, STRIPE)


def gateway_name(option: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """The gateway asked for: the option, else ``LOBBY_CENTRAL_GATEWAY``, else sandbox."""
    env = os.environ if env is None else env
    name = (option or env.get(GATEWAY_ENV, "") or SANDBOX).strip().lower()
    if name not in GATEWAYS:
        raise GatewayConfigError(f"unknown gateway {name!r}: {GATEWAY_ENV} (or --gateway) is "
                                 f"one of {', '.join(GATEWAYS)}")
    return name


def build_gateway(
    db: Database, clock: Clock, option: str | None = None,
    env: Mapping[str, str] | None = None, crash_after_approval: Iterable[str] = (),
) -> PaymentGateway:
    """The gateway for this process. Raises :class:`GatewayConfigError` (a ValueError) for
    a missing or wrong setting, before anything is charged. ``crash_after_approval`` is the
    sandbox's crash-test hook (``LOBBY_CENTRAL_TEST_CRASH_AFTER_APPROVAL``)."""
    env = os.environ if env is None else env
    name = gateway_name(option, env)
    if name == STRIPE:
        from central.money.gateway.stripe_gateway import StripeGateway, StripeSettings

        return StripeGateway(StripeSettings.from_env(env), clock)
    from central.money.gateway.sandbox import SandboxGateway

    return SandboxGateway(db, clock, crash_after_approval)
