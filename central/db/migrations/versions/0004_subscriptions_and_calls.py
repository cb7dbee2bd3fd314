"""subscriptions and calls

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('subscriptions',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('account_id', sa.String(length=64), nullable=False),
    sa.Column('facility_id', sa.String(length=64), nullable=False),
    sa.Column('plan_id', sa.String(length=64), nullable=False),
    sa.Column('service', sa.Enum('calls', 'video', name='service', native_enum=False, length=32), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('status', sa.Enum('active', 'expired', 'canceled', name='subscriptionstatus', native_enum=False, length=32), nullable=False),
    sa.Column('price_cents', sa.BigInteger(), nullable=False),
    sa.Column('allotment', sa.Integer(), nullable=True),
    sa.Column('renewal_mode', sa.Enum('auto', 'manual', name='renewalmode', native_enum=False, length=32), nullable=False),
    sa.Column('payment_method_id', sa.String(length=64), nullable=True),
    sa.Column('pending_renewal_mode', sa.Enum('auto', 'manual', name='renewalmode', native_enum=False, length=32), nullable=True),
    sa.Column('pending_payment_method_id', sa.String(length=64), nullable=True),
    sa.Column('period_anchor', sa.DateTime(timezone=True), nullable=False),
    sa.Column('period_index', sa.Integer(), nullable=False),
    sa.Column('current_period_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('current_period_end', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_in_period', sa.Integer(), nullable=False),
    sa.Column('cancel_at_period_end', sa.Boolean(), nullable=False),
    sa.Column('terms_version', sa.String(length=32), nullable=False),
    sa.Column('terms_accepted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('renewal_claim', sa.String(length=64), nullable=True),
    sa.Column('renewal_claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('usage_reminder_sent_for', sa.DateTime(timezone=True), nullable=True),
    sa.Column('renewal_reminder_sent_for', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_subscriptions_account_id_accounts')),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_subscriptions_facility_id_facilities')),
    sa.ForeignKeyConstraint(['payment_method_id'], ['payment_methods.id'], name=op.f('fk_subscriptions_payment_method_id_payment_methods')),
    sa.ForeignKeyConstraint(['pending_payment_method_id'], ['payment_methods.id'], name=op.f('fk_subscriptions_pending_payment_method_id_payment_methods')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_subscriptions_plan_id_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subscriptions'))
    )
    with op.batch_alter_table('subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subscriptions_account_id'), ['account_id'], unique=False)
        batch_op.create_index('ix_subscriptions_due', ['status', 'current_period_end'], unique=False)
        batch_op.create_index('uq_subscriptions_active_service_phone_facility', ['service', 'phone', 'facility_id'], unique=True, sqlite_where=sa.text("status = 'active'"), postgresql_where=sa.text("status = 'active'"))

    op.create_table('calls',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('facility_id', sa.String(length=64), nullable=False),
    sa.Column('resident_id', sa.String(length=64), nullable=True),
    sa.Column('account_id', sa.String(length=64), nullable=True),
    sa.Column('subscription_id', sa.String(length=64), nullable=True),
    sa.Column('kind', sa.Enum('audio', 'video', name='callkind', native_enum=False, length=32), nullable=False),
    sa.Column('destination', sa.Enum('in_state', 'interstate', 'international', name='destination', native_enum=False, length=32), nullable=False),
    sa.Column('dialed_phone', sa.String(length=20), nullable=False),
    sa.Column('status', sa.Enum('authorized', 'rated', 'refused', name='callstatus', native_enum=False, length=32), nullable=False),
    sa.Column('outcome', sa.Enum('covered', 'charged', 'single_call', 'refused', name='calloutcome', native_enum=False, length=32), nullable=False),
    sa.Column('refusal_reason', sa.String(length=64), nullable=True),
    sa.Column('cents_per_minute', sa.BigInteger(), nullable=False),
    sa.Column('max_minutes', sa.Integer(), nullable=True),
    sa.Column('authorized_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('rated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('duration_seconds', sa.Integer(), nullable=True),
    sa.Column('billed_minutes', sa.Integer(), nullable=True),
    sa.Column('charged_cents', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_calls_account_id_accounts')),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_calls_facility_id_facilities')),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_calls_resident_id_residents')),
    sa.ForeignKeyConstraint(['subscription_id'], ['subscriptions.id'], name=op.f('fk_calls_subscription_id_subscriptions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calls'))
    )
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calls_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_subscription_id'), ['subscription_id'], unique=False)

    op.create_table('subscription_periods',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('subscription_id', sa.String(length=64), nullable=False),
    sa.Column('period_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('period_end', sa.DateTime(timezone=True), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('charge_key', sa.String(length=200), nullable=False),
    sa.Column('charged_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['subscription_id'], ['subscriptions.id'], name=op.f('fk_subscription_periods_subscription_id_subscriptions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subscription_periods')),
    sa.UniqueConstraint('charge_key', name=op.f('uq_subscription_periods_charge_key')),
    sa.UniqueConstraint('subscription_id', 'period_start', name=op.f('uq_subscription_periods_subscription_id'))
    )
    with op.batch_alter_table('subscription_periods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subscription_periods_subscription_id'), ['subscription_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('subscription_periods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subscription_periods_subscription_id'))

    op.drop_table('subscription_periods')
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calls_subscription_id'))
        batch_op.drop_index(batch_op.f('ix_calls_account_id'))

    op.drop_table('calls')
    with op.batch_alter_table('subscriptions', schema=None) as batch_op:
        batch_op.drop_index('uq_subscriptions_active_service_phone_facility', sqlite_where=sa.text("status = 'active'"), postgresql_where=sa.text("status = 'active'"))
        batch_op.drop_index('ix_subscriptions_due')
        batch_op.drop_index(batch_op.f('ix_subscriptions_account_id'))

    op.drop_table('subscriptions')
