"""Group commit: bookkeeping writes from many threads share one transaction and one write turn."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection

log = logging.getLogger(__name__)

T = TypeVar("T")
_UNSET: Any = object()


class _Job(Generic[T]):
    """One caller's write, and what came of it."""

    __slots__ = ("error", "finished", "result", "wake", "work")

    def __init__(self, work: Callable[[Connection], T]) -> None:
        self.work = work
        self.wake = threading.Event()  # set when the job is finished, or when its caller is to lead the next batch
        self.finished = False
        self.result: T = _UNSET
        self.error: BaseException | None = None

    def outcome(self) -> T:
        """The work's return value, or its exception raised again in the caller's thread."""
        if self.error is not None:
            raise self.error
        return self.result


class GroupCommit:
    """Runs each caller's write in a transaction shared with every write queued meanwhile.

    SQLite has one writer at a time. Under load, a LINE worker held that turn for 0.9 ms at the median but
    2.2 ms on average: between its statements it waited for the GIL behind the process's other threads, and
    every other writer waited with it. Measured, the write turn was busy 90 % of the time and capped the
    answered events. Here the first caller leads: it takes every queued write, runs them in one transaction
    and wakes their callers; whoever queued meanwhile leads the next batch. One turn and one commit then serve
    a whole batch. A batch that fails is run again one write at a time, so one caller's error (or a conflict
    only it causes) stays that caller's. Work must only touch the database: it may run twice.
    """

    def __init__(self, begin: Callable[[], AbstractContextManager[Connection]]) -> None:
        self._begin = begin
        self._lock = threading.Lock()
        self._queue: list[_Job[Any]] = []
        self._busy = False  # a leader is running a batch (or is about to)
        self._pid = os.getpid()

    def run(self, work: Callable[[Connection], T]) -> T:
        """Run `work(conn)` in a committed write transaction and return its result."""
        job = _Job(work)
        with self._lock:
            if self._pid != os.getpid():  # a forked child: the parent's leader does not lead here
                self._pid, self._queue, self._busy = os.getpid(), [], False
            self._queue.append(job)
            lead = not self._busy
            self._busy = True
        if not lead:
            job.wake.wait()
        if not job.finished:  # first in line, or handed the lead by the previous batch
            self._lead()
        return job.outcome()

    def _lead(self) -> None:
        """Run everything queued as one batch, then hand the lead to the first job queued since."""
        batch: list[_Job[Any]] = []  # filled by _commit_queued as it takes the jobs
        try:
            self._commit_queued(batch)
        finally:
            for job in batch:
                if job.result is _UNSET and job.error is None:  # the leader was interrupted mid-batch
                    job.error = RuntimeError("write interrupted")
                job.finished = True
                job.wake.set()
            with self._lock:
                if self._queue:
                    self._queue[0].wake.set()  # still busy: that caller leads next
                else:
                    self._busy = False

    def _take(self, batch: list[_Job[Any]]) -> None:
        """Move every queued job into the batch."""
        with self._lock:
            batch.extend(self._queue)
            self._queue = []

    def _commit_queued(self, batch: list[_Job[Any]]) -> None:
        """One transaction for every job queued once the write turn is ours; after a failure, one per job.

        The batch is taken inside the transaction, after the wait for the write turn (other processes may
        hold it): whoever queued during that wait is written in this turn too.
        """
        try:
            with self._begin() as conn:
                self._take(batch)
                results = [job.work(conn) for job in batch]
        except Exception:
            if batch:
                log.warning("group commit of %d writes failed; writing them one by one", len(batch), exc_info=True)
            self._take(batch)  # when the transaction could not even begin, nothing was taken yet
        else:
            for job, result in zip(batch, results, strict=True):
                job.result = result
            return
        for job in batch:
            try:
                with self._begin() as conn:
                    job.result = job.work(conn)
            except Exception as exc:  # handed to the caller's thread, which raises it
                job.error = exc
