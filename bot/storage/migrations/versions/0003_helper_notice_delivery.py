"""helper_notices: the retry key of a LINE notice and when it was delivered, so a failed one can be sent again once.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add retry_key and delivered_at; notices claimed before were sent at most once: count them delivered."""
    with op.batch_alter_table('helper_notices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retry_key', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('delivered_at', sa.DateTime(), nullable=True))
    op.execute("UPDATE helper_notices SET delivered_at = sent_at")


def downgrade() -> None:
    """Drop retry_key and delivered_at."""
    with op.batch_alter_table('helper_notices', schema=None) as batch_op:
        batch_op.drop_column('delivered_at')
        batch_op.drop_column('retry_key')
