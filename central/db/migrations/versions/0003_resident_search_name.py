"""Residents get a folded search name, so searches ignore accents and case.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _fold(text: str) -> str:
    # A frozen copy of central.text.fold as it was when this migration was written.
    decomposed = unicodedata.normalize("NFKD", text.replace(",", " "))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def upgrade() -> None:
    with op.batch_alter_table("residents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("search_name", sa.String(length=210), nullable=False, server_default="")
        )
    residents = sa.table(
        "residents",
        sa.column("id", sa.String),
        sa.column("first_name", sa.String),
        sa.column("last_name", sa.String),
        sa.column("search_name", sa.String),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(residents.c.id, residents.c.first_name, residents.c.last_name)
    ).all()
    for resident_id, first_name, last_name in rows:
        connection.execute(
            residents.update()
            .where(residents.c.id == resident_id)
            .values(search_name=f" {_fold(first_name)} {_fold(last_name)} ")
        )
    with op.batch_alter_table("residents", schema=None) as batch_op:
        batch_op.alter_column("search_name", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("residents", schema=None) as batch_op:
        batch_op.drop_column("search_name")
