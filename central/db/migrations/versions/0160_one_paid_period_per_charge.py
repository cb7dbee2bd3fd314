"""the next period has one owner: numbered attempts, one period per charge, Single Call refunds

``subscriptions.renewal_attempt`` numbers the attempts to pay a subscription's next period
(each has its own gateway key); a unique index on ``subscription_periods.charge_id`` makes
one period per charge, beside the one period per subscription and start there already: one
approved charge per period, kept by the database. ``single_call_refunds`` records the unused
minutes of a Single Call given back to its card.

Revision ID: 0160
Revises: 0150
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0160'
down_revision = '0150'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('subscriptions') as batch:
        batch.add_column(sa.Column('renewal_attempt', sa.Integer(), nullable=False,
                                   server_default='0'))
    with op.batch_alter_table('subscriptions') as batch:
        batch.alter_column('renewal_attempt', server_default=None)
    with op.batch_alter_table('subscription_periods') as batch:
        batch.drop_index('ix_subscription_periods_charge_id')
        batch.create_index('ix_subscription_periods_charge_id', ['charge_id'], unique=True)
    op.create_table(
        'single_call_refunds',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('call_id', sa.String(length=64), nullable=False),
        sa.Column('charge_id', sa.String(length=64), nullable=False),
        sa.Column('amount_cents', sa.BigInteger(), nullable=False),
        sa.Column('refund_key', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('refunded_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('gateway_refund_id', sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(['call_id'], ['calls.id'],
                                name=op.f('fk_single_call_refunds_call_id_calls')),
        sa.ForeignKeyConstraint(['charge_id'], ['charges.id'],
                                name=op.f('fk_single_call_refunds_charge_id_charges')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_single_call_refunds')),
        sa.UniqueConstraint('call_id', name=op.f('uq_single_call_refunds_call_id')),
        sa.UniqueConstraint('refund_key', name=op.f('uq_single_call_refunds_refund_key')),
    )
    with op.batch_alter_table('single_call_refunds') as batch:
        batch.create_index(batch.f('ix_single_call_refunds_charge_id'), ['charge_id'],
                           unique=False)


def downgrade() -> None:
    with op.batch_alter_table('single_call_refunds') as batch:
        batch.drop_index(batch.f('ix_single_call_refunds_charge_id'))
    op.drop_table('single_call_refunds')
    with op.batch_alter_table('subscription_periods') as batch:
        batch.drop_index('ix_subscription_periods_charge_id')
        batch.create_index('ix_subscription_periods_charge_id', ['charge_id'], unique=False)
    with op.batch_alter_table('subscriptions') as batch:
        batch.drop_column('renewal_attempt')
