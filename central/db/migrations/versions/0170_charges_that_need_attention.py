"""charges that need attention: how often a charge's effect failed and why, the state a
person takes over from, and the audit of what staff did to such charges

Revision ID: 0170
Revises: 0150
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0170'
down_revision = '0160'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('charges') as batch:
        batch.add_column(sa.Column('effect_failures', sa.Integer(), nullable=False,
                                   server_default='0'))
        batch.add_column(sa.Column('last_failure', sa.String(length=500), nullable=True))
        batch.add_column(sa.Column('attention_since', sa.DateTime(timezone=True),
                                   nullable=True))
        batch.add_column(sa.Column('facility_id', sa.String(length=64), nullable=True))
    op.create_table(
        'charge_actions',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('charge_id', sa.String(length=64), nullable=False),
        sa.Column('action', sa.Enum('retry', 'refund', name='chargeactionkind',
                                    native_enum=False, length=32), nullable=False),
        sa.Column('idempotency_key', sa.String(length=200), nullable=False),
        sa.Column('actor', sa.String(length=100), nullable=False),
        sa.Column('kiosk_id', sa.String(length=64), nullable=True),
        sa.Column('outcome', sa.String(length=32), nullable=False),
        sa.Column('detail', sa.String(length=500), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['charge_id'], ['charges.id'],
                                name=op.f('fk_charge_actions_charge_id_charges')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_charge_actions')),
        sa.UniqueConstraint('charge_id', 'action', 'idempotency_key',
                            name='uq_charge_actions_charge_action_key'),
    )
    op.create_index(op.f('ix_charge_actions_charge_id'), 'charge_actions', ['charge_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_charge_actions_charge_id'), table_name='charge_actions')
    op.drop_table('charge_actions')
    with op.batch_alter_table('charges') as batch:
        batch.drop_column('facility_id')
        batch.drop_column('attention_since')
        batch.drop_column('last_failure')
        batch.drop_column('effect_failures')
