"""card readers: the reader of each kiosk, payments handed to it, the sandbox's simulated
readers, and whether a facility allows keyed card entry (off by default)

Revision ID: 0190
Revises: 0150
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0190'
down_revision = '0180'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (no table copy on SQLite: every table names facilities). Existing
    # facilities get keyed entry off, as new ones do.
    op.add_column('facilities', sa.Column('allows_keyed_entry', sa.Boolean(), nullable=False,
                                          server_default=sa.false()))
    op.create_table(
        'card_readers',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('kiosk_id', sa.String(length=64), nullable=False),
        sa.Column('gateway', sa.String(length=16), nullable=False),
        sa.Column('reader_ref', sa.String(length=64), nullable=False),
        sa.Column('label', sa.String(length=100), nullable=False),
        sa.Column('registered_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('registered_by', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['kiosk_id'], ['kiosks.id'],
                                name=op.f('fk_card_readers_kiosk_id_kiosks')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_card_readers')),
        sa.UniqueConstraint('kiosk_id', name=op.f('uq_card_readers_kiosk_id')),
    )
    op.create_table(
        'reader_payments',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('kiosk_id', sa.String(length=64), nullable=False),
        sa.Column('reader_id', sa.String(length=64), nullable=False),
        sa.Column('charge_id', sa.String(length=64), nullable=False),
        sa.Column('payment_ref', sa.String(length=64), nullable=True),
        sa.Column('state', sa.String(length=24), nullable=False),
        sa.Column('decline_code', sa.String(length=32), nullable=True),
        sa.Column('save_card', sa.Boolean(), nullable=False),
        sa.Column('card_saved', sa.Boolean(), nullable=False),
        sa.Column('brand', sa.String(length=16), nullable=True),
        sa.Column('last4', sa.String(length=4), nullable=True),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['charge_id'], ['charges.id'],
                                name=op.f('fk_reader_payments_charge_id_charges')),
        sa.ForeignKeyConstraint(['kiosk_id'], ['kiosks.id'],
                                name=op.f('fk_reader_payments_kiosk_id_kiosks')),
        sa.ForeignKeyConstraint(['reader_id'], ['card_readers.id'],
                                name=op.f('fk_reader_payments_reader_id_card_readers')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reader_payments')),
        sa.UniqueConstraint('charge_id', name=op.f('uq_reader_payments_charge_id')),
    )
    op.create_index(op.f('ix_reader_payments_kiosk_id'), 'reader_payments', ['kiosk_id'], unique=False)
    op.create_table(
        'gateway_reader_payments',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('idempotency_key', sa.String(length=300), nullable=False),
        sa.Column('reader_ref', sa.String(length=64), nullable=False),
        sa.Column('amount_cents', sa.BigInteger(), nullable=False),
        sa.Column('scenario', sa.String(length=32), nullable=False),
        sa.Column('save_card', sa.Boolean(), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('canceled_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_gateway_reader_payments')),
        sa.UniqueConstraint('idempotency_key', name=op.f('uq_gateway_reader_payments_idempotency_key')),
    )
    op.create_index(op.f('ix_gateway_reader_payments_reader_ref'), 'gateway_reader_payments', ['reader_ref'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_gateway_reader_payments_reader_ref'), table_name='gateway_reader_payments')
    op.drop_table('gateway_reader_payments')
    op.drop_index(op.f('ix_reader_payments_kiosk_id'), table_name='reader_payments')
    op.drop_table('reader_payments')
    op.drop_table('card_readers')
    with op.batch_alter_table('facilities') as batch:
        batch.drop_column('allows_keyed_entry')
