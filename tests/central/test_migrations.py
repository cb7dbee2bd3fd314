"""Migrations match the models, and 0002 upgrades and downgrades cleanly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import central.model_registry  # noqa: F401  (every table)
from central.db import make_engine
from central.migrate import downgrade, upgrade
from central.models import Base

NEW_TABLES = {"family_sessions", "staff_members", "staff_sessions", "sign_in_throttles",
              "gateway_cards", "gateway_charges", "gateway_refunds", "payment_methods",
              "ledger_journals", "ledger_entries"}


def test_head_schema_matches_the_models(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_0002_downgrades_and_upgrades(database_url: str) -> None:
    downgrade(database_url, "0001")
    engine = make_engine(database_url)
    try:
        assert not NEW_TABLES & set(inspect(engine).get_table_names())
        engine.dispose()
        upgrade(database_url)
        assert NEW_TABLES <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
