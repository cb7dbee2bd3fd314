"""facilities, residents, kiosks, accounts, idempotency

Revision ID: 0001
Revises: 
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('facilities',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('state', sa.String(length=2), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('size_tier', sa.Enum('prison', 'jail_1000_plus', 'jail_350_999', 'jail_100_349', 'jail_50_99', 'jail_under_50', name='sizetier', native_enum=False, length=32), nullable=False),
    sa.Column('jurisdiction', sa.String(length=16), nullable=False),
    sa.Column('offers_subscriptions', sa.Boolean(), nullable=False),
    sa.Column('offers_single_call', sa.Boolean(), nullable=False),
    sa.Column('funding_fee_cents', sa.BigInteger(), nullable=False),
    sa.Column('video_session_price_cents', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_facilities'))
    )
    op.create_table('idempotency_records',
    sa.Column('scope', sa.String(length=64), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('completed', sa.Boolean(), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('response_body', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('scope', 'key', name=op.f('pk_idempotency_records'))
    )
    op.create_table('enrollment_codes',
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('facility_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_enrollment_codes_facility_id_facilities')),
    sa.PrimaryKeyConstraint('code_hash', name=op.f('pk_enrollment_codes'))
    )
    op.create_table('kiosks',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('facility_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('enrolled_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_kiosks_facility_id_facilities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosks')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_kiosks_token_hash'))
    )
    op.create_table('plans',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('facility_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.Enum('call', 'video_bundle', 'video_unlimited', name='plankind', native_enum=False, length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('price_cents', sa.BigInteger(), nullable=False),
    sa.Column('allotment', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_plans_facility_id_facilities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans'))
    )
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plans_facility_id'), ['facility_id'], unique=False)

    op.create_table('rates',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('facility_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.Enum('audio', 'video', name='callkind', native_enum=False, length=32), nullable=False),
    sa.Column('destination', sa.Enum('in_state', 'interstate', 'international', name='destination', native_enum=False, length=32), nullable=False),
    sa.Column('cents_per_minute', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_rates_facility_id_facilities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rates')),
    sa.UniqueConstraint('facility_id', 'kind', 'destination', name=op.f('uq_rates_facility_id'))
    )
    with op.batch_alter_table('rates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rates_facility_id'), ['facility_id'], unique=False)

    op.create_table('residents',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('facility_id', sa.String(length=64), nullable=False),
    sa.Column('resident_number', sa.String(length=32), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_residents_facility_id_facilities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_residents')),
    sa.UniqueConstraint('facility_id', 'resident_number', name=op.f('uq_residents_facility_id'))
    )
    with op.batch_alter_table('residents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_residents_facility_id'), ['facility_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_residents_last_name'), ['last_name'], unique=False)

    op.create_table('accounts',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('address_line1', sa.String(length=200), nullable=False),
    sa.Column('address_line2', sa.String(length=200), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('state', sa.String(length=2), nullable=False),
    sa.Column('postal_code', sa.String(length=10), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('pin_hash', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_kiosk_id', sa.String(length=64), nullable=True),
    sa.Column('failed_pin_attempts', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_kiosk_id'], ['kiosks.id'], name=op.f('fk_accounts_created_by_kiosk_id_kiosks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounts')),
    sa.UniqueConstraint('phone', name=op.f('uq_accounts_phone'))
    )
    op.create_table('linked_residents',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('account_id', sa.String(length=64), nullable=False),
    sa.Column('facility_id', sa.String(length=64), nullable=False),
    sa.Column('resident_id', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_linked_residents_account_id_accounts')),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_linked_residents_facility_id_facilities')),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_linked_residents_resident_id_residents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_linked_residents')),
    sa.UniqueConstraint('account_id', 'resident_id', name=op.f('uq_linked_residents_account_id'))
    )
    with op.batch_alter_table('linked_residents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_linked_residents_account_id'), ['account_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('linked_residents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_linked_residents_account_id'))

    op.drop_table('linked_residents')
    op.drop_table('accounts')
    with op.batch_alter_table('residents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_residents_last_name'))
        batch_op.drop_index(batch_op.f('ix_residents_facility_id'))

    op.drop_table('residents')
    with op.batch_alter_table('rates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rates_facility_id'))

    op.drop_table('rates')
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plans_facility_id'))

    op.drop_table('plans')
    op.drop_table('kiosks')
    op.drop_table('enrollment_codes')
    op.drop_table('idempotency_records')
    op.drop_table('facilities')
