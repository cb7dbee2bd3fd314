"""The reader gateway that goes with the process's payment gateway: the sandbox's simulated
readers beside the sandbox, Stripe Terminal beside Stripe (docs/payments.md)."""

from __future__ import annotations

from central.db.engine import Database
from central.kernel.clock import Clock
from central.money.gateway import PaymentGateway
from central.money.gateway.reader import ReaderGateway
from central.money.gateway.sandbox_reader import ReaderTiming, SandboxReader


class ReadersUnsupported(LookupError):
    """The payment gateway drives no card readers."""


def build_reader_gateway(gateway: PaymentGateway, db: Database, clock: Clock,
                         timing: ReaderTiming | None = None) -> ReaderGateway:
    if gateway.name == "sandbox":
        return SandboxReader(db, clock, timing)
    from central.money.gateway.stripe_gateway import StripeGateway

    if isinstance(gateway, StripeGateway):
        from central.money.gateway.stripe_reader import StripeReader

        return StripeReader(gateway)
    raise ReadersUnsupported(f"the {gateway.name!r} gateway drives no card readers here")
