"""The inbox: signed webhook bodies queued by the web process for a separate answering process."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Integer, bindparam, delete, event, func, select, update

from bot.storage.base import Clock, StoreBase
from bot.storage.engine import BUSY_TIMEOUT_MS, build_engine, is_sqlite, set_synchronous, turn_of, write_turns
from bot.storage.schema import inbox

log = logging.getLogger(__name__)

# How long a taken delivery stays with its worker. Longer than any handling (an OCR'd screenshot, a slow
# platform): if the worker dies, another takes the delivery after this, and events it had already answered
# are skipped by their claims.
LEASE = dt.timedelta(minutes=2)
# Taken this often without being finished, a delivery is dropped: it is what keeps killing its workers.
MAX_TRIES = 3
# Queued deliveries nobody took (no worker running) are deleted after this: their bodies hold message texts.
KEEP_UNTAKEN = dt.timedelta(days=1)
# SQLite: pages of log after which a commit copies the log into the file itself (its default is 1,000). Such a
# commit holds the write turn through the copy and its flushes, 4–5 ms here, and every webhook waits behind it.
# The rounds checkpoint outside the turn instead (InboxStore.checkpoint); this is the backstop for when no
# worker runs, and bounds the log at about 40 MB.
AUTOCHECKPOINT_PAGES = 10_000
# Pages of log past which a round's checkpoint has it start afresh (SQLite's own default size: about 4 MB).
RESTART_LOG_PAGES = 1_000


# What SQLAlchemy's SQLite dialect stores a DATETIME as (text that sorts and compares in time order).
SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S.%f"
_COLUMNS = "INSERT INTO inbox (platform, body, received_at, lease_until, tries) VALUES "
_INSERT_QMARK = _COLUMNS + "(?, ?, ?, ?, 0)"
_INSERT_FORMAT = _COLUMNS + "(%s, %s, %s, %s, 0)"
# A round's lease: up to `limit` free deliveries, oldest first. On SQLite through the driver (take_deliveries).
_LEASE_QMARK = ("UPDATE inbox SET lease_until = ?, tries = tries + 1 WHERE id IN (SELECT id FROM inbox "
                "WHERE platform = ? AND lease_until <= ? ORDER BY id LIMIT ?) RETURNING id, tries")
# On PostgreSQL the same through SQLAlchemy, skipping rows another worker is taking instead of waiting for them
# (FOR UPDATE SKIP LOCKED); built once, the id lists bound as expanding parameters.
_DELETE = delete(inbox).where(inbox.c.id.in_(bindparam("ids", expanding=True)))
_LEASE = (update(inbox)
          .where(inbox.c.id.in_(select(inbox.c.id)
                                .where(inbox.c.platform == bindparam("of_platform"),
                                       inbox.c.lease_until <= bindparam("now", type_=inbox.c.lease_until.type))
                                .order_by(inbox.c.id).limit(bindparam("limit", type_=Integer()))
                                .with_for_update(skip_locked=True)))
          .values(lease_until=bindparam("until", type_=inbox.c.lease_until.type), tries=inbox.c.tries + 1)
          .returning(inbox.c.id, inbox.c.tries))


@dataclass(frozen=True)
class Queued:
    """A delivery taken from the inbox: its id (to finish it), the body as signed, when it was received."""

    id: int
    body: bytes
    received_at: dt.datetime


def _sqlite_stamp(moment: dt.datetime) -> str:
    """A time as SQLAlchemy stores it in SQLite: naive UTC, as text."""
    return moment.astimezone(dt.UTC).replace(tzinfo=None).strftime(SQLITE_DATETIME)


def side_file(database: str) -> str:
    """The SQLite inbox's file, beside the store's file `database`."""
    return f"{database}-inbox"


def inbox_engine(store_engine: Engine) -> Engine:
    """PostgreSQL: the store's own engine. SQLite: a file of its own beside the store's.

    SQLite has one writer per file. Had the webhook queued into the store's file, every delivery would wait
    for the answering processes' writes (their results, claims and counts). In a file of its own it waits
    only for a worker taking or finishing a batch. The store's file has an inbox table too (the schema is one
    for both databases), which stays empty. The side file is created here, not by Alembic: it holds nothing
    that outlives a restart by much, so a future change to the table can start it afresh (a new file name).
    """
    if not is_sqlite(store_engine):
        return store_engine
    database = store_engine.url.database or ""
    side = store_engine.url.set(database=side_file(database) if database and database != ":memory:" else database)
    engine = build_engine(side.render_as_string(hide_password=False))

    @event.listens_for(engine, "connect")
    def _secure_delete(dbapi_connection: Any, _record: Any) -> None:
        # A handled body is overwritten with zeros as it is deleted, not left in the file's free pages.
        dbapi_connection.execute("PRAGMA secure_delete = ON")
        dbapi_connection.execute(f"PRAGMA wal_autocheckpoint = {AUTOCHECKPOINT_PAGES}")

    # Every web worker and the worker's processes open it at start-up: one creates the table, the others wait
    # for the write turn and find it (checking and creating unserialised, 2 of 3 starts failed "locked").
    with turn_of(write_turns(engine)):
        inbox.create(engine, checkfirst=True)
    return engine


class InboxStore(StoreBase):
    """Put, take and finish queued deliveries; any number of web and answering processes may share it."""

    def __init__(self, engine: Engine, clock: Clock) -> None:
        super().__init__(engine, b"", clock)  # nothing here is hashed

    def queue_delivery(self, platform: str, body: bytes) -> None:
        """Queue a verified webhook body: one INSERT on a pooled connection, committed before the webhook's 200.

        The webhook's busiest statement goes to the driver as it stands: through SQLAlchemy's statement layer it
        cost 0.24 ms of CPU, with the driver 0.03 ms, and the web process's CPU is what the answering processes
        are left with. The values are what SQLAlchemy would have sent (naive UTC; SQLite's text format).
        """
        sqlite = is_sqlite(self._engine)
        stamp: object = _sqlite_stamp(self._now()) if sqlite else self._now().astimezone(dt.UTC).replace(tzinfo=None)
        with self._driver() as driver:  # SQLite: autocommit (the engine issues BEGIN itself): it commits alone
            cursor = driver.cursor()
            cursor.execute(_INSERT_QMARK if sqlite else _INSERT_FORMAT, (platform, body, stamp, stamp))
            cursor.close()
            driver.commit()

    def take_deliveries(self, platform: str, limit: int, finished: Sequence[int] = ()) -> list[Queued]:
        """Delete the `finished` deliveries, then lease up to `limit` that nobody holds, oldest first, for LEASE.

        One write for both, and as short as it can be: every webhook waits while it runs. It leases ids only;
        the bodies are read afterwards, in a read that waits for nobody. (Returning the bodies from the write
        held the turn 4.6 ms at the median and 16 ms at worst for a round of a hundred.)
        """
        now = self._now()
        if is_sqlite(self._engine):
            leased = self._lease_on_sqlite(platform, limit, finished, now)
        else:
            with self._write(bookkeeping=True) as conn:
                if finished:  # their bodies hold message texts: kept no longer than needed
                    conn.execute(_DELETE, {"ids": list(finished)})
                rows = conn.execute(_LEASE, {"of_platform": platform, "now": now, "limit": limit,
                                             "until": now + LEASE}).all() if limit > 0 else []
                leased = [(int(r.id), int(r.tries)) for r in rows]
        dropped = [id_ for id_, tries in leased if tries > MAX_TRIES]
        if dropped:  # what keeps killing its workers goes, and nobody is handed it again
            self._bookkeeping(lambda conn: conn.execute(_DELETE, {"ids": dropped}))
            log.warning("inbox: dropped %d %s deliveries taken %d times without being finished", len(dropped),
                        platform, MAX_TRIES)
        ids = [id_ for id_, tries in leased if tries <= MAX_TRIES]
        if not ids:
            return []
        with self._read() as conn:
            rows = conn.execute(select(inbox.c.id, inbox.c.body, inbox.c.received_at)
                                .where(inbox.c.id.in_(ids)).order_by(inbox.c.id)).all()
        return [Queued(int(r.id), bytes(r.body), r.received_at) for r in rows]

    def _lease_on_sqlite(self, platform: str, limit: int, finished: Sequence[int],
                         now: dt.datetime) -> list[tuple[int, int]]:
        """take_deliveries' write on SQLite, through the driver: every webhook waits for it.

        Through SQLAlchemy a round of 125 held the turn 2.0 ms (1.6 with its statements built once), most of it
        building and binding the statements; through the driver 1.0 ms, little more than SQLite's own work.
        """
        deleting = f"DELETE FROM inbox WHERE id IN ({', '.join('?' * len(finished))})"
        with self._driver(transaction=True) as driver:
            if finished:  # their bodies hold message texts: kept no longer than needed
                driver.execute(deleting, tuple(finished))
            if limit <= 0:
                return []
            return [(int(id_), int(tries)) for id_, tries in driver.execute(
                _LEASE_QMARK, (_sqlite_stamp(now + LEASE), platform, _sqlite_stamp(now), limit)).fetchall()]

    def has_free_delivery(self, platform: str) -> bool:
        """Whether a delivery waits that nobody holds (a read: a worker looks often when idle).

        On PostgreSQL a row another worker is taking counts as free until its lease is committed: at worst one
        round that takes nothing.
        """
        with self._read() as conn:
            return conn.execute(select(inbox.c.id).where(inbox.c.platform == platform,
                                                         inbox.c.lease_until <= self._now()).limit(1)).first() is not None

    def checkpoint(self) -> None:
        """SQLite: copy the log into the file without holding the write turn (PostgreSQL: nothing).

        Writers go on meanwhile: it copies what was committed when it began. The log only starts afresh at a
        write that begins with all of it copied, which under steady queueing never happened by chance (it grew
        to the backstop, 41 MB in a minute). So once it is longer than RESTART_LOG_PAGES, what came meanwhile
        is copied under the turn too (a few pages, and the flushes: about 1 ms), and the next write usually
        starts it afresh. A reader still on an older state holds both back; the next round tries again.
        """
        if not is_sqlite(self._engine):
            return
        with self._driver(turn=False) as driver:
            _busy, pages, _copied = driver.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        if pages > RESTART_LOG_PAGES:
            with self._driver() as driver:
                driver.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def forget_deleted(self) -> None:
        """SQLite: move the log into the file and empty it, so deleted bodies leave the disk (PostgreSQL: nothing).

        secure_delete overwrites a deleted body in the file, but the log (`-wal`) still holds the pages written
        when it was queued, and SQLite's own checkpoints copy them into the file without emptying the log. It
        holds the write turn, so it does not wait for readers (SQLite's busy timeout would have it wait up to
        30 s, and every webhook with it): one that finds a reader does what it can, and the next one finishes.
        """
        if not is_sqlite(self._engine):
            return
        with self._driver() as driver:  # the PRAGMAs run outside any transaction
            driver.execute("PRAGMA busy_timeout = 0")
            try:
                driver.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            finally:
                driver.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    @contextlib.contextmanager
    def _driver(self, turn: bool = True, transaction: bool = False) -> Iterator[Any]:
        """A pooled connection of the driver's own, for what goes to it as it stands; under the write turn.

        Checked out before the turn is taken (a process has far fewer threads writing here than the pool's 50
        connections); on SQLite it writes as bookkeeping does (synchronous=NORMAL).
        `turn=False`: without the turn (a checkpoint). `transaction` (SQLite): the block is one transaction,
        BEGIN IMMEDIATE to COMMIT; otherwise each statement commits alone.
        """
        raw = self._engine.raw_connection()
        driver: Any = raw.driver_connection
        try:
            if is_sqlite(self._engine):
                set_synchronous(raw.info, driver.execute, "NORMAL")
            with turn_of(self._turns if turn else None):
                if transaction:
                    driver.execute("BEGIN IMMEDIATE")
                yield driver
                if transaction:
                    driver.execute("COMMIT")  # after an error the pool rolls it back, as the connection returns
        finally:
            raw.close()  # back to the pool

    def queued_deliveries(self, platform: str) -> int:
        """How many deliveries wait or are being handled (the web process refuses new ones above a bound)."""
        with self._read() as conn:
            return int(conn.execute(select(func.count()).select_from(inbox)
                                    .where(inbox.c.platform == platform)).scalar_one())

    def purge_expired(self, now: dt.datetime) -> int:
        """Delete deliveries queued longer than KEEP_UNTAKEN; returns how many."""
        with self._write() as conn:
            return int(conn.execute(delete(inbox).where(inbox.c.received_at < now - KEEP_UNTAKEN)).rowcount)

    def close(self) -> None:
        """Release the connections (of the side file; the store's engine is the store's to close)."""
        if is_sqlite(self._engine):
            self._engine.dispose()
