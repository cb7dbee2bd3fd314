"""charges record their gateway: which processor took each charge, so that no other is asked

Every charge before this was taken by the sandbox (the only gateway there was).

Revision ID: 0150
Revises: 0140
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0150'
down_revision = '0140'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('charges') as batch:
        batch.add_column(sa.Column('gateway', sa.String(length=16), nullable=False,
                                   server_default='sandbox'))
    with op.batch_alter_table('charges') as batch:
        batch.alter_column('gateway', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('charges') as batch:
        batch.drop_column('gateway')
