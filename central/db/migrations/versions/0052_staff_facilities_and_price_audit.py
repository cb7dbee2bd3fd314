"""staff facilities and price audit

Revision ID: 0052
Revises: 0051
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0052'
down_revision = '0051'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('price_changes',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('facility_id', sa.String(length=64), nullable=False),
    sa.Column('staff_id', sa.String(length=64), nullable=False),
    sa.Column('staff_name', sa.String(length=100), nullable=False),
    sa.Column('kiosk_id', sa.String(length=64), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('before', sa.Text(), nullable=False),
    sa.Column('after', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_price_changes_facility_id_facilities')),
    sa.ForeignKeyConstraint(['kiosk_id'], ['kiosks.id'], name=op.f('fk_price_changes_kiosk_id_kiosks')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_members.id'], name=op.f('fk_price_changes_staff_id_staff_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_price_changes'))
    )
    with op.batch_alter_table('price_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_price_changes_facility_id'), ['facility_id'], unique=False)

    if op.get_bind().dialect.name == "sqlite":
        # Batch mode would copy staff_members and drop the old table, which staff sessions
        # and price changes refer to: SQLite refuses that once any row refers to it. A new
        # column can carry its reference inline instead.
        op.execute("ALTER TABLE staff_members ADD COLUMN facility_id VARCHAR(64)"
                   " REFERENCES facilities (id)")
    else:
        op.add_column('staff_members', sa.Column('facility_id', sa.String(length=64), nullable=True))
        op.create_foreign_key(op.f('fk_staff_members_facility_id_facilities'), 'staff_members', 'facilities', ['facility_id'], ['id'])

    # A member who has signed in only at kiosks of one facility works there; anyone else
    # stays without a facility (and may change no prices) until an operator decides.
    op.execute(sa.text(
        "UPDATE staff_members SET facility_id = ("
        " SELECT MIN(k.facility_id) FROM staff_sessions s JOIN kiosks k ON k.id = s.kiosk_id"
        " WHERE s.staff_id = staff_members.id)"
        " WHERE (SELECT COUNT(DISTINCT k.facility_id) FROM staff_sessions s"
        " JOIN kiosks k ON k.id = s.kiosk_id WHERE s.staff_id = staff_members.id) = 1"))


def downgrade() -> None:
    with op.batch_alter_table('staff_members', schema=None) as batch_op:
        if op.get_bind().dialect.name != "sqlite":  # SQLite's inline reference has no name
            batch_op.drop_constraint(batch_op.f('fk_staff_members_facility_id_facilities'), type_='foreignkey')
        batch_op.drop_column('facility_id')

    with op.batch_alter_table('price_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_price_changes_facility_id'))

    op.drop_table('price_changes')
