"""a facility's cash maximum: the most one family's cash visit at a kiosk may add, $300
for every facility until a supervisor changes it (docs/cash.md, "The limits")

Revision ID: 0200
Revises: 0190
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0200'
down_revision = '0190'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (no table copy on SQLite): existing facilities keep the $300 the
    # kiosks had as a constant.
    op.add_column('facilities', sa.Column('cash_maximum_cents', sa.BigInteger(),
                                          nullable=False, server_default='30000'))


def downgrade() -> None:
    with op.batch_alter_table('facilities') as batch:
        batch.drop_column('cash_maximum_cents')
