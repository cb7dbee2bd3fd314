"""Imports every module that defines tables, so Base.metadata is complete (Alembic, tests)."""

from central import models  # noqa: F401
