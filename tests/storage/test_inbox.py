"""The inbox between the web process and the answering process, on SQLite and PostgreSQL."""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import DBAPIError

import bot.storage.inbox as inbox_module
from bot.storage import Store
from bot.storage.inbox import LEASE, MAX_TRIES, RESTART_LOG_PAGES
from bot.storage.privacy import RETENTION
from bot.storage.schema import inbox
from tests.conftest import sqlite_log
from tests.storage.conftest import START, FakeClock


def inbox_url(url: str) -> str:
    """Where the inbox lives: a file of its own beside a SQLite store, the same database otherwise."""
    return url + "-inbox" if url.startswith("sqlite") else url


def bodies(url: str) -> list[bytes]:
    """Every queued body, read behind the store's back."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [bytes(body) for body in conn.execute(select(inbox.c.body).order_by(inbox.c.id)).scalars()]
    finally:
        engine.dispose()


def test_deliveries_are_taken_oldest_first_once_and_deleted_when_finished(store: Store, database_url: str) -> None:
    for n in range(5):
        store.inbox.queue_delivery("line", b'{"events":[%d]}' % n)
    store.inbox.queue_delivery("slack", b"other platform")

    assert store.inbox.has_free_delivery("line")
    first = store.inbox.take_deliveries("line", 3)
    second = store.inbox.take_deliveries("line", 10)
    assert not store.inbox.has_free_delivery("line") and store.inbox.has_free_delivery("slack")

    assert [q.body for q in first] == [b'{"events":[0]}', b'{"events":[1]}', b'{"events":[2]}']
    assert [q.body for q in second] == [b'{"events":[3]}', b'{"events":[4]}']  # leased ones are not handed out again
    assert store.inbox.take_deliveries("line", 10) == []
    assert store.inbox.queued_deliveries("line") == 5 and store.inbox.queued_deliveries("slack") == 1
    assert store.inbox.take_deliveries("line", 0, finished=[q.id for q in first + second]) == []
    assert store.inbox.queued_deliveries("line") == 0 and bodies(inbox_url(database_url)) == [b"other platform"]


def test_a_delivery_whose_worker_died_is_taken_again_after_the_lease_then_dropped(
        store: Store, clock: FakeClock) -> None:
    store.inbox.queue_delivery("line", b"body")
    taken = [store.inbox.take_deliveries("line", 1)]
    clock.advance(seconds=LEASE.total_seconds() - 1)
    assert store.inbox.take_deliveries("line", 1) == []  # still leased
    for _ in range(MAX_TRIES - 1):
        clock.advance(seconds=LEASE.total_seconds())
        taken.append(store.inbox.take_deliveries("line", 1))
    assert [len(t) for t in taken] == [1] * MAX_TRIES
    assert taken[0][0].received_at == taken[-1][0].received_at == START  # queued with the driver, read as SQLAlchemy
    clock.advance(seconds=LEASE.total_seconds())
    assert store.inbox.take_deliveries("line", 1) == [] and store.inbox.queued_deliveries("line") == 0


def test_concurrent_takers_never_share_a_delivery(open_store: Callable[..., Store]) -> None:
    writer = open_store()
    for n in range(200):
        writer.inbox.queue_delivery("line", str(n).encode())
    takers = [open_store() for _ in range(4)]
    got: list[list[bytes]] = [[] for _ in takers]

    def take(i: int) -> None:
        while batch := takers[i].inbox.take_deliveries("line", 7):
            got[i].extend(q.body for q in batch)

    threads = [threading.Thread(target=take, args=(i,)) for i in range(len(takers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = [body for bodies_ in got for body in bodies_]
    assert sorted(everything, key=int) == [str(n).encode() for n in range(200)]  # each exactly once


def test_retention_drops_deliveries_nobody_took(store: Store, clock: FakeClock) -> None:
    store.inbox.queue_delivery("line", b"never taken")
    assert store.purge_expired(clock.now + RETENTION["inbox"])["inbox"] == 0
    assert store.purge_expired(clock.now + RETENTION["inbox"] + LEASE)["inbox"] == 1


def test_processes_opening_a_new_sqlite_inbox_together_all_get_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    Store(url, b"key").close()  # the store's own file exists (migrated); its inbox file does not yet
    context = multiprocessing.get_context("fork")
    with context.Pool(6) as pool:
        outcomes = pool.map(_open_inbox, [url] * 6)
    assert outcomes == ["ok"] * 6


def _open_inbox(url: str) -> str:
    """In a fresh process: open the store's inbox (created by whichever comes first) and queue into it."""
    store = Store(url, b"key", migrate=False)
    try:
        store.inbox.queue_delivery("line", b"body")
        return "ok"
    except Exception as exc:  # reported to the test, whatever it is
        return repr(exc)
    finally:
        store.close()


def test_deleted_bodies_leave_the_sqlite_file_and_its_log(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'store.sqlite3'}", b"key")
    secret = "ミカン星人の合言葉".encode()
    try:
        for _ in range(20):
            store.inbox.queue_delivery("line", secret * 10)
        files = [tmp_path / "store.sqlite3-inbox", tmp_path / "store.sqlite3-inbox-wal"]
        assert any(secret in f.read_bytes() for f in files if f.exists()), "control: the bodies are on disk"
        taken = store.inbox.take_deliveries("line", 100)
        store.inbox.take_deliveries("line", 0, finished=[q.id for q in taken])
        store.inbox.forget_deleted()
        assert not any(secret in f.read_bytes() for f in files if f.exists())
    finally:
        store.close()


def test_queueing_leaves_copying_the_sqlite_log_to_the_rounds_which_copy_it_while_others_write(tmp_path: Path) -> None:
    """SQLite's own checkpoint ran inside whichever commit passed 1,000 pages of log, holding the write turn 4–5
    ms: every webhook queued behind it. A round copies the log while another process holds the turn. The log
    starts afresh only at a write that finds all of it copied, which steady queueing never left by chance: a
    long log is copied to the end under the turn, and then the next write starts it afresh."""
    store = Store(f"sqlite:///{tmp_path / 'store.sqlite3'}", b"key")
    side = tmp_path / "store.sqlite3-inbox"
    for _ in range(300):
        store.inbox.queue_delivery("line", b"x" * 500)
    reader = _reading(side)  # a reader (the web counting deliveries) holds the copy back to here
    try:
        for _ in range(300):  # two pages of log or more each (the row, its index entry): past SQLite's 1,000
            store.inbox.queue_delivery("line", b"x" * 500)
        pages, copied = sqlite_log(side)
        assert pages > RESTART_LOG_PAGES and copied == 0, "a webhook's INSERT copied the log into the file"

        writers = os.open(f"{side}.writers", os.O_RDWR)  # the write turn, as another process holds it
        fcntl.flock(writers, fcntl.LOCK_EX)
        checkpoint = threading.Thread(target=store.inbox.checkpoint)
        try:
            checkpoint.start()
            deadline = time.monotonic() + 10
            while sqlite_log(side)[1] == 0 and time.monotonic() < deadline:
                time.sleep(0.01)
            assert 0 < sqlite_log(side)[1] < pages, "the copy waited for the write turn"
        finally:
            reader.execute("COMMIT")
            fcntl.flock(writers, fcntl.LOCK_UN)
            os.close(writers)
        checkpoint.join(10)
        store.inbox.queue_delivery("line", b"x" * 500)
        assert sqlite_log(side)[0] < 10, "the log did not start afresh"
    finally:
        reader.close()
        store.close()


def test_a_round_that_fails_midway_deletes_nothing_and_leaves_no_transaction_open(
        store: Store, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(2):
        store.inbox.queue_delivery("line", f"body {n}".encode())
    first = store.inbox.take_deliveries("line", 1)
    broken = "UPDATE inbox SET no_such_column = 1 RETURNING id, tries"  # fails after the round's DELETE
    monkeypatch.setattr(inbox_module, "_LEASE_QMARK", broken)
    monkeypatch.setattr(inbox_module, "_LEASE", text(broken))
    with pytest.raises((sqlite3.OperationalError, DBAPIError)):  # the driver's own on SQLite
        store.inbox.take_deliveries("line", 1, finished=[q.id for q in first])
    monkeypatch.undo()
    assert bodies(inbox_url(database_url)) == [b"body 0", b"body 1"]  # the DELETE went with the round
    store.inbox.queue_delivery("line", b"body 2")  # no writer waits for a transaction left open
    assert [q.body for q in store.inbox.take_deliveries("line", 5, finished=[q.id for q in first])] == [
        b"body 1", b"body 2"]


def test_wiping_the_sqlite_log_does_not_wait_for_a_reader(tmp_path: Path) -> None:
    """It holds the write turn: waiting for a reader (SQLite's busy timeout, 30 s) held every webhook too."""
    store = Store(f"sqlite:///{tmp_path / 'store.sqlite3'}", b"key")
    store.inbox.queue_delivery("line", b"body")
    reader = _reading(tmp_path / "store.sqlite3-inbox")
    try:
        store.inbox.queue_delivery("line", b"body")  # the reader is now on an older state than the log's
        started = time.monotonic()
        store.inbox.forget_deleted()
        assert time.monotonic() - started < 5
    finally:
        reader.close()
        store.close()


def _reading(database: Path) -> sqlite3.Connection:
    """A connection to a SQLite file in the middle of a read: it keeps the state it began with until COMMIT."""
    reader = sqlite3.connect(database, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM inbox").fetchall()
    return reader
