"""Engines: SQLite in WAL mode with a busy timeout and IMMEDIATE write transactions; PostgreSQL as is."""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.pool import Pool

BUSY_TIMEOUT_MS = 30_000
# Write transactions ask for one of these execution options; on SQLite they then start with BEGIN IMMEDIATE, so
# two writers queue on the busy timeout instead of failing when a read lock cannot be upgraded.
WRITE = {"sagi_write": True}
# Bookkeeping nobody was told about (webhook claims, results kept for buttons, counts) skips the disk flush on
# SQLite: a power cut may lose the last few such commits, never corrupt the file. The next durable commit
# flushes them too (WAL), and every write a person was told about (links, consent, deletions) is durable.
WRITE_BOOKKEEPING = {"sagi_write": True, "sagi_bookkeeping": True}


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
        options = conn.get_execution_options()
        if options.get("sagi_write", False):
            sync = "NORMAL" if options.get("sagi_bookkeeping", False) else "FULL"
            set_synchronous(conn.connection.info, conn.exec_driver_sql, sync)
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def set_synchronous(info: dict[str, Any], execute: Callable[[str], object], level: str) -> None:
    """PRAGMA synchronous = `level` on a SQLite connection, only on change (`info` lives as long as it does)."""
    if info.get("sagi_sync") != level:
        execute(f"PRAGMA synchronous = {level}")
        info["sagi_sync"] = level


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
    # hide_parameters: a database error's message would otherwise carry the statement's values (a kept text,
    # an id) into the logs.
    if parsed.get_backend_name() == "sqlite":
        # A worker has dozens of threads (requests, LINE workers): with the default 5 pooled connections most
        # checkouts opened a new SQLite connection (pragmas and all) and closed it again.
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
                               pool_size=20, max_overflow=30, hide_parameters=True)
        _sqlite_events(engine)
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10, hide_parameters=True)
    _forget_pool_after_fork(engine)
    return engine


class WriteTurns:
    """Writers to one SQLite file take turns here and are woken the moment the file is free.

    SQLite's own busy handler makes a waiting writer sleep in growing steps (up to 100 ms) and retry; with
    dozens of worker threads in two gunicorn workers, most of them slept while nobody held the lock and a
    profile under load showed the workers waiting, not working. A thread lock queues this process's writers,
    an flock on a file beside the database queues the other processes; the busy timeout stays as a backstop
    for writers that do not come through here (migrations, the CLI).
    """

    def __init__(self, database: str | None) -> None:
        self._path = f"{database}.writers" if database and database != ":memory:" else None
        self._thread_lock = threading.Lock()
        self._fd: int | None = None
        self._pid = 0

    def _file(self) -> int:
        """The lock file, opened once per process: a descriptor inherited over fork would share the lock."""
        if self._fd is None or self._pid != os.getpid():
            self._fd = os.open(self._path or "", os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        return self._fd

    @contextlib.contextmanager
    def turn(self) -> Iterator[None]:
        """Hold the write turn for the block."""
        with self._thread_lock:
            if self._path is None:
                yield
                return
            fd = self._file()
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)


def turn_of(turns: WriteTurns | None) -> AbstractContextManager[None]:
    """Hold SQLite's write turn for the block; nothing to hold on PostgreSQL (write_turns gave None)."""
    return turns.turn() if turns else contextlib.nullcontext()


def write_turns(engine: Engine) -> WriteTurns | None:
    """SQLite's writer queue for this engine's file, or None for PostgreSQL (rows lock themselves)."""
    return WriteTurns(engine.url.database) if is_sqlite(engine) else None


def is_sqlite(engine: Engine) -> bool:
    """True for the embedded database."""
    return engine.dialect.name == "sqlite"
