"""charges as records: a row per card charge, what references it, kept idempotency records

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('charges',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('purpose', sa.Enum('deposit', 'subscription', 'renewal', 'single_call', name='chargepurpose', native_enum=False, length=32), nullable=False),
    sa.Column('account_id', sa.String(length=64), nullable=True),
    sa.Column('subject_id', sa.String(length=64), nullable=True),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('gateway_key', sa.String(length=300), nullable=False),
    sa.Column('gateway_token', sa.String(length=64), nullable=False),
    sa.Column('payment_method_id', sa.String(length=64), nullable=True),
    sa.Column('state', sa.Enum('pending', 'settled', 'declined', 'refund_due', 'refunded', 'abandoned', name='chargestate', native_enum=False, length=32), nullable=False),
    sa.Column('gateway_charge_id', sa.String(length=64), nullable=True),
    sa.Column('decline_code', sa.String(length=32), nullable=True),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('settled_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_charges_account_id_accounts')),
    sa.ForeignKeyConstraint(['payment_method_id'], ['payment_methods.id'], name=op.f('fk_charges_payment_method_id_payment_methods')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_charges')),
    sa.UniqueConstraint('gateway_key', name=op.f('uq_charges_gateway_key'))
    )
    with op.batch_alter_table('charges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_charges_account_id'), ['account_id'], unique=False)
        batch_op.create_index('ix_charges_state_created_at', ['state', 'created_at'], unique=False)

    with op.batch_alter_table('idempotency_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('keep', sa.Boolean(), server_default=sa.false(), nullable=False))
    # Every request answered with success so far created something: keep answering for it.
    op.execute(sa.text("UPDATE idempotency_records SET keep = :yes "
                       "WHERE completed = :yes AND status_code < 300").bindparams(yes=True))

    with op.batch_alter_table('ledger_journals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('charge_id', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_ledger_journals_charge_id'), ['charge_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_ledger_journals_charge_id_charges'), 'charges', ['charge_id'], ['id'])

    with op.batch_alter_table('subscription_periods', schema=None) as batch_op:
        batch_op.add_column(sa.Column('charge_id', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_subscription_periods_charge_id'), ['charge_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_subscription_periods_charge_id_charges'), 'charges', ['charge_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('subscription_periods', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_subscription_periods_charge_id_charges'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_subscription_periods_charge_id'))
        batch_op.drop_column('charge_id')

    with op.batch_alter_table('ledger_journals', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_ledger_journals_charge_id_charges'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_ledger_journals_charge_id'))
        batch_op.drop_column('charge_id')

    with op.batch_alter_table('idempotency_records', schema=None) as batch_op:
        batch_op.drop_column('keep')

    with op.batch_alter_table('charges', schema=None) as batch_op:
        batch_op.drop_index('ix_charges_state_created_at')
        batch_op.drop_index(batch_op.f('ix_charges_account_id'))

    op.drop_table('charges')
