"""Check counts gathered in memory and written together: one statistics write a second, not one per check."""

from __future__ import annotations

import atexit
import logging
import os
import threading
import weakref
from collections import Counter
from collections.abc import Callable
from typing import Any

from sqlalchemy import Table

log = logging.getLogger(__name__)

FLUSH_AFTER = 1.0  # seconds from the first unwritten count to its write
Key = tuple[tuple[str, Any], ...]  # a counter row's key columns, as sorted (name, value) pairs
Counts = dict[Table, Counter[Key]]


class PendingCounts:
    """Counters per statistics table, written by `flush` at most FLUSH_AFTER seconds after they start.

    The daily statistics were the one write every check made; on SQLite every write waits its turn for the
    file's single write lock, so under load that write was much of what an answer waited for. Counting in
    memory and adding a second's worth in one statement keeps the dashboard a second behind at most. A crash
    loses at most that second's counts (counts only: deliveries, links and results are written at once).
    """

    def __init__(self, write: Callable[[Counts], None], delay: float = FLUSH_AFTER) -> None:
        self._write = write
        self._delay = delay
        self._lock = threading.Lock()
        self._counts: Counts = {}
        self._timer: threading.Timer | None = None
        self._pid = os.getpid()
        atexit.register(_flush_at_exit, weakref.ref(self))  # a stopping worker writes its last second

    def add(self, table: Table, *rows: dict[str, Any]) -> None:
        """Count one for each row key (column name → value) of the table."""
        with self._lock:
            self._after_fork()
            counter = self._counts.setdefault(table, Counter())
            for row in rows:
                counter[tuple(sorted(row.items()))] += 1
            if self._timer is None:
                self._timer = threading.Timer(self._delay, self.flush)
                self._timer.daemon = True
                self._timer.start()

    def flush(self) -> None:
        """Write everything counted so far (Store.stats and Store.close call it too); kept for later on failure."""
        with self._lock:
            self._after_fork()
            counts, self._counts = self._counts, {}
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        if not counts:
            return
        try:
            self._write(counts)
        except Exception:  # statistics must never break a check: keep the counts and try again later
            log.warning("statistics not written yet; kept for the next attempt", exc_info=True)
            with self._lock:
                for table, counter in counts.items():
                    self._counts.setdefault(table, Counter()).update(counter)

    def _after_fork(self) -> None:
        """A forked child starts empty: its parent writes what it counted, and the parent's timer is not here."""
        if self._pid != os.getpid():
            self._pid, self._counts, self._timer = os.getpid(), {}, None


def _flush_at_exit(ref: weakref.ref[PendingCounts]) -> None:
    alive = ref()
    if alive is not None:
        alive.flush()
