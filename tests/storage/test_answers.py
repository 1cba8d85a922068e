"""The answered-message write (claim + kept result + helpers in one transaction), and counts kept in memory."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from bot.models import CheckResult, Verdict
from bot.storage import Store
from bot.storage.counts import PendingCounts
from bot.storage.schema import stat_checks
from tests.storage.conftest import KEY
from tests.storage.test_links import linked
from tests.storage.test_recent import RESULT, TEXT, rows

GENUINE = CheckResult(verdict=Verdict.NO_SIGNS, score=0, reasons=())


def test_an_answer_claims_its_events_keeps_its_result_and_reads_the_helpers(store: Store, database_url: str) -> None:
    link = linked(store, user="U1", helper="H1")
    kept = store.keep_answer("line", ["ev-1", "ev-2"], "m-1", "U1", RESULT, text=TEXT, message_ids=("m-1", "m-2"),
                             with_helpers=True)
    assert kept is not None and not kept.text_kept
    assert [h.id for h in kept.helpers] == [link]
    assert store.get_recent("line", "m-1", "U1") is not None
    assert not store.claim_delivery("line", "ev-1") and not store.claim_delivery("line", "ev-2")


def test_a_duplicate_delivery_keeps_nothing_and_says_so(store: Store, database_url: str) -> None:
    assert store.keep_answer("line", ["ev-1"], "m-1", "U1", GENUINE) is not None
    assert store.keep_answer("line", ["ev-1"], "m-9", "U1", RESULT, text=TEXT) is None
    assert store.get_recent("line", "m-9", "U1") is None and len(rows(database_url)) == 1


def test_a_partly_new_delivery_is_answered_and_claims_the_new_event(store: Store) -> None:
    store.claim_delivery("line", "ev-1")
    assert store.keep_answer("line", ["ev-1", "ev-2"], "m-1", "U1", GENUINE) is not None
    assert not store.claim_delivery("line", "ev-2")


def test_without_claims_the_answer_is_kept_and_helpers_are_read_only_when_asked(store: Store) -> None:
    linked(store, user="U1", helper="H1")
    kept = store.keep_answer("line", [], "m-1", "U1", RESULT)
    assert kept is not None and kept.helpers == ()
    assert store.get_recent("line", "m-1", "U1") is not None


def test_the_text_is_kept_only_when_the_user_shares_it_with_a_confirmed_helper(store: Store) -> None:
    linked(store, user="U1", helper="H1")
    store.set_share_full_text("line", "U1", True)
    kept = store.keep_answer("line", ["ev-1"], "m-1", "U1", RESULT, text=TEXT, with_helpers=True)
    assert kept is not None and kept.text_kept and kept.helpers[0].share_full_text
    row = store.get_recent("line", "m-1", "U1")
    assert row is not None and row.text == TEXT


def test_bookkeeping_writes_skip_the_disk_flush_and_the_others_keep_it(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'sync.sqlite3'}", KEY)  # a SQLite setting: PostgreSQL has no such pragma
    with store._write(bookkeeping=True) as conn:
        assert conn.execute(text("PRAGMA synchronous")).scalar_one() == 1  # NORMAL
    with store._write() as conn:
        assert conn.execute(text("PRAGMA synchronous")).scalar_one() == 2  # FULL
    with store._write(bookkeeping=True) as conn:
        assert conn.execute(text("PRAGMA synchronous")).scalar_one() == 1
    store.close()


def test_counts_reach_the_database_within_a_second_without_being_asked(store: Store, database_url: str) -> None:
    store.record_check("line", "danger", "sagawa", ["r1"])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not _stat_rows(store):
        time.sleep(0.05)
    assert _stat_rows(store) == [("line", "danger", 1)]


def test_counts_are_written_when_statistics_are_read_and_when_the_store_closes(store: Store) -> None:
    for _ in range(3):
        store.record_check("slack", "caution", None, ["r2"])
    assert store.stats().checks_by_day == {"2026-11-28": {"caution": 3}}
    store.record_check("slack", "caution", None, ["r2"])
    store.close()
    assert store.stats().total_checks == 4  # the engine reconnects on use


def _stat_rows(store: Store) -> list[tuple[str, str, int]]:
    with store._engine.connect() as conn:
        result = conn.execute(select(stat_checks.c.platform, stat_checks.c.verdict, stat_checks.c["count"]))
        return [(p, v, int(c)) for p, v, c in result]


def test_counts_that_fail_to_be_written_are_kept_for_the_next_attempt() -> None:
    written: list[dict[Any, Counter[Any]]] = []
    failures = [RuntimeError("database away")]

    def write(counts: dict[Any, Counter[Any]]) -> None:
        if failures:
            raise failures.pop()
        written.append(counts)

    pending = PendingCounts(write, delay=60)
    pending.add(stat_checks, {"day": "d", "platform": "line", "verdict": "danger"})
    pending.flush()
    assert written == []
    pending.add(stat_checks, {"day": "d", "platform": "line", "verdict": "danger"})
    pending.flush()
    assert list(written[0][stat_checks].values()) == [2]
