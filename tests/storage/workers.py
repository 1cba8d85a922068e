"""Code that runs in other processes during the concurrency tests (forked children open their own store)."""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy import Connection

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


_KEEP: list[object] = []  # parent connections stay referenced, so an id() is never reused for another object


def _marker(conn: Connection) -> str:
    """The server pid of a PostgreSQL connection, or the identity of the SQLite handle."""
    if conn.dialect.name == "postgresql":
        return str(conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one())
    handle = conn.connection.dbapi_connection
    _KEEP.append(handle)
    return str(id(handle))


def pooled_markers(store: Store) -> set[str]:
    """Markers of every connection waiting in the store's pool (all checked out at once, then returned)."""
    engine = store._engine
    conns = [engine.connect() for _ in range(max(1, engine.pool.checkedin()))]  # type: ignore[attr-defined]
    try:
        return {_marker(conn) for conn in conns}
    finally:
        for conn in conns:
            conn.close()


def claim_with_inherited_store(store: Store, results: Any) -> None:
    """Use the store the parent opened before forking (as gunicorn --preload workers do)."""
    claims = [store.claim_delivery("line", "in-child"), store.claim_delivery("line", "before-fork")]
    with store._engine.connect() as conn:
        results.put((claims, _marker(conn)))
