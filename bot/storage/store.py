"""The Store: the one interface the channels use for state (SQLite or PostgreSQL via SQLAlchemy 2)."""

from __future__ import annotations

import logging

from sqlalchemy import text

from bot.storage.base import Clock, utcnow
from bot.storage.engine import build_engine
from bot.storage.links import LinkStore
from bot.storage.migrate import upgrade
from bot.storage.privacy import PrivacyStore
from bot.storage.recent import RecentStore
from bot.storage.records import RecordStore

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
        if migrate:
            upgrade(engine)
        log.info("store open: %s", engine.url.render_as_string(hide_password=True))

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
        """Release the connections (tests, and the CLI when done)."""
        self._engine.dispose()
