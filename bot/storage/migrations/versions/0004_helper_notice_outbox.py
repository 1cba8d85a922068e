"""helper_notices: the messages of a LINE notice LINE has not accepted yet, so the bot can send it again itself.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add pending_messages (null once delivered, given up, or for notices sent at most once)."""
    with op.batch_alter_table('helper_notices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pending_messages', sa.Text(), nullable=True))


def downgrade() -> None:
    """Drop pending_messages."""
    with op.batch_alter_table('helper_notices', schema=None) as batch_op:
        batch_op.drop_column('pending_messages')
