"""cash: notes kiosks stacked and credited, and the counts of the cassettes staff took out

Cash charges use the existing charges and ledger tables (purpose ``cash_deposit``, book
``cash_box``: non-native enums, no schema change).

Revision ID: 0180
Revises: 0150
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0180'
down_revision = '0170'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'cash_deposits',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('kiosk_id', sa.String(length=64), nullable=False),
        sa.Column('facility_id', sa.String(length=64), nullable=False),
        sa.Column('account_id', sa.String(length=64), nullable=False),
        sa.Column('charge_id', sa.String(length=64), nullable=False),
        sa.Column('kiosk_key', sa.String(length=200), nullable=False),
        sa.Column('visit', sa.String(length=64), nullable=False),
        sa.Column('cassette', sa.Integer(), nullable=False),
        sa.Column('note_count', sa.Integer(), nullable=False),
        sa.Column('amount_cents', sa.BigInteger(), nullable=False),
        sa.Column('notes', sa.Text(), nullable=False),
        sa.Column('stacked_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'],
                                name=op.f('fk_cash_deposits_account_id_accounts')),
        sa.ForeignKeyConstraint(['charge_id'], ['charges.id'],
                                name=op.f('fk_cash_deposits_charge_id_charges')),
        sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'],
                                name=op.f('fk_cash_deposits_facility_id_facilities')),
        sa.ForeignKeyConstraint(['kiosk_id'], ['kiosks.id'],
                                name=op.f('fk_cash_deposits_kiosk_id_kiosks')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_cash_deposits')),
        sa.UniqueConstraint('charge_id', name=op.f('uq_cash_deposits_charge_id')),
        sa.UniqueConstraint('kiosk_id', 'kiosk_key', name=op.f('uq_cash_deposits_kiosk_id')),
    )
    op.create_index(op.f('ix_cash_deposits_account_id'), 'cash_deposits', ['account_id'],
                    unique=False)
    op.create_index(op.f('ix_cash_deposits_kiosk_id'), 'cash_deposits', ['kiosk_id'],
                    unique=False)
    op.create_table(
        'cash_box_counts',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('kiosk_id', sa.String(length=64), nullable=False),
        sa.Column('facility_id', sa.String(length=64), nullable=False),
        sa.Column('kiosk_key', sa.String(length=200), nullable=False),
        sa.Column('cassette', sa.Integer(), nullable=False),
        sa.Column('removed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('notes', sa.Text(), nullable=False),
        sa.Column('note_count', sa.Integer(), nullable=False),
        sa.Column('total_cents', sa.BigInteger(), nullable=False),
        sa.Column('in_doubt', sa.Integer(), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'],
                                name=op.f('fk_cash_box_counts_facility_id_facilities')),
        sa.ForeignKeyConstraint(['kiosk_id'], ['kiosks.id'],
                                name=op.f('fk_cash_box_counts_kiosk_id_kiosks')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_cash_box_counts')),
        sa.UniqueConstraint('kiosk_id', 'cassette', name='uq_cash_box_counts_cassette'),
        sa.UniqueConstraint('kiosk_id', 'kiosk_key', name=op.f('uq_cash_box_counts_kiosk_id')),
    )
    op.create_index(op.f('ix_cash_box_counts_facility_id'), 'cash_box_counts',
                    ['facility_id'], unique=False)
    op.create_index(op.f('ix_cash_box_counts_kiosk_id'), 'cash_box_counts', ['kiosk_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_cash_box_counts_kiosk_id'), table_name='cash_box_counts')
    op.drop_index(op.f('ix_cash_box_counts_facility_id'), table_name='cash_box_counts')
    op.drop_table('cash_box_counts')
    op.drop_index(op.f('ix_cash_deposits_kiosk_id'), table_name='cash_deposits')
    op.drop_index(op.f('ix_cash_deposits_account_id'), table_name='cash_deposits')
    op.drop_table('cash_deposits')
