"""Platform-neutral state: helper links, deliveries, group settings, feedback, community reports, retention."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url

from bot.storage.keys import instance_hash_key
from bot.storage.store import Store
from bot.storage.values import (
    GroupSettings,
    HelperLink,
    KeptAnswer,
    PendingNotice,
    RecentRow,
    RedeemResult,
    ReportRow,
    Stats,
)

if TYPE_CHECKING:  # settings (pydantic) are not needed to use a Store, only to open one from the environment
    from bot.config import Settings

__all__ = ["GroupSettings", "HelperLink", "KeptAnswer", "PendingNotice", "RecentRow", "RedeemResult", "ReportRow",
           "Stats", "Store", "hash_key_for", "open_store"]

log = logging.getLogger(__name__)


def hash_key_for(settings: Settings) -> bytes:
    """HASH_KEY when set, otherwise the key kept in the instance folder."""
    configured = settings.hash_key.get_secret_value()
    if configured:
        return configured.encode("utf-8")
    if make_url(settings.effective_database_url).get_backend_name() != "sqlite":
        # Several machines would each derive their own key and stop recognising each other's reporters.
        log.warning("HASH_KEY is not set: using instance/hash_key; set HASH_KEY when several machines share the database")
    return instance_hash_key(settings.instance_path)


def open_store(settings: Settings) -> Store:
    """The store for these settings: creates the instance folder and migrates the schema to the newest version."""
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    return Store(settings.effective_database_url, hash_key_for(settings), settings.helper_daily_cap)
