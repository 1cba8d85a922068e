"""Engines: SQLite in WAL mode with a busy timeout and IMMEDIATE write transactions; PostgreSQL as is."""

from __future__ import annotations

import os
import weakref
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.pool import Pool

BUSY_TIMEOUT_MS = 30_000
# Write transactions ask for this execution option; on SQLite they then start with BEGIN IMMEDIATE, so two
# writers queue on the busy timeout instead of failing when a read lock cannot be upgraded.
WRITE = {"sagi_write": True}


def _sqlite_events(engine: Engine) -> None:
    """Pragmas on every new connection, and our own BEGIN (pysqlite's implicit transactions are off)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        # FULL: a commit the user was told about survives a crash of the machine, not just of the process.
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("sagi_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


_INHERITED_POOLS: list[Pool] = []


def _forget_pool_after_fork(engine: Engine) -> None:
    """A forked child (gunicorn --preload, multiprocessing) must not reuse the parent's connections."""
    ref = weakref.ref(engine)

    def _after_fork() -> None:
        alive = ref()
        if alive is not None:
            # Keep the parent's pool referenced: if its connections were garbage-collected here, the driver
            # would say goodbye to the server on sockets the parent is still using.
            _INHERITED_POOLS.append(alive.pool)
            alive.dispose(close=False)

    os.register_at_fork(after_in_child=_after_fork)


def build_engine(url: str) -> Engine:
    """An engine for DATABASE_URL; SQLite gets WAL, busy timeout and IMMEDIATE writes."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False})
        _sqlite_events(engine)
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    _forget_pool_after_fork(engine)
    return engine


def is_sqlite(engine: Engine) -> bool:
    """True for the embedded database."""
    return engine.dialect.name == "sqlite"
