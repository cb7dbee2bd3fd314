"""sign-in limits and escalating lockouts

Revision ID: 0050
Revises: 0008
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0050'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rate_limit_windows',
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', 'window_start', name=op.f('pk_rate_limit_windows'))
    )
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lockouts', sa.Integer(), server_default='0', nullable=False))

    with op.batch_alter_table('sign_in_throttles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lockouts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('window_started_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('staff_members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lockouts', sa.Integer(), server_default='0', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('staff_members', schema=None) as batch_op:
        batch_op.drop_column('lockouts')

    with op.batch_alter_table('sign_in_throttles', schema=None) as batch_op:
        batch_op.drop_column('window_started_at')
        batch_op.drop_column('lockouts')

    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_column('lockouts')

    op.drop_table('rate_limit_windows')
