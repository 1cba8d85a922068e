"""inbox: webhook deliveries queued for the answering process (EVENT_QUEUE=database).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create inbox."""
    op.create_table(
        'inbox',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
        sa.Column('platform', sa.String(), nullable=False),
        sa.Column('body', sa.LargeBinary(), nullable=False),
        sa.Column('received_at', sa.DateTime(), nullable=False),
        sa.Column('lease_until', sa.DateTime(), nullable=False),
        sa.Column('tries', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_inbox')),
    )
    op.create_index(op.f('ix_inbox_platform_lease_until'), 'inbox', ['platform', 'lease_until'], unique=False)


def downgrade() -> None:
    """Drop inbox."""
    op.drop_index(op.f('ix_inbox_platform_lease_until'), table_name='inbox')
    op.drop_table('inbox')
