"""What every part of the store shares: the engine, the clock, keyed hashing and transaction helpers."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import Connection, Engine, Table, text
from sqlalchemy.dialects import postgresql, sqlite

from bot.storage.engine import WRITE

Clock = Callable[[], dt.datetime]


def utcnow() -> dt.datetime:
    """The real clock (aware UTC); tests inject their own."""
    return dt.datetime.now(dt.UTC)


class StoreBase:
    """Engine, clock and key; subclasses add one concern each."""

    def __init__(self, engine: Engine, hash_key: bytes, clock: Clock) -> None:
        self._engine = engine
        self._key = hash_key
        self._clock = clock

    def _now(self) -> dt.datetime:
        """Current time, aware UTC."""
        now = self._clock()
        return now if now.tzinfo else now.replace(tzinfo=dt.UTC)

    def _hash(self, kind: str, *parts: str) -> str:
        """Keyed HMAC-SHA256 (hex) of the parts; `kind` keeps hashes of different things apart."""
        message = "\x00".join((kind, *parts)).encode("utf-8")
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    @contextlib.contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction (BEGIN IMMEDIATE on SQLite), committed on leaving the block."""
        with self._engine.connect().execution_options(**WRITE) as conn, conn.begin():
            yield conn

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
        module = postgresql if conn.dialect.name == "postgresql" else sqlite
        return module.insert(table)

    def _insert_ignore(self, conn: Connection, table: Table, values: dict[str, Any]) -> bool:
        """INSERT … ON CONFLICT DO NOTHING; True when the row is new."""
        # RETURNING rather than rowcount: psycopg reports -1 for INSERT … ON CONFLICT.
        first_column = next(iter(table.primary_key.columns))
        statement = self._insert(conn, table).values(**values).on_conflict_do_nothing().returning(first_column)
        return conn.execute(statement).first() is not None

    def _increment(self, conn: Connection, table: Table, *keys: dict[str, Any]) -> None:
        """Add one to each counter row (same key columns), creating missing ones at 1: one statement for all."""
        if not keys:
            return
        statement = self._insert(conn, table).values([{**key, "count": 1} for key in keys])
        statement = statement.on_conflict_do_update(
            index_elements=list(keys[0]), set_={"count": table.c["count"] + statement.excluded["count"]},
        )
        conn.execute(statement)
