"""Initial schema: deliveries, helper links, group settings, feedback, community reports, statistics.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create every table."""
    op.create_table(
        "deliveries",
        sa.Column("platform", sa.String(), nullable=False),
        sa.Column("delivery_id", sa.String(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("platform", "delivery_id", name="pk_deliveries"),
    )
    op.create_index("ix_deliveries_received_at", "deliveries", ["received_at"])
    op.create_table(
        "link_codes",
        sa.Column("platform", sa.String(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("platform", "user_id", name="pk_link_codes"),
        sa.UniqueConstraint("platform", "code_hash", name="uq_link_codes_platform_code_hash"),
    )
    op.create_index("ix_link_codes_expires_at", "link_codes", ["expires_at"])
    op.create_table(
        "link_attempts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("platform", sa.String(), nullable=False),
        sa.Column("helper_id", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_link_attempts"),
    )
    op.create_index("ix_link_attempts_platform_helper_id_at", "link_attempts", ["platform", "helper_id", "at"])
    op.create_table(
        "helper_links",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("platform", sa.String(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("helper_id", sa.String(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_helper_links"),
    )
    op.create_index("ix_helper_links_platform_user_id", "helper_links", ["platform", "user_id"])
    op.create_index("ix_helper_links_platform_helper_id", "helper_links", ["platform", "helper_id"])
    op.create_table(
        "user_prefs",
        sa.Column("platform", sa.String(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("share_full_text", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("platform", "user_id", name="pk_user_prefs"),
    )
    op.create_table(
        "helper_notices",
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("message_hash", sa.String(64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["link_id"], ["helper_links.id"], name="fk_helper_notices_link_id_helper_links",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("link_id", "message_hash", name="pk_helper_notices"),
    )
    op.create_index("ix_helper_notices_sent_at", "helper_notices", ["sent_at"])
    op.create_index("ix_helper_notices_link_id_day", "helper_notices", ["link_id", "day"])
    op.create_table(
        "group_settings",
        sa.Column("platform", sa.String(), nullable=False),
        sa.Column("group_id", sa.String(), nullable=False),
        sa.Column("alert_level", sa.String(16), nullable=False),
        sa.Column("muted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("platform", "group_id", name="pk_group_settings"),
    )
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("platform", sa.String(), nullable=False),
        sa.Column("user_hash", sa.String(64), nullable=False),
        sa.Column("message_hash", sa.String(64), nullable=True),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("rule_ids", sa.Text(), nullable=False),
        sa.Column("answer", sa.String(32), nullable=False),
        sa.Column("text_hash", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_feedback"),
    )
    op.create_index("ix_feedback_user_hash", "feedback", ["user_hash"])
    op.create_index("ix_feedback_message_hash", "feedback", ["message_hash"])
    op.create_index("ix_feedback_created_at", "feedback", ["created_at"])
    op.create_table(
        "reports",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("reporter_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", "reporter_hash", name="pk_reports"),
    )
    op.create_index("ix_reports_created_at", "reports", ["created_at"])
    op.create_index("ix_reports_reporter_hash", "reports", ["reporter_hash"])
    op.create_table(
        "stat_checks",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("platform", sa.String(), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "platform", "verdict", name="pk_stat_checks"),
    )
    op.create_table(
        "stat_brands",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("brand_id", sa.String(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "brand_id", name="pk_stat_brands"),
    )
    op.create_table(
        "stat_rules",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("rule_id", sa.String(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "rule_id", name="pk_stat_rules"),
    )


def downgrade() -> None:
    """Drop every table."""
    for table in ("stat_rules", "stat_brands", "stat_checks", "reports", "feedback", "group_settings",
                  "helper_notices", "user_prefs", "helper_links", "link_attempts", "link_codes", "deliveries"):
        op.drop_table(table)
