"""enrollment confirmed: a code is spent only when its kiosk confirms it kept the token

Revision ID: 0101
Revises: 0100
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0101'
down_revision = '0100'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('kiosks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('enrollment_codes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pending_kiosk_id', sa.String(length=64), nullable=True))
    # Every kiosk enrolled before this revision was working: it counts as confirmed.
    op.execute("UPDATE kiosks SET confirmed_at = enrolled_at")


def downgrade() -> None:
    with op.batch_alter_table('enrollment_codes', schema=None) as batch_op:
        batch_op.drop_column('pending_kiosk_id')
    with op.batch_alter_table('kiosks', schema=None) as batch_op:
        batch_op.drop_column('confirmed_at')
