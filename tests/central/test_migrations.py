"""The Alembic migrations build exactly the schema the models describe, on SQLite and
PostgreSQL; each revision rolls back and replays cleanly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import central.db.registry  # noqa: F401  (every table module)
from central.db.base import Base
from central.db.engine import make_engine
from central.db.migrate import downgrade, upgrade

TABLES_0002 = {"family_sessions", "staff_members", "staff_sessions", "sign_in_throttles",
               "gateway_cards", "gateway_charges", "gateway_refunds", "payment_methods",
               "ledger_journals", "ledger_entries"}


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _differences(url: str) -> list[object]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "target_metadata": Base.metadata}
            )
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def test_migrated_schema_matches_the_models(database_url: str) -> None:
    assert _differences(database_url) == []


def test_0002_downgrades_and_upgrades(database_url: str) -> None:
    downgrade(database_url, "0001")
    assert not TABLES_0002 & _tables(database_url)
    upgrade(database_url)
    assert _tables(database_url) >= TABLES_0002


def test_downgrade_to_nothing_and_upgrade_again(database_url: str) -> None:
    downgrade(database_url, "base")
    assert _tables(database_url) <= {"alembic_version"}
    upgrade(database_url)
    assert _differences(database_url) == []


def test_0003_folds_the_names_of_residents_already_there(database_url: str) -> None:
    from sqlalchemy import text

    downgrade(database_url, "0002")
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO facilities (id, name, state, timezone, size_tier, jurisdiction,"
                " offers_subscriptions, offers_single_call, funding_fee_cents,"
                " video_session_price_cents) VALUES ('f', 'F', 'TX', 'America/Chicago',"
                " 'prison', 'US', false, false, 0, 0)"))
            connection.execute(text(
                "INSERT INTO residents (id, facility_id, resident_number, first_name, last_name)"
                " VALUES ('r', 'f', '1', 'José', 'Núñez')"))
        upgrade(database_url)
        with engine.connect() as connection:
            folded = connection.execute(
                text("SELECT search_name FROM residents WHERE id = 'r'")).scalar_one()
        assert folded == " jose nunez "
    finally:
        engine.dispose()


def test_0052_gives_staff_the_facility_they_signed_in_at(database_url: str) -> None:
    from sqlalchemy import text

    downgrade(database_url, "0051")
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO facilities (id, name, state, timezone, size_tier, jurisdiction,"
                " offers_subscriptions, offers_single_call, funding_fee_cents,"
                " video_session_price_cents) VALUES ('f', 'F', 'TX', 'America/Chicago',"
                " 'prison', 'US', false, false, 0, 0), ('g', 'G', 'TX', 'America/Chicago',"
                " 'prison', 'US', false, false, 0, 0)"))
            connection.execute(text(
                "INSERT INTO kiosks (id, facility_id, name, role, token_hash, enrolled_at)"
                " VALUES ('kf', 'f', 'K', 'kiosk', 'h1', '2026-01-01 00:00:00+00'),"
                " ('kg', 'g', 'K', 'kiosk', 'h2', '2026-01-01 00:00:00+00')"))
            for staff, kiosks in (("one", ["kf", "kf"]), ("two", ["kf", "kg"]), ("none", [])):
                connection.execute(text(
                    "INSERT INTO staff_members (id, badge_id, name, role, pin_hash, active,"
                    " created_at, failed_pin_attempts, lockouts) VALUES (:id, :id, 'S',"
                    " 'supervisor', 'x', true, '2026-01-01 00:00:00+00', 0, 0)"), {"id": staff})
                for number, kiosk in enumerate(kiosks):
                    connection.execute(text(
                        "INSERT INTO staff_sessions (token_hash, staff_id, kiosk_id, created_at,"
                        " expires_at) VALUES (:token, :staff, :kiosk,"
                        " '2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00')"),
                        {"token": f"{staff}{number}", "staff": staff, "kiosk": kiosk})
        upgrade(database_url)
        with engine.connect() as connection:
            rows = {row[0]: row[1] for row in connection.execute(
                text("SELECT id, facility_id FROM staff_members"))}
        # One facility's kiosks only: that facility; two, or none: nobody guesses.
        assert rows == {"one": "f", "two": None, "none": None}
    finally:
        engine.dispose()
