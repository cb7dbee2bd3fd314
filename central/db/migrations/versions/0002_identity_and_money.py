"""identity and money: sessions, staff, sandbox gateway, cards, ledger

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('gateway_cards',
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('brand', sa.String(length=16), nullable=False),
    sa.Column('last4', sa.String(length=4), nullable=False),
    sa.Column('exp_month', sa.Integer(), nullable=False),
    sa.Column('exp_year', sa.Integer(), nullable=False),
    sa.Column('scenario', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('token', name=op.f('pk_gateway_cards'))
    )
    op.create_table('sign_in_throttles',
    sa.Column('subject_hash', sa.String(length=64), nullable=False),
    sa.Column('failed_pin_attempts', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('subject_hash', name=op.f('pk_sign_in_throttles'))
    )
    op.create_table('staff_members',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('badge_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('role', sa.Enum('clerk', 'supervisor', name='staffrole', native_enum=False, length=32), nullable=False),
    sa.Column('pin_hash', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('failed_pin_attempts', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_members')),
    sa.UniqueConstraint('badge_id', name=op.f('uq_staff_members_badge_id'))
    )
    op.create_table('gateway_charges',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('idempotency_key', sa.String(length=300), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('decline_code', sa.String(length=32), nullable=True),
    sa.Column('refunded_cents', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['token'], ['gateway_cards.token'], name=op.f('fk_gateway_charges_token_gateway_cards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gateway_charges')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_gateway_charges_idempotency_key'))
    )
    with op.batch_alter_table('gateway_charges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gateway_charges_token'), ['token'], unique=False)

    op.create_table('gateway_refunds',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('idempotency_key', sa.String(length=300), nullable=False),
    sa.Column('charge_id', sa.String(length=64), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['charge_id'], ['gateway_charges.id'], name=op.f('fk_gateway_refunds_charge_id_gateway_charges')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gateway_refunds')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_gateway_refunds_idempotency_key'))
    )
    with op.batch_alter_table('gateway_refunds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gateway_refunds_charge_id'), ['charge_id'], unique=False)

    op.create_table('staff_sessions',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('staff_id', sa.String(length=64), nullable=False),
    sa.Column('kiosk_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['kiosk_id'], ['kiosks.id'], name=op.f('fk_staff_sessions_kiosk_id_kiosks')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_members.id'], name=op.f('fk_staff_sessions_staff_id_staff_members')),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_staff_sessions'))
    )
    with op.batch_alter_table('staff_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_sessions_staff_id'), ['staff_id'], unique=False)

    op.create_table('family_sessions',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('account_id', sa.String(length=64), nullable=False),
    sa.Column('kiosk_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_family_sessions_account_id_accounts')),
    sa.ForeignKeyConstraint(['kiosk_id'], ['kiosks.id'], name=op.f('fk_family_sessions_kiosk_id_kiosks')),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_family_sessions'))
    )
    with op.batch_alter_table('family_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_family_sessions_account_id'), ['account_id'], unique=False)

    op.create_table('ledger_journals',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.Enum('deposit', 'call_charge', 'refund_request', name='journalkind', native_enum=False, length=32), nullable=False),
    sa.Column('account_id', sa.String(length=64), nullable=False),
    sa.Column('reference', sa.String(length=200), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_ledger_journals_account_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_journals')),
    sa.UniqueConstraint('reference', name=op.f('uq_ledger_journals_reference'))
    )
    with op.batch_alter_table('ledger_journals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_journals_account_id'), ['account_id'], unique=False)

    op.create_table('payment_methods',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('account_id', sa.String(length=64), nullable=False),
    sa.Column('gateway_token', sa.String(length=64), nullable=False),
    sa.Column('brand', sa.String(length=16), nullable=False),
    sa.Column('last4', sa.String(length=4), nullable=False),
    sa.Column('exp_month', sa.Integer(), nullable=False),
    sa.Column('exp_year', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_payment_methods_account_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_methods'))
    )
    with op.batch_alter_table('payment_methods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_methods_account_id'), ['account_id'], unique=False)

    op.create_table('ledger_entries',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('journal_id', sa.String(length=64), nullable=False),
    sa.Column('book', sa.Enum('family_balance', 'card_clearing', 'fee_revenue', 'call_revenue', 'refunds_payable', name='ledgerbook', native_enum=False, length=32), nullable=False),
    sa.Column('account_id', sa.String(length=64), nullable=True),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_ledger_entries_account_id_accounts')),
    sa.ForeignKeyConstraint(['journal_id'], ['ledger_journals.id'], name=op.f('fk_ledger_entries_journal_id_ledger_journals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_entries'))
    )
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_entries_book_account', ['book', 'account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_entries_journal_id'), ['journal_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_entries_journal_id'))
        batch_op.drop_index('ix_ledger_entries_book_account')

    op.drop_table('ledger_entries')
    with op.batch_alter_table('payment_methods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_methods_account_id'))

    op.drop_table('payment_methods')
    with op.batch_alter_table('ledger_journals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_journals_account_id'))

    op.drop_table('ledger_journals')
    with op.batch_alter_table('family_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_family_sessions_account_id'))

    op.drop_table('family_sessions')
    with op.batch_alter_table('staff_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_sessions_staff_id'))

    op.drop_table('staff_sessions')
    with op.batch_alter_table('gateway_refunds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_gateway_refunds_charge_id'))

    op.drop_table('gateway_refunds')
    with op.batch_alter_table('gateway_charges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_gateway_charges_token'))

    op.drop_table('gateway_charges')
    op.drop_table('staff_members')
    op.drop_table('sign_in_throttles')
    op.drop_table('gateway_cards')
