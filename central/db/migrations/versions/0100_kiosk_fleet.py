"""kiosk fleet: heartbeats and the out-of-service switch

Revision ID: 0100
Revises: 0053
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0100'
down_revision = '0053'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'kiosk_status',
        sa.Column('kiosk_id', sa.String(length=64), nullable=False),
        sa.Column('reported_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('version', sa.String(length=40), nullable=True),
        sa.Column('uptime_seconds', sa.Integer(), nullable=True),
        sa.Column('outbox_depth', sa.Integer(), nullable=True),
        sa.Column('last_sync_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('printer', sa.Enum('none', 'ready', 'printer_missing', 'printer_no_paper', 'printer_offline', name='printerstate', native_enum=False, length=32), nullable=True),
        sa.Column('keyring', sa.Enum('secure', 'unavailable', name='keyringstate', native_enum=False, length=32), nullable=True),
        sa.Column('in_service', sa.Boolean(), nullable=False),
        sa.Column('service_reason', sa.String(length=200), nullable=True),
        sa.Column('service_changed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('service_changed_by', sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(['kiosk_id'], ['kiosks.id'], name=op.f('fk_kiosk_status_kiosk_id_kiosks')),
        sa.PrimaryKeyConstraint('kiosk_id', name=op.f('pk_kiosk_status')),
    )


def downgrade() -> None:
    op.drop_table('kiosk_status')
