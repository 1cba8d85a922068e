"""Family helper links: one-time codes, the watched user's consent, unlinking, and the helper notice cap."""

from __future__ import annotations

import datetime as dt
import secrets
import unicodedata
import uuid
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, or_, select, update

from bot.storage.base import StoreBase
from bot.storage.recent import forget_shared_texts
from bot.storage.schema import helper_links, helper_notices, link_attempts, link_codes, user_prefs
from bot.storage.values import HelperLink, PendingNotice, RedeemResult

CODE_TTL = dt.timedelta(minutes=10)
PENDING_TTL = dt.timedelta(days=1)  # a helper's request the user never answered lapses after this
MAX_WRONG = 5
WRONG_WINDOW = dt.timedelta(minutes=15)
JST = dt.timezone(dt.timedelta(hours=9), "JST")  # the helper's "day" is a Japanese calendar day
# How long the bot itself keeps sending a notice the platform did not take: after a day it is no longer news, and
# its messages (which may quote the text, when the user shares it) should not wait in the database longer.
RESEND_WINDOW = dt.timedelta(days=1)


def _link_query() -> Any:
    """Links with the watched user's share choice joined in."""
    share = func.coalesce(user_prefs.c.share_full_text, False).label("share_full_text")
    joined = helper_links.outerjoin(user_prefs, and_(
        user_prefs.c.platform == helper_links.c.platform, user_prefs.c.user_id == helper_links.c.user_id,
    ))
    return select(helper_links, share).select_from(joined)


# Built once: the hot paths (every dangerous verdict asks for helpers) skip building and hashing a new statement.
_HELPERS_OF = _link_query().where(
    helper_links.c.platform == bindparam("platform"), helper_links.c.user_id == bindparam("user_id"),
    helper_links.c.status == "confirmed",
).order_by(helper_links.c.id)


def _to_link(row: Any) -> HelperLink:
    """A row of _link_query() as a value."""
    return HelperLink(
        id=row.id, platform=row.platform, user_id=row.user_id, helper_id=row.helper_id, status=row.status,
        share_full_text=bool(row.share_full_text), created_at=row.created_at, confirmed_at=row.confirmed_at,
    )


def _clean_code(code: str) -> str:
    """Full-width digits and spacing a phone keyboard may add are not the helper's mistake."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", code) if ch.isdigit())


class LinkStore(StoreBase):
    """Helper links on top of the shared store base."""

    helper_daily_cap: int

    def create_link_code(self, platform: str, user_id: str) -> str:
        """Six random digits, single use, valid 10 minutes; replaces the user's previous code."""
        now = self._now()
        with self._write() as conn:
            self._lock(conn, f"codes:{platform}")
            conn.execute(delete(link_codes).where(link_codes.c.platform == platform, link_codes.c.user_id == user_id))
            while True:
                code = f"{secrets.randbelow(1_000_000):06d}"
                code_hash = self._hash("code", platform, code)
                same = (link_codes.c.platform == platform) & (link_codes.c.code_hash == code_hash)
                taken = conn.execute(select(link_codes.c.expires_at).where(same)).first()
                if taken is not None and taken.expires_at > now:
                    continue  # another user's live code: draw again
                conn.execute(delete(link_codes).where(same))
                conn.execute(insert(link_codes).values(
                    platform=platform, user_id=user_id, code_hash=code_hash, created_at=now, expires_at=now + CODE_TTL,
                ))
                return code

    def redeem_link_code(self, platform: str, helper_id: str, code: str) -> RedeemResult:
        """A helper types the user's code: a pending link awaiting the user's consent, or why not."""
        now = self._now()
        with self._write() as conn:
            self._lock(conn, f"redeem:{platform}:{helper_id}")
            mine = (link_attempts.c.platform == platform) & (link_attempts.c.helper_id == helper_id)
            wrong = conn.execute(select(func.count()).where(mine, link_attempts.c.at > now - WRONG_WINDOW)).scalar_one()
            if wrong >= MAX_WRONG:
                return RedeemResult("locked")
            code_hash = self._hash("code", platform, _clean_code(code))
            same = (link_codes.c.platform == platform) & (link_codes.c.code_hash == code_hash)
            row = conn.execute(select(link_codes).where(same)).first()
            if row is None:
                conn.execute(insert(link_attempts).values(platform=platform, helper_id=helper_id, at=now))
                return RedeemResult("wrong")
            if row.expires_at <= now:
                return RedeemResult("expired")
            if row.user_id == helper_id:
                return RedeemResult("self")
            if conn.execute(delete(link_codes).where(same)).rowcount != 1:
                return RedeemResult("wrong")  # another helper used it a moment ago
            conn.execute(delete(link_attempts).where(mine))
            link_id = self._new_pending(conn, platform, row.user_id, helper_id, now)
            return RedeemResult("ok", link_id, row.user_id)

    def _new_pending(self, conn: Connection, platform: str, user_id: str, helper_id: str, now: dt.datetime) -> int:
        """A pending link; an older unanswered request between the same two people lapses."""
        pair = (helper_links.c.platform == platform) & (helper_links.c.user_id == user_id) & (
            helper_links.c.helper_id == helper_id)
        conn.execute(update(helper_links).where(pair, helper_links.c.status == "pending")
                     .values(status="declined", ended_at=now))
        result = conn.execute(insert(helper_links).values(
            platform=platform, user_id=user_id, helper_id=helper_id, status="pending", created_at=now,
        ).returning(helper_links.c.id))
        return int(result.scalar_one())

    def confirm_link(self, platform: str, user_id: str, link_id: int, accept: bool) -> HelperLink | None:
        """The watched user's consent or refusal; None when that user has no such pending link."""
        now = self._now()
        with self._write() as conn:
            self._lock(conn, f"link:{link_id}")
            row = conn.execute(select(helper_links).where(
                helper_links.c.id == link_id, helper_links.c.platform == platform, helper_links.c.user_id == user_id,
                helper_links.c.status == "pending", helper_links.c.created_at > now - PENDING_TTL,
            )).first()
            if row is None:
                return None
            if accept:
                # One confirmed link per pair: a re-link replaces the old one.
                conn.execute(update(helper_links).where(
                    helper_links.c.platform == platform, helper_links.c.user_id == user_id,
                    helper_links.c.helper_id == row.helper_id, helper_links.c.status == "confirmed",
                ).values(status="revoked", ended_at=now))
                values: dict[str, Any] = {"status": "confirmed", "confirmed_at": now}
            else:
                values = {"status": "declined", "ended_at": now}
            conn.execute(update(helper_links).where(helper_links.c.id == link_id).values(**values))
            return _to_link(conn.execute(_link_query().where(helper_links.c.id == link_id)).one())

    def link(self, link_id: int) -> HelperLink | None:
        """One link by id, whatever its status."""
        with self._read() as conn:
            row = conn.execute(_link_query().where(helper_links.c.id == link_id)).first()
        return None if row is None else _to_link(row)

    def helpers_of(self, platform: str, user_id: str) -> list[HelperLink]:
        """Confirmed links watching this user."""
        with self._read() as conn:
            return self._helpers_of(conn, platform, user_id)

    def _helpers_of(self, conn: Connection, platform: str, user_id: str) -> list[HelperLink]:
        return [_to_link(row) for row in conn.execute(_HELPERS_OF, {"platform": platform, "user_id": user_id})]

    def links_involving(self, platform: str, someone: str) -> list[HelperLink]:
        """Confirmed links where someone is the watched user or the helper."""
        with self._read() as conn:
            rows = conn.execute(_link_query().where(
                helper_links.c.platform == platform, helper_links.c.status == "confirmed",
                or_(helper_links.c.user_id == someone, helper_links.c.helper_id == someone),
            ).order_by(helper_links.c.id)).all()
        return [_to_link(row) for row in rows]

    def unlink(self, platform: str, someone: str, link_id: int | None = None) -> list[HelperLink]:
        """Revoke every pending or confirmed link of someone (either side), or only `link_id` when it is theirs;
        returns the revoked links so both sides can be told."""
        now = self._now()
        live = (helper_links.c.platform == platform) & helper_links.c.status.in_(("pending", "confirmed")) & or_(
            helper_links.c.user_id == someone, helper_links.c.helper_id == someone)
        if link_id is not None:
            live = live & (helper_links.c.id == link_id)
        with self._write() as conn:
            ids = list(conn.execute(select(helper_links.c.id).where(live)).scalars())
            if not ids:
                return []
            conn.execute(update(helper_links).where(helper_links.c.id.in_(ids)).values(status="revoked", ended_at=now))
            rows = conn.execute(_link_query().where(helper_links.c.id.in_(ids)).order_by(helper_links.c.id)).all()
            # No helper to show them to any more: texts kept for the 「家族に知らせる」 button go now.
            forget_shared_texts(conn, {self._owner_hash(platform, row.user_id) for row in rows})
        return [_to_link(row) for row in rows]

    def set_share_full_text(self, platform: str, user_id: str, share: bool) -> None:
        """The watched user's choice: helpers get the full text, or only a summary (the default)."""
        with self._write() as conn:
            self._upsert(conn, user_prefs, {
                "platform": platform, "user_id": user_id, "share_full_text": share, "updated_at": self._now()})
            if not share:
                forget_shared_texts(conn, [self._owner_hash(platform, user_id)])

    def helper_notice_turn(self, link_id: int, message_key: str, new_only: bool = False) -> str | None:
        """The notice's id (LINE's retry key, Slack's metadata) to send it with now, or None when it must not be sent.

        The first call for a (link, message) takes a place within the daily cap and a new key. Until the
        notice is marked delivered (`helper_notice_delivered`), later calls get the same key back: LINE drops
        a push whose retry key it already accepted (409), so sending again cannot deliver it twice, and a
        notice whose pushes all failed is not lost. None for a delivered notice, a full cap or an ended link.
        `new_only`: None for a notice taken before too (Slack: only its resend job, which first looks whether an
        earlier try arrived, may send it again).
        """
        return self._notice_place(link_id, message_key, new_only)

    def helper_notice_delivered(self, link_id: int, message_key: str) -> None:
        """The platform accepted the notice: no later turn for it, and its kept messages are dropped."""
        self._update_notice(link_id, message_key, delivered_at=self._now(), pending_messages=None)

    def helper_notice_failed(self, link_id: int, message_key: str, messages: str) -> None:
        """Every attempt failed: keep the notice's messages (JSON) so the resend loop can send it later."""
        self._update_notice(link_id, message_key, pending_messages=messages)

    def pending_helper_notices(self, platform: str, limit: int = 100) -> list[PendingNotice]:
        """Notices still to be sent again: not delivered, within RESEND_WINDOW, on a still confirmed link."""
        with self._read() as conn:
            rows = conn.execute(
                select(helper_notices.c.link_id, helper_notices.c.message_hash, helper_notices.c.retry_key,
                       helper_notices.c.pending_messages, helper_links.c.helper_id)
                .join(helper_links, helper_links.c.id == helper_notices.c.link_id)
                .where(helper_links.c.platform == platform, helper_links.c.status == "confirmed",
                       helper_notices.c.delivered_at.is_(None), helper_notices.c.pending_messages.is_not(None),
                       helper_notices.c.sent_at >= self._now() - RESEND_WINDOW)
                .order_by(helper_notices.c.sent_at).limit(limit)).all()
        return [PendingNotice(link_id=r.link_id, message_hash=r.message_hash, helper_id=r.helper_id,
                              retry_key=r.retry_key, messages=r.pending_messages) for r in rows]

    def pending_notice_delivered(self, notice: PendingNotice) -> None:
        """The resend loop got a notice through (or found that the platform already had it)."""
        with self._write() as conn:
            self._update_undelivered(conn, notice.link_id, notice.message_hash,
                                     delivered_at=self._now(), pending_messages=None)

    def _update_notice(self, link_id: int, message_key: str, **values: Any) -> None:
        """Set values on the notice for this message while it is undelivered (and its link confirmed)."""
        with self._write() as conn:
            message_hash = self._notice_hash(conn, link_id, message_key)
            if message_hash is not None:
                self._update_undelivered(conn, link_id, message_hash, **values)

    @staticmethod
    def _update_undelivered(conn: Connection, link_id: int, message_hash: str, **values: Any) -> None:
        conn.execute(update(helper_notices).where(
            helper_notices.c.link_id == link_id, helper_notices.c.message_hash == message_hash,
            helper_notices.c.delivered_at.is_(None)).values(**values))

    def _notice_hash(self, conn: Connection, link_id: int, message_key: str) -> str | None:
        """The message's keyed hash on the link's platform, or None when the link is not confirmed."""
        platform = conn.execute(select(helper_links.c.platform).where(
            helper_links.c.id == link_id, helper_links.c.status == "confirmed")).scalar_one_or_none()
        return None if platform is None else self._hash("message", platform, message_key)

    def _notice_place(self, link_id: int, message_key: str, new_only: bool) -> str | None:
        """Take (or find) the notice's place in the daily cap; the key to send with, or None."""
        now = self._now()
        today = now.astimezone(JST).date()
        with self._write() as conn:
            self._lock(conn, f"link:{link_id}")
            message_hash = self._notice_hash(conn, link_id, message_key)
            if message_hash is None:
                return None
            row = conn.execute(select(helper_notices.c.retry_key, helper_notices.c.delivered_at).where(
                helper_notices.c.link_id == link_id, helper_notices.c.message_hash == message_hash)).first()
            if row is not None:  # taken before: again only while it is not known to have arrived
                again = row.retry_key and row.delivered_at is None and not new_only
                return str(row.retry_key) if again else None
            sent = conn.execute(select(func.count()).where(
                helper_notices.c.link_id == link_id, helper_notices.c.day == today)).scalar_one()
            if sent >= self.helper_daily_cap:
                return None
            retry_key = str(uuid.uuid4())
            taken = self._insert_ignore(conn, helper_notices, {
                "link_id": link_id, "message_hash": message_hash, "day": today, "sent_at": now,
                "retry_key": retry_key, "delivered_at": None,
            })
            return retry_key if taken else None
