"""the note acceptor's state in a kiosk's heartbeat: ready, or the alert staff must see
(offline, jammed, full, taken_back), kept for the fleet view (docs/cash.md)

Revision ID: 0210
Revises: 0200
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0210'
down_revision = '0200'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Null until the kiosk's next heartbeat, as printer and keyring were.
    op.add_column('kiosk_status', sa.Column(
        'acceptor', sa.Enum('none', 'ready', 'offline', 'jammed', 'full', 'taken_back',
                            name='acceptorstate', native_enum=False, length=32),
        nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('kiosk_status') as batch:
        batch.drop_column('acceptor')
