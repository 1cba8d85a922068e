"""Group commit: writes queued while the leader waits for the write turn share its transaction; each caller gets
its own outcome."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Column, Connection, Engine, Integer, MetaData, Table, func, insert, select
from sqlalchemy.exc import IntegrityError

from bot.storage.engine import WRITE, build_engine
from bot.storage.group_commit import GroupCommit

rows = Table("rows", MetaData(), Column("n", Integer, primary_key=True))
CALLERS = 6


@pytest.fixture()
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = build_engine(f"sqlite:///{tmp_path / 'g.db'}")
    rows.metadata.create_all(engine)
    yield engine
    engine.dispose()


class Transactions:
    """Opens write transactions, counts them, and holds the first one back (as a write turn another process
    holds would) until the test lets it go."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.opened = 0
        self.first_started = threading.Event()
        self.release_first = threading.Event()

    @contextlib.contextmanager
    def __call__(self) -> Iterator[Connection]:
        self.opened += 1
        if self.opened == 1:
            self.first_started.set()
            assert self.release_first.wait(10)
        with self.engine.connect().execution_options(**WRITE) as conn, conn.begin():
            yield conn


def insert_row(n: int) -> Callable[[Connection], int]:
    """A write that inserts row n and returns it."""
    def work(conn: Connection) -> int:
        conn.execute(insert(rows).values(n=n))
        return n
    return work


def count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(rows)).scalar_one())


def run_while_first_batch_is_held(group: GroupCommit, tx: Transactions, works: list[Callable[[Connection], int]]) -> list[object]:
    """Start works[0]; queue the others while its transaction waits for the write turn, then let it through."""
    outcomes: list[object] = [None] * len(works)

    def call(i: int) -> None:
        try:
            outcomes[i] = group.run(works[i])
        except Exception as exc:
            outcomes[i] = exc

    threads = [threading.Thread(target=call, args=(0,))]
    threads[0].start()
    assert tx.first_started.wait(10)
    threads += [threading.Thread(target=call, args=(i,)) for i in range(1, len(works))]
    for t in threads[1:]:
        t.start()
    while len(group._queue) < len(works) - 1:  # every other caller is queued behind the held batch
        threading.Event().wait(0.01)
    tx.release_first.set()
    for t in threads:
        t.join(10)
    return outcomes


def test_writes_queued_while_the_leader_waits_for_the_write_turn_share_its_transaction(engine: Engine) -> None:
    tx = Transactions(engine)
    group = GroupCommit(tx)
    outcomes = run_while_first_batch_is_held(group, tx, [insert_row(n) for n in range(CALLERS)])
    assert outcomes == list(range(CALLERS))  # each caller got its own work's result
    assert count(engine) == CALLERS
    assert tx.opened == 1  # one write turn, one commit for all of them


def test_when_one_write_in_a_batch_fails_then_only_its_caller_sees_the_error(engine: Engine) -> None:
    tx = Transactions(engine)
    group = GroupCommit(tx)
    works = [insert_row(100), insert_row(1), insert_row(2), insert_row(1), insert_row(3)]  # the second 1 conflicts
    outcomes = run_while_first_batch_is_held(group, tx, works)
    assert outcomes[:3] == [100, 1, 2] and outcomes[4] == 3
    assert isinstance(outcomes[3], IntegrityError)
    assert count(engine) == 4
    assert tx.opened == 1 + 5  # the failed batch is rolled back and written again one by one


def test_when_nobody_else_writes_then_a_write_is_its_own_batch(engine: Engine) -> None:
    tx = Transactions(engine)
    tx.release_first.set()
    group = GroupCommit(tx)
    assert [group.run(insert_row(n)) for n in range(3)] == [0, 1, 2]
    assert tx.opened == 3 and count(engine) == 3
    with pytest.raises(IntegrityError):
        group.run(insert_row(0))
    assert group.run(insert_row(9)) == 9  # a failure leaves the queue usable


def test_when_no_transaction_can_begin_every_caller_gets_the_error_and_none_waits_forever(engine: Engine) -> None:
    down = True

    @contextlib.contextmanager
    def begin() -> Iterator[Connection]:
        if down:
            raise OSError("database away")
        with engine.connect().execution_options(**WRITE) as conn, conn.begin():
            yield conn

    group = GroupCommit(begin)
    errors: list[BaseException] = []

    def call(n: int) -> None:
        try:
            group.run(insert_row(n))
        except OSError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=call, args=(n,)) for n in range(CALLERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert not any(t.is_alive() for t in threads) and len(errors) == CALLERS
    down = False
    assert group.run(insert_row(7)) == 7 and count(engine) == 1
