"""Tables (SQLAlchemy Core). Migrations in migrations/versions must mirror every change made here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Stored as naive UTC (SQLite has no time zones), handed out as aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        """Aware → naive UTC; naive values are taken as UTC already."""
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        """Naive UTC → aware UTC."""
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC)


# Ids from LINE/Slack are opaque strings of unknown length: unbounded VARCHAR, so SQLite and PostgreSQL agree.
Id = String

metadata = MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

deliveries = Table(
    "deliveries", metadata,
    Column("platform", Id, primary_key=True),
    Column("delivery_id", Id, primary_key=True),
    Column("received_at", UTCDateTime, nullable=False, index=True),
)

link_codes = Table(
    "link_codes", metadata,
    Column("platform", Id, primary_key=True),
    Column("user_id", Id, primary_key=True),  # one pending code per user: a new code replaces the old
    Column("code_hash", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False, index=True),
    UniqueConstraint("platform", "code_hash"),
)

link_attempts = Table(
    "link_attempts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("platform", Id, nullable=False),
    Column("helper_id", Id, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Index(None, "platform", "helper_id", "at"),
)

helper_links = Table(
    "helper_links", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("platform", Id, nullable=False),
    Column("user_id", Id, nullable=False),
    Column("helper_id", Id, nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("confirmed_at", UTCDateTime, nullable=True),
    Column("ended_at", UTCDateTime, nullable=True),
    Index(None, "platform", "user_id"),
    Index(None, "platform", "helper_id"),
)

user_prefs = Table(
    "user_prefs", metadata,
    Column("platform", Id, primary_key=True),
    Column("user_id", Id, primary_key=True),
    Column("share_full_text", Boolean, nullable=False, default=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

helper_notices = Table(
    "helper_notices", metadata,
    Column("link_id", Integer, ForeignKey("helper_links.id", ondelete="CASCADE"), primary_key=True),
    Column("message_hash", String(64), primary_key=True),
    Column("day", Date, nullable=False),
    Column("sent_at", UTCDateTime, nullable=False, index=True),  # when the notice took its place in the cap
    Column("retry_key", String(36), nullable=True),  # the notice id every try uses (LINE's X-Line-Retry-Key, Slack metadata)
    Column("delivered_at", UTCDateTime, nullable=True),  # the platform accepted it (null: not known to have arrived)
    # The messages of a notice not taken yet, for the resend job; blanked once delivered or given up.
    Column("pending_messages", Text, nullable=True),
    Index(None, "link_id", "day"),
)

group_settings = Table(
    "group_settings", metadata,
    Column("platform", Id, primary_key=True),
    Column("group_id", Id, primary_key=True),
    Column("alert_level", String(16), nullable=False),
    Column("muted", Boolean, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

feedback = Table(
    "feedback", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("platform", Id, nullable=False),
    Column("user_hash", String(64), nullable=False, index=True),
    Column("message_hash", String(64), nullable=True, index=True),
    Column("verdict", String(16), nullable=False),
    Column("rule_ids", Text, nullable=False),  # space-separated rule ids
    Column("answer", String(32), nullable=False),
    Column("text_hash", String(64), nullable=False),
    Column("text", Text, nullable=True),  # only when the user chose to send the text for review
    Column("created_at", UTCDateTime, nullable=False, index=True),
)

reports = Table(
    "reports", metadata,
    Column("key", Id, primary_key=True),
    Column("reporter_hash", String(64), primary_key=True),  # distinct reporters, without keeping who
    Column("created_at", UTCDateTime, nullable=False, index=True),
    Index(None, "reporter_hash"),
)

stat_checks = Table(
    "stat_checks", metadata,
    Column("day", Date, primary_key=True),
    Column("platform", Id, primary_key=True),
    Column("verdict", String(16), primary_key=True),
    Column("count", Integer, nullable=False),
)

stat_brands = Table(
    "stat_brands", metadata,
    Column("day", Date, primary_key=True),
    Column("brand_id", Id, primary_key=True),
    Column("count", Integer, nullable=False),
)

stat_rules = Table(
    "stat_rules", metadata,
    Column("day", Date, primary_key=True),
    Column("rule_id", Id, primary_key=True),
    Column("count", Integer, nullable=False),
)

recent_checks = Table(
    "recent_checks", metadata,  # results kept 30 minutes for the buttons under a LINE answer (any worker)
    Column("platform", Id, primary_key=True),
    Column("key_hash", String(64), primary_key=True),  # the answered message id, as a keyed hash
    Column("owner_hash", String(64), nullable=False, index=True),  # the chat it was judged in, as a keyed hash
    Column("message_hashes", Text, nullable=False),  # space-separated keyed hashes of every message judged
    Column("verdict", String(16), nullable=False),
    Column("score", Integer, nullable=False),
    Column("rule_ids", Text, nullable=False),  # space-separated rule ids
    Column("brand_id", Id, nullable=True),
    Column("phones", Text, nullable=False),  # JSON list: numbers for community reports (1:1 only)
    Column("hosts", Text, nullable=False),  # JSON list: hosts for community reports (1:1 only)
    Column("details", Text, nullable=False),  # JSON: reasons without evidence, brand, contacts, links, advice
    Column("text_hash", String(64), nullable=True),
    Column("text", Text, nullable=True),  # only while the user shares full texts with a confirmed helper
    Column("evidence", Text, nullable=True),  # JSON: reasons with evidence, under the same condition as text
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False, index=True),
)

inbox = Table(
    "inbox", metadata,  # webhook deliveries waiting for the answering process (EVENT_QUEUE=database)
    # A queue's ids run for years: 64 bits on PostgreSQL; SQLite's rowid alias must be INTEGER, and is 64-bit.
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("platform", Id, nullable=False),
    Column("body", LargeBinary, nullable=False),  # the request body as signed; deleted once handled
    Column("received_at", UTCDateTime, nullable=False),
    Column("lease_until", UTCDateTime, nullable=False),  # a worker has it until then; received_at: free at once
    Column("tries", Integer, nullable=False),  # times taken: a delivery that keeps killing its worker is dropped
    Index(None, "platform", "lease_until"),
)
