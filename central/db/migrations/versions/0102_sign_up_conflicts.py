"""sign-up conflicts: offline sign-ups refused later, reported by kiosks for staff

Revision ID: 0102
Revises: 0101
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0102'
down_revision = '0101'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'sign_up_conflicts',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('kiosk_id', sa.String(length=64), nullable=False),
        sa.Column('facility_id', sa.String(length=64), nullable=False),
        sa.Column('reason', sa.String(length=40), nullable=False),
        sa.Column('first_name', sa.String(length=100), nullable=False),
        sa.Column('phone', sa.String(length=20), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('signed_up_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('resolved_by', sa.String(length=64), nullable=True),
        sa.Column('resolution', sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'],
                                name=op.f('fk_sign_up_conflicts_facility_id_facilities')),
        sa.ForeignKeyConstraint(['kiosk_id'], ['kiosks.id'],
                                name=op.f('fk_sign_up_conflicts_kiosk_id_kiosks')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_up_conflicts')),
    )
    op.create_index(op.f('ix_sign_up_conflicts_facility_id'), 'sign_up_conflicts',
                    ['facility_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_sign_up_conflicts_facility_id'), table_name='sign_up_conflicts')
    op.drop_table('sign_up_conflicts')
