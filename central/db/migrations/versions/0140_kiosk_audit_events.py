"""kiosk audit events: staff actions recorded in staff mode, sent by the kiosks' outboxes

Revision ID: 0140
Revises: 0102
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0140'
down_revision = '0102'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'kiosk_audit_events',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('kiosk_id', sa.String(length=64), nullable=False),
        sa.Column('staff_id', sa.String(length=64), nullable=False),
        sa.Column('event', sa.String(length=64), nullable=False),
        sa.Column('detail', sa.Text(), nullable=False),
        sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['kiosk_id'], ['kiosks.id'],
                                name=op.f('fk_kiosk_audit_events_kiosk_id_kiosks')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosk_audit_events')),
    )
    op.create_index(op.f('ix_kiosk_audit_events_kiosk_id'), 'kiosk_audit_events',
                    ['kiosk_id'], unique=False)
    op.create_index(op.f('ix_kiosk_audit_events_staff_id'), 'kiosk_audit_events',
                    ['staff_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_kiosk_audit_events_staff_id'), table_name='kiosk_audit_events')
    op.drop_index(op.f('ix_kiosk_audit_events_kiosk_id'), table_name='kiosk_audit_events')
    op.drop_table('kiosk_audit_events')
