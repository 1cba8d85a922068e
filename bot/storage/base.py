"""What every part of the store shares: the engine, the clock, keyed hashing and transaction helpers."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import hmac
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Table, text
from sqlalchemy.dialects import postgresql, sqlite

from bot.storage.engine import WRITE, WRITE_BOOKKEEPING, turn_of, write_turns
from bot.storage.group_commit import GroupCommit

Clock = Callable[[], dt.datetime]
T = TypeVar("T")


def utcnow() -> dt.datetime:
    """The real clock (aware UTC); tests inject their own."""
    return dt.datetime.now(dt.UTC)


class StoreBase:
    """Engine, clock and key; subclasses add one concern each."""

    def __init__(self, engine: Engine, hash_key: bytes, clock: Clock) -> None:
        self._engine = engine
        self._key = hash_key
        self._clock = clock
        self._turns = write_turns(engine)
        self._group = GroupCommit(lambda: self._write(bookkeeping=True))

    def _now(self) -> dt.datetime:
        """Current time, aware UTC."""
        now = self._clock()
        return now if now.tzinfo else now.replace(tzinfo=dt.UTC)

    def _hash(self, kind: str, *parts: str) -> str:
        """Keyed HMAC-SHA256 (hex) of the parts; `kind` keeps hashes of different things apart."""
        message = "\x00".join((kind, *parts)).encode("utf-8")
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def _owner_hash(self, platform: str, owner: str) -> str:
        """The chat a kept result belongs to (user, group or channel id), as a keyed hash."""
        return self._hash("owner", platform, owner)

    @contextlib.contextmanager
    def _write(self, bookkeeping: bool = False) -> Iterator[Connection]:
        """A write transaction (BEGIN IMMEDIATE on SQLite, after its turn), committed on leaving the block.

        `bookkeeping`: nobody is told about this write (see engine.WRITE_BOOKKEEPING): no disk flush on SQLite.
        """
        options = WRITE_BOOKKEEPING if bookkeeping else WRITE
        with turn_of(self._turns), \
                self._engine.connect().execution_options(**options) as conn, conn.begin():
            yield conn

    def _bookkeeping(self, work: Callable[[Connection], T]) -> T:
        """Run `work` in a bookkeeping write shared with other threads' (group commit); it may run twice."""
        return self._group.run(work)

    @contextlib.contextmanager
    def _read(self) -> Iterator[Connection]:
        """A read-only transaction."""
        with self._engine.connect() as conn, conn.begin():
            yield conn

    def _lock(self, conn: Connection, name: str) -> None:
        """Serialise writers on `name` until the transaction ends (SQLite's IMMEDIATE already does)."""
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:name, 0))"), {"name": name})

    def _insert(self, conn: Connection, table: Table) -> Any:
        """The dialect's INSERT, which knows ON CONFLICT."""
        return _dialect_insert(conn.dialect.name, table)

    def _insert_ignore(self, conn: Connection, table: Table, values: dict[str, Any]) -> bool:
        """INSERT … ON CONFLICT DO NOTHING; True when the row is new."""
        return conn.execute(_insert_ignore(conn.dialect.name, table), values).first() is not None

    def _upsert(self, conn: Connection, table: Table, values: dict[str, Any]) -> None:
        """Insert the row, or overwrite every non-key column of the row with the same primary key."""
        conn.execute(_upsert(conn.dialect.name, table), values)

    def _add_counts(self, conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
        """Add each row's "count" to the counter row with its key (the table's primary key), creating it if new."""
        if rows:
            conn.execute(_add_counts(conn.dialect.name, table), rows)


# The hot statements are built once per dialect and table and executed with parameters: SQLAlchemy then
# reuses their compiled form instead of building and compiling a new statement for every event.

def _dialect_insert(dialect: str, table: Table) -> Any:
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(table)


def _key_names(table: Table) -> list[str]:
    return [column.name for column in table.primary_key.columns]


@functools.cache
def _insert_ignore(dialect: str, table: Table) -> Any:
    # RETURNING rather than rowcount: psycopg reports -1 for INSERT … ON CONFLICT.
    first_column = next(iter(table.primary_key.columns))
    return _dialect_insert(dialect, table).on_conflict_do_nothing().returning(first_column)


@functools.cache
def _upsert(dialect: str, table: Table) -> Any:
    statement = _dialect_insert(dialect, table)
    keys = _key_names(table)
    return statement.on_conflict_do_update(
        index_elements=keys, set_={c.name: statement.excluded[c.name] for c in table.columns if c.name not in keys})


@functools.cache
def _add_counts(dialect: str, table: Table) -> Any:
    statement = _dialect_insert(dialect, table)
    return statement.on_conflict_do_update(
        index_elements=_key_names(table), set_={"count": table.c["count"] + statement.excluded["count"]})
