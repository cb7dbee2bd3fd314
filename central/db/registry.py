"""Imports every module that defines tables, so Base.metadata is complete (Alembic, tests)."""

from central.calls import models as calls_models  # noqa: F401
from central.fleet import models as fleet_models  # noqa: F401
from central.identity import models as identity_models  # noqa: F401
from central.kernel import (
    facilities,  # noqa: F401
    idempotency,  # noqa: F401
)
from central.mail import models as mail_models  # noqa: F401
from central.money import cash as cash_models  # noqa: F401
from central.money import models as money_models  # noqa: F401
from central.money import terminal_models  # noqa: F401
from central.money.gateway import models as gateway_models  # noqa: F401
from central.money.gateway import reader_models as gateway_reader_models  # noqa: F401
from central.plans import models as plans_models  # noqa: F401
from central.plans import price_audit as price_audit_models  # noqa: F401
