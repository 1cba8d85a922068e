"""The Store: the one interface the channels use for state (SQLite or PostgreSQL via SQLAlchemy 2)."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Connection, text

from bot.models import CheckResult, Verdict
from bot.storage.base import Clock, utcnow
from bot.storage.engine import build_engine, is_sqlite
from bot.storage.inbox import InboxStore, inbox_engine, side_file
from bot.storage.links import LinkStore
from bot.storage.migrate import upgrade
from bot.storage.privacy import PrivacyStore
from bot.storage.recent import RecentStore
from bot.storage.records import RecordStore
from bot.storage.values import KeptAnswer

log = logging.getLogger(__name__)


class Store(LinkStore, RecordStore, PrivacyStore, RecentStore):
    """Helper links, deliveries, group settings, feedback, reports, statistics, recent checks and retention."""

    def __init__(self, url: str, hash_key: bytes, helper_daily_cap: int = 5, *, clock: Clock = utcnow,
                 migrate: bool = True) -> None:
        if not hash_key:
            raise ValueError("hash_key must not be empty")
        engine = build_engine(url)
        super().__init__(engine, hash_key, clock)
        self.helper_daily_cap = helper_daily_cap
        self._inbox: InboxStore | None = None
        self._inbox_lock = threading.Lock()
        if migrate:
            upgrade(engine)
        log.info("store open: %s", engine.url.render_as_string(hide_password=True))

    def keep_answer(self, platform: str, claims: Sequence[str], key: str, owner: str, result: CheckResult, *,
                    text: str | None = None, message_ids: tuple[str, ...] = (),
                    with_helpers: bool = False) -> KeptAnswer | None:
        """Claim the webhook events, keep the result for the buttons, and read the owner's helpers: one write.

        An answered message is the bot's busiest path; one transaction instead of three keeps it short. None when
        every event in `claims` was claimed before (a duplicate delivery): nothing kept, nothing to send.
        """
        row = self._recent_row(platform, key, owner, result, text, message_ids)
        # Read before the write: every writer waits while a write runs, and these reads need no write lock.
        # The helpers (for the notices, which check the link again when sent) and whether the text may be
        # kept at all: only then does the write itself look at the owner's sharing choice again.
        flagged = result.verdict is not Verdict.NO_SIGNS
        links = tuple(self.helpers_of(platform, owner)) if with_helpers or (flagged and text is not None) else ()
        may_share = any(link.share_full_text for link in links)

        def work(conn: Connection) -> KeptAnswer | None:
            fresh = [self._claim(conn, platform, claim) for claim in claims]  # every id, even after a duplicate
            if claims and not any(fresh):
                return None
            kept = self._keep_recent(conn, row, platform, owner, result, text, may_share=may_share)
            return KeptAnswer(text_kept=kept, helpers=links if with_helpers else ())

        return self._bookkeeping(work)

    @property
    def inbox(self) -> InboxStore:
        """The queue between the web process and `python -m bot worker` (EVENT_QUEUE=database), opened on first use."""
        with self._inbox_lock:
            if self._inbox is None:
                self._inbox = InboxStore(inbox_engine(self._engine), self._clock)
            return self._inbox

    def purge_expired(self, now: dt.datetime | None = None) -> dict[str, int]:
        """Enforce RETENTION, the inbox included (when this database has one in use)."""
        now = now or self._now()
        purged = super().purge_expired(now)
        database = self._engine.url.database or ""
        in_use = self._inbox is not None or not is_sqlite(self._engine) or Path(side_file(database)).exists()
        purged["inbox"] = self.inbox.purge_expired(now) if in_use else 0
        return purged

    @property
    def dialect(self) -> str:
        """"sqlite" or "postgresql"."""
        return self._engine.dialect.name

    def ping(self) -> bool:
        """True when the database answers (for /readyz)."""
        try:
            with self._engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except Exception:  # any driver error means not ready; the reason is logged, not raised
            log.warning("store ping failed", exc_info=True)
            return False

    def close(self) -> None:
        """Write pending counts and release the connections (tests, and the CLI when done)."""
        self.flush_counts()
        if self._inbox is not None:
            self._inbox.close()
        self._engine.dispose()
