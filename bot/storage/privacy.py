"""Forgetting: LINE unsend, a user's 「データ削除」, and the retention period of every table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import Connection, delete, or_, select, update

from bot.storage.base import StoreBase
from bot.storage.inbox import KEEP_UNTAKEN
from bot.storage.links import JST, PENDING_TTL, RESEND_WINDOW
from bot.storage.recent import RECENT_TTL
from bot.storage.schema import (
    deliveries,
    feedback,
    helper_links,
    helper_notices,
    link_attempts,
    link_codes,
    recent_checks,
    reports,
    stat_brands,
    stat_checks,
    stat_rules,
    user_prefs,
)

DAY = dt.timedelta(days=1)
# How long each kind of record is kept (docs/storage.md explains each; change both together).
RETENTION: dict[str, dt.timedelta] = {
    "deliveries": 7 * DAY,          # after receipt: longer than any LINE redelivery or Slack retry
    "link_codes": DAY,              # after expiry, so a late helper hears "expired" rather than "wrong"
    "link_attempts": DAY,           # wrong code attempts, after the attempt (the lockout looks back 15 minutes)
    "helper_links": 30 * DAY,       # after a link was revoked or declined (confirmed links stay until unlinked)
    "pending_links": PENDING_TTL + DAY,  # requests the user never answered, after the request
    "recent_checks": RECENT_TTL,     # LINE button state, after the check (put_recent drops expired rows too)
    "helper_notices": 7 * DAY,      # after the notice was sent
    "helper_notice_messages": RESEND_WINDOW,  # an undelivered notice's messages are blanked after this
    "feedback": 365 * DAY,          # answers and text hashes, after the feedback
    "feedback_text": 90 * DAY,      # text a user chose to share for review is blanked after this
    "reports": 365 * DAY,           # community reports, after the report
    "stats": 730 * DAY,             # daily counters (no text, no user)
    "inbox": KEEP_UNTAKEN,          # queued deliveries no answering process took (Store.purge_expired)
}


class PrivacyStore(StoreBase):
    """Deletion on request and on schedule."""

    flush_counts: Callable[[], None]  # RecordStore's: counts still in memory are written before purging

    def forget_message(self, platform: str, message_id: str) -> int:
        """LINE unsend: delete the kept result, feedback and helper notices for that message; returns rows deleted.

        Texts judged together are kept under the first one's id: unsending any of them forgets that key too.
        """
        message_hash = self._hash("message", platform, message_id)
        with self._write() as conn:
            # Hex hashes never contain LIKE wildcards; the table holds 30 minutes of checks at most.
            mine = (recent_checks.c.platform == platform) & or_(
                recent_checks.c.key_hash == message_hash, recent_checks.c.message_hashes.contains(message_hash))
            hashes = {message_hash, *conn.execute(select(recent_checks.c.key_hash).where(mine)).scalars()}
            deleted = conn.execute(delete(recent_checks).where(mine)).rowcount
            deleted += conn.execute(delete(feedback).where(
                feedback.c.platform == platform, feedback.c.message_hash.in_(hashes))).rowcount
            links = select(helper_links.c.id).where(helper_links.c.platform == platform)
            deleted += conn.execute(delete(helper_notices).where(
                helper_notices.c.message_hash.in_(hashes), helper_notices.c.link_id.in_(links))).rowcount
        return int(deleted)

    def delete_user(self, platform: str, user_id: str) -> int:
        """「データ削除」: every link, code, choice, feedback, report and kept result of this user; returns rows deleted."""
        user_hash = self._hash("user", platform, user_id)
        with self._write() as conn:
            mine = (helper_links.c.platform == platform) & or_(
                helper_links.c.user_id == user_id, helper_links.c.helper_id == user_id)
            link_ids = select(helper_links.c.id).where(mine)
            statements = [
                delete(helper_notices).where(helper_notices.c.link_id.in_(link_ids)),
                delete(helper_links).where(mine),
                delete(link_codes).where(link_codes.c.platform == platform, link_codes.c.user_id == user_id),
                delete(link_attempts).where(link_attempts.c.platform == platform, link_attempts.c.helper_id == user_id),
                delete(user_prefs).where(user_prefs.c.platform == platform, user_prefs.c.user_id == user_id),
                delete(feedback).where(feedback.c.user_hash == user_hash),
                delete(reports).where(reports.c.reporter_hash == user_hash),
                delete(recent_checks).where(recent_checks.c.platform == platform,
                                            recent_checks.c.owner_hash == self._owner_hash(platform, user_id)),
            ]
            return sum(int(conn.execute(statement).rowcount) for statement in statements)

    def purge_expired(self, now: dt.datetime | None = None) -> dict[str, int]:
        """Enforce RETENTION; returns the number of rows deleted (or blanked) per table."""
        now = now or self._now()
        self.flush_counts()
        with self._write() as conn:
            return {
                "deliveries": self._run(conn, delete(deliveries).where(
                    deliveries.c.received_at < now - RETENTION["deliveries"])),
                "link_codes": self._run(conn, delete(link_codes).where(
                    link_codes.c.expires_at < now - RETENTION["link_codes"])),
                "link_attempts": self._run(conn, delete(link_attempts).where(
                    link_attempts.c.at < now - RETENTION["link_attempts"])),
                "recent_checks": self._run(conn, delete(recent_checks).where(
                    recent_checks.c.created_at < now - RETENTION["recent_checks"])),
                "helper_notices": self._run(conn, delete(helper_notices).where(
                    helper_notices.c.sent_at < now - RETENTION["helper_notices"])),
                "helper_notice_messages": self._run(conn, update(helper_notices).where(
                    helper_notices.c.pending_messages.is_not(None),
                    helper_notices.c.sent_at < now - RETENTION["helper_notice_messages"]).values(pending_messages=None)),
                "helper_links": self._purge_links(conn, now),
                "feedback": self._run(conn, delete(feedback).where(
                    feedback.c.created_at < now - RETENTION["feedback"])),
                "feedback_text": self._run(conn, update(feedback).where(
                    feedback.c.text.is_not(None), feedback.c.created_at < now - RETENTION["feedback_text"],
                ).values(text=None)),
                "reports": self._run(conn, delete(reports).where(reports.c.created_at < now - RETENTION["reports"])),
                "stats": self._purge_stats(conn, now),
            }

    @staticmethod
    def _run(conn: Connection, statement: object) -> int:
        """Execute and return the affected row count."""
        return int(conn.execute(statement).rowcount)  # type: ignore[call-overload]

    def _purge_links(self, conn: Connection, now: dt.datetime) -> int:
        """Ended links after their period, and requests nobody answered (their notices go with them)."""
        old = or_(
            helper_links.c.status.in_(("revoked", "declined")) & (helper_links.c.ended_at < now - RETENTION["helper_links"]),
            (helper_links.c.status == "pending") & (helper_links.c.created_at < now - RETENTION["pending_links"]),
        )
        conn.execute(delete(helper_notices).where(helper_notices.c.link_id.in_(select(helper_links.c.id).where(old))))
        return self._run(conn, delete(helper_links).where(old))

    def _purge_stats(self, conn: Connection, now: dt.datetime) -> int:
        """Daily counters older than their period."""
        first_day = (now - RETENTION["stats"]).astimezone(JST).date()
        return sum(self._run(conn, delete(table).where(table.c.day < first_day))
                   for table in (stat_checks, stat_brands, stat_rules))
