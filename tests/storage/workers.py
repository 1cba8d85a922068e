"""Code that runs in other processes during the concurrency tests (forked children open their own store)."""

from __future__ import annotations

import random
from typing import Any

from bot.storage import Store

KEY = b"test-hash-key-0123456789abcdef0123456789"


def claim_all(url: str, ids: list[str], start: Any, results: Any) -> None:
    """Open a store of our own, wait for the others, then claim every id (in our own order) and count checks."""
    store = Store(url, KEY)
    order = ids[:]
    random.shuffle(order)
    start.wait(timeout=60)
    won = [delivery_id for delivery_id in order if store.claim_delivery("line", delivery_id)]
    for _ in range(10):
        store.record_check("line", "danger", "sagawa", ["r1"])
    store.close()
    results.put(won)


def open_only(url: str, start: Any, results: Any) -> None:
    """Open a store (migrating a fresh database) at the same moment as others."""
    start.wait(timeout=60)
    store = Store(url, KEY)
    results.put(store.ping())
    store.close()
