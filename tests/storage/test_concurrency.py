"""Several threads and processes at once: nothing lost, nothing done twice."""

from __future__ import annotations

import multiprocessing
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from alembic import command

from bot.storage import Store
from bot.storage.engine import build_engine
from bot.storage.migrate import alembic_config, current_revision, head_revision
from tests.storage import workers

THREADS = 8
PROCESSES = 4


def processes_context() -> multiprocessing.context.BaseContext:
    """Fork: children skip re-importing everything (seconds on a busy CI box). They open their own store and
    leave through os._exit, so the parent's inherited connections are never touched or closed by them."""
    return multiprocessing.get_context("fork")


def run_threads(count: int, work: Callable[[int], object]) -> list[object]:
    """Run work(i) in `count` threads that start together."""
    barrier = threading.Barrier(count)

    def task(i: int) -> object:
        barrier.wait(timeout=30)
        return work(i)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(task, range(count)))


def test_duplicate_deliveries_from_many_threads_are_handled_once(store: Store) -> None:
    ids = [f"ev-{n}" for n in range(60)]
    results = run_threads(THREADS, lambda i: [d for d in (ids if i % 2 else ids[::-1]) if store.claim_delivery("line", d)])
    won = Counter(d for claimed in results for d in claimed)  # type: ignore[attr-defined]
    assert won == Counter(ids)


def test_racing_helpers_cannot_both_use_one_code(store: Store) -> None:
    code = store.create_link_code("line", "U-user")
    results = run_threads(THREADS, lambda i: store.redeem_link_code("line", f"U-helper-{i}", code).status)
    assert sorted(results) == ["ok"] + ["wrong"] * (THREADS - 1)  # type: ignore[type-var]


def test_concurrent_writers_lose_no_rows(store: Store) -> None:
    def work(i: int) -> None:
        for n in range(10):
            store.add_report("line", f"U-{i}", ["0369127894", f"host-{n}.example"])
            store.record_check("line", "caution", None, ["r1"])
        link = store.redeem_link_code("line", f"H-{i}", store.create_link_code("line", f"U-{i}"))
        assert link.link_id is not None
        store.confirm_link("line", f"U-{i}", link.link_id, accept=True)

    run_threads(THREADS, work)
    assert store.reporter_counts(["0369127894", "host-3.example"]) == {"0369127894": THREADS, "host-3.example": THREADS}
    assert store.stats().total_checks == THREADS * 10
    assert all(len(store.helpers_of("line", f"U-{i}")) == 1 for i in range(THREADS))


def test_duplicate_deliveries_from_several_processes_are_handled_once(store: Store, database_url: str) -> None:
    context = processes_context()
    ids = [f"ev-{n}" for n in range(100)]
    start, results = context.Barrier(PROCESSES), context.Queue()
    processes = [context.Process(target=workers.claim_all, args=(database_url, ids, start, results))
                 for _ in range(PROCESSES)]
    for process in processes:
        process.start()
    claimed = [results.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(timeout=30)
        assert process.exitcode == 0
    assert Counter(d for won in claimed for d in won) == Counter(ids)
    assert store.stats().total_checks == PROCESSES * 10


def test_processes_opening_an_empty_database_together_migrate_it_once(database_url: str) -> None:
    engine = build_engine(database_url)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "base")
    engine.dispose()
    context = processes_context()
    start, results = context.Barrier(PROCESSES), context.Queue()
    processes = [context.Process(target=workers.open_only, args=(database_url, start, results)) for _ in range(PROCESSES)]
    for process in processes:
        process.start()
    answers = [results.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    assert answers == [True] * PROCESSES and [p.exitcode for p in processes] == [0] * PROCESSES
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_a_forked_child_uses_its_own_connections(store: Store) -> None:
    store.claim_delivery("line", "before-fork")
    parent = workers.pooled_markers(store)  # the connections waiting in the pool when we fork
    context = processes_context()
    results = context.Queue()
    child = context.Process(target=workers.claim_with_inherited_store, args=(store, results))
    child.start()
    claims, marker = results.get(timeout=60)
    child.join(timeout=30)
    assert child.exitcode == 0 and claims == [True, False]
    assert marker not in parent, "the child reused one of the parent's database connections"
    assert store.claim_delivery("line", "in-child") is False and store.claim_delivery("line", "after-fork") is True
