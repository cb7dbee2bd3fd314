"""letters stored as data

Revision ID: 0053
Revises: 0052
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0053'
down_revision = '0052'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('data', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('message_id', sa.String(length=200), nullable=True))
        batch_op.alter_column('subject',
               existing_type=sa.VARCHAR(length=300),
               nullable=True)
        batch_op.alter_column('message',
               existing_type=sa.TEXT(),
               nullable=True)



def downgrade() -> None:
    # Before this revision every row held its rendered text. Sent letters need none; an
    # unsent one would be lost, so the downgrade waits until the outbox has delivered them.
    waiting = op.get_bind().execute(sa.text(
        "SELECT COUNT(*) FROM outgoing_mail WHERE message IS NULL AND sent_at IS NULL"
        " AND attempts < 8")).scalar_one()
    if waiting:
        raise RuntimeError(f"{waiting} queued letter(s) not yet delivered: deliver them first")
    op.execute("UPDATE outgoing_mail SET subject = '', message = '' WHERE message IS NULL")
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.alter_column('message',
               existing_type=sa.TEXT(),
               nullable=False)
        batch_op.alter_column('subject',
               existing_type=sa.VARCHAR(length=300),
               nullable=False)
        batch_op.drop_column('message_id')
        batch_op.drop_column('data')
        batch_op.drop_column('kind')

