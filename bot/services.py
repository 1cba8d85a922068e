"""The long-lived objects a running app shares: settings, knowledge, detector and store."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from bot.detect import Detector
from bot.knowledge import Knowledge, load
from bot.storage import Store, open_store


@dataclass
class Services:
    """Built once per process by the app factory and handed to every handler."""

    settings: Settings
    knowledge: Knowledge
    detector: Detector
    store: Store | None = None  # None only in tests that need no database


def build_services(settings: Settings) -> Services:
    """Load knowledge, open the store and build the detector (community reports come from the store)."""
    knowledge = load()
    store = open_store(settings)
    detector = Detector(knowledge, community=store, community_threshold=settings.community_threshold)
    return Services(settings=settings, knowledge=knowledge, detector=detector, store=store)
