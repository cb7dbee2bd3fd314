"""The database: engines and transactions, the declarative base and shared column types,
the registry of every table, and the Alembic migrations."""
