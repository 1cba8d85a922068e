"""Shared by the storage commands: settings → open store, with configuration errors as a message."""

from __future__ import annotations

import sys

from bot.config import ConfigError, Settings, load_settings
from bot.storage import Store, open_store


def settings_or_none() -> Settings | None:
    """The settings, or None after printing which variable is wrong."""
    try:
        return load_settings()
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return None


def store_or_none() -> Store | None:
    """The migrated store for DATABASE_URL, or None after printing why not."""
    settings = settings_or_none()
    return None if settings is None else open_store(settings)
