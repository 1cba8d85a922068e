"""Deliveries, group settings, feedback, community reports and daily statistics."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select

from bot.normalize import clean, compact
from bot.storage.base import StoreBase
from bot.storage.counts import Counts, PendingCounts
from bot.storage.links import JST
from bot.storage.schema import (
    deliveries,
    feedback,
    group_settings,
    recent_checks,
    reports,
    stat_brands,
    stat_checks,
    stat_rules,
)
from bot.storage.values import GroupSettings, ReportRow, Stats

ALERT_LEVELS = ("danger", "caution")
# Built once: every check of a message with a number or a link asks this.
_REPORTER_COUNTS = select(reports.c.key, func.count()).where(
    reports.c.key.in_(bindparam("keys", expanding=True))).group_by(reports.c.key)


class RecordStore(StoreBase):
    """Everything the bot counts or remembers besides helper links."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pending = PendingCounts(self._write_counts)

    def claim_delivery(self, platform: str, delivery_id: str) -> bool:
        """True only for the first claim of a webhook event id, across threads, processes and machines."""
        return self._bookkeeping(lambda conn: self._claim(conn, platform, delivery_id))

    def _claim(self, conn: Connection, platform: str, delivery_id: str) -> bool:
        return self._insert_ignore(conn, deliveries, {
            "platform": platform, "delivery_id": delivery_id, "received_at": self._now()})

    def group_settings(self, platform: str, group_id: str) -> GroupSettings:
        """The group's settings, or the defaults (danger only, not muted)."""
        with self._read() as conn:
            row = conn.execute(select(group_settings.c.alert_level, group_settings.c.muted).where(
                group_settings.c.platform == platform, group_settings.c.group_id == group_id)).first()
        return GroupSettings() if row is None else GroupSettings(alert_level=row.alert_level, muted=bool(row.muted))

    def set_group_settings(self, platform: str, group_id: str, *, alert_level: str | None = None,
                           muted: bool | None = None) -> GroupSettings:
        """Change what is given, keep the rest; returns the new settings."""
        if alert_level is not None and alert_level not in ALERT_LEVELS:
            raise ValueError(f"alert_level must be one of {ALERT_LEVELS}")
        now = self._now()
        changes: dict[str, Any] = {"updated_at": now}
        if alert_level is not None:
            changes["alert_level"] = alert_level
        if muted is not None:
            changes["muted"] = muted
        defaults = GroupSettings()
        with self._write() as conn:
            statement = self._insert(conn, group_settings).values(
                platform=platform, group_id=group_id, alert_level=alert_level or defaults.alert_level,
                muted=defaults.muted if muted is None else muted, updated_at=now)
            conn.execute(statement.on_conflict_do_update(index_elements=["platform", "group_id"], set_=changes))
        return self.group_settings(platform, group_id)

    def forget_group(self, platform: str, group_id: str) -> None:
        """The bot left the group: drop its settings and the results kept for its buttons."""
        with self._write() as conn:
            conn.execute(delete(group_settings).where(
                group_settings.c.platform == platform, group_settings.c.group_id == group_id))
            conn.execute(delete(recent_checks).where(
                recent_checks.c.platform == platform, recent_checks.c.owner_hash == self._owner_hash(platform, group_id)))

    def text_hash(self, text: str) -> str:
        """Keyed hash of the normalised text: the same message matches however it was spaced or widened."""
        return self._hash("text", compact(clean(text)))

    def add_feedback(self, platform: str, user_id: str, verdict: str, rule_ids: list[str], answer: str, text: str,
                     share_text: bool = False, message_id: str | None = None, text_hash: str | None = None) -> None:
        """Keep the answer with a keyed hash of the text (or the one given); the raw text only when the user shares it."""
        with self._write() as conn:
            conn.execute(insert(feedback).values(
                platform=platform, user_hash=self._hash("user", platform, user_id),
                message_hash=None if message_id is None else self._hash("message", platform, message_id),
                verdict=verdict, rule_ids=" ".join(rule_ids), answer=answer, text_hash=text_hash or self.text_hash(text),
                text=text if share_text else None, created_at=self._now(),
            ))

    def add_report(self, platform: str, user_id: str, keys: list[str]) -> None:
        """A user marks numbers/hosts as a scam; each user counts once per key, and is kept only as a hash."""
        reporter = self._hash("user", platform, user_id)
        now = self._now()
        with self._write() as conn:
            for key in dict.fromkeys(k for k in keys if k):
                self._insert_ignore(conn, reports, {"key": key, "reporter_hash": reporter, "created_at": now})

    def reporter_counts(self, keys: list[str]) -> dict[str, int]:
        """Distinct reporters per key (keys nobody reported are absent): the detector's CommunityLookup."""
        if not keys:
            return {}
        with self._read() as conn:
            rows = conn.execute(_REPORTER_COUNTS, {"keys": sorted(set(keys))}).all()
        return {key: int(count) for key, count in rows}

    def list_reports(self, min_reporters: int = 1) -> list[ReportRow]:
        """Reported keys with at least min_reporters distinct reporters, most reported first."""
        count = func.count().label("reporters")
        with self._read() as conn:
            rows = conn.execute(
                select(reports.c.key, count, func.min(reports.c.created_at).label("first"),
                       func.max(reports.c.created_at).label("last"))
                .group_by(reports.c.key).having(func.count() >= min_reporters)
                .order_by(count.desc(), reports.c.key)).all()
        return [ReportRow(key=row.key, reporters=int(row.reporters), first_reported=_aware(row.first),
                          last_reported=_aware(row.last)) for row in rows]

    def record_check(self, platform: str, verdict: str, brand_id: str | None, rule_ids: list[str]) -> None:
        """Count one check in today's aggregates (no text, no user); written within a second (PendingCounts)."""
        day = self._now().astimezone(JST).date()
        self._pending.add(stat_checks, {"day": day, "platform": platform, "verdict": verdict})
        # A brand counts as impersonated only when the message was flagged: a genuine Amazon code is not.
        if brand_id and verdict != "no_signs":
            self._pending.add(stat_brands, {"day": day, "brand_id": brand_id})
        self._pending.add(stat_rules, *({"day": day, "rule_id": r} for r in sorted(set(rule_ids))))

    def flush_counts(self) -> None:
        """Write the counts still in memory now (before reading statistics, and when closing)."""
        self._pending.flush()

    def _write_counts(self, counts: Counts) -> None:
        with self._write(bookkeeping=True) as conn:
            for table, counter in counts.items():
                self._add_counts(conn, table, [{**dict(key), "count": n} for key, n in sorted(counter.items())])

    def stats(self, days: int = 30) -> Stats:
        """Checks per day by verdict, top brands and rules, and feedback answers over the last `days` days."""
        self.flush_counts()
        now = self._now()
        since = now.astimezone(JST).date() - dt.timedelta(days=days - 1)
        with self._read() as conn:
            per_day = conn.execute(select(stat_checks.c.day, stat_checks.c.verdict, func.sum(stat_checks.c.count))
                                   .where(stat_checks.c.day >= since)
                                   .group_by(stat_checks.c.day, stat_checks.c.verdict)).all()
            brands = self._top(conn, stat_brands, "brand_id", since)
            rules = self._top(conn, stat_rules, "rule_id", since)
            answers = conn.execute(select(feedback.c.answer, func.count())
                                   .where(feedback.c.created_at >= now - dt.timedelta(days=days))
                                   .group_by(feedback.c.answer)).all()
        by_day: dict[str, dict[str, int]] = {}
        for day, verdict, count in sorted(per_day):
            by_day.setdefault(day.isoformat(), {})[verdict] = int(count)
        return Stats(days=days, checks_by_day=by_day, top_brands=brands, top_rules=rules,
                     feedback={answer: int(count) for answer, count in answers})

    @staticmethod
    def _top(conn: Any, table: Any, column: str, since: dt.date, limit: int = 10) -> list[tuple[str, int]]:
        """The most counted values of a statistics table since a day."""
        total = func.sum(table.c["count"]).label("total")
        rows = conn.execute(select(table.c[column], total).where(table.c.day >= since)
                            .group_by(table.c[column]).order_by(total.desc(), table.c[column]).limit(limit)).all()
        return [(str(name), int(count)) for name, count in rows]


def _aware(value: Any) -> dt.datetime:
    """Aggregates (min/max) skip the column type on some drivers: make sure the result is aware UTC."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    assert isinstance(value, dt.datetime)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
