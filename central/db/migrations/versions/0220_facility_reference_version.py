"""facilities.reference_version: a stamp bumped by every price change, so each process's
per-facility cache of what authorize and rate read (the facility, its rates) sees a change
at once (docs/performance.md)

Revision ID: 0220
Revises: 0210
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0220'
down_revision = '0210'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (no table copy on SQLite: every table names facilities).
    op.add_column('facilities', sa.Column('reference_version', sa.Integer(), nullable=False,
                                          server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('facilities') as batch:
        batch.drop_column('reference_version')
