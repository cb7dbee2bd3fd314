"""Imports every module that defines tables, so Base.metadata is complete (Alembic, tests)."""

from central import (  # noqa: F401
    models,
    models_auth,
    models_mail,
    models_money,
    models_subscriptions,
)
from central.gateway import models as gateway_models  # noqa: F401
