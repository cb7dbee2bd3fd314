"""Imports every module that defines tables, so Base.metadata is complete (Alembic, tests)."""

from central import models, models_auth, models_money, models_subscriptions  # noqa: F401
from central.gateway import models as gateway_models  # noqa: F401
