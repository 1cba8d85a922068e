"""What the LINE handlers share while the app runs: core services, the API client, a worker pool."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

from bot.metrics import timed_check
from bot.models import CheckResult
from bot.services import Services
from bot.storage import KeptAnswer, RecentRow
from handlers.line.client import LineClient
from handlers.line.conversation import REPLY_WINDOW

log = logging.getLogger(__name__)

PLATFORM = "line"
# Threads answering events: the work mostly waits on LINE's API, so there are more of them than cores.
WORKERS = 32


class LineRuntime:
    """Held by the blueprint for the life of the process; thread-safe."""

    def __init__(self, services: Services, client: LineClient, workers: int = WORKERS, max_pending: int = 1000) -> None:
        self.services = services
        self.client = client
        self.reply_window = REPLY_WINDOW
        self.max_pending = max_pending
        self.workers = workers
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="line-worker")
        self._pending: set[Future[None]] = set()
        self._lock = threading.Lock()

    @property
    def store(self) -> Any:
        """bot.storage's store (None only when storage is not configured)."""
        return self.services.store

    def submit_all(self, works: Sequence[Callable[[], None]]) -> bool:
        """Queue all of a delivery's work or none of it, so a refused delivery can be redelivered whole."""
        with self._lock:
            if len(self._pending) + len(works) > self.max_pending:
                log.warning("line backlog full (%d pending): refusing %d units", len(self._pending), len(works))
                return False
            futures = [self._executor.submit(work) for work in works]
            self._pending.update(futures)
        for future in futures:
            future.add_done_callback(self._done)
        return True

    def _done(self, future: Future[None]) -> None:
        with self._lock:
            self._pending.discard(future)

    def drain(self, timeout: float = 10.0) -> bool:
        """Wait until all submitted work has finished (tests and graceful shutdown)."""
        deadline = time.monotonic() + timeout
        while True:  # waits on the futures themselves: no polling delay per call (the fuzz suites drain 10,000 times)
            with self._lock:
                pending = {f for f in self._pending if not f.done()}
            remaining = deadline - time.monotonic()
            if not pending:
                return True
            if remaining <= 0:
                return False
            wait(pending, timeout=remaining)

    def close(self, cancel_queued: bool = False) -> None:
        """Finish queued work (or, with `cancel_queued`, only what has started) and stop the worker threads."""
        self._executor.shutdown(wait=True, cancel_futures=cancel_queued)

    def claim(self, event_id: str) -> bool:
        """True the first time this webhookEventId is seen, across processes (via the database)."""
        if self.store is None or not event_id:
            return True
        return bool(self.store.claim_delivery(PLATFORM, event_id))

    def check(self, text: str, sender: str | None = None) -> CheckResult:
        """Judge a text with the shared detector, counting it in the metrics."""
        return timed_check(self.services.detector, text, sender, PLATFORM)

    def remember(self, key: str, owner: str, result: CheckResult, text: str | None = None,
                 message_ids: tuple[str, ...] = ()) -> None:
        """Keep a result for the buttons under its answer, in the store, so any worker or instance finds it."""
        if self.store is not None and key and owner:
            self.store.put_recent(PLATFORM, key, owner, result, text=text, message_ids=message_ids)

    def keep_answer(self, claims: tuple[str, ...], key: str, owner: str, result: CheckResult, text: str,
                    message_ids: tuple[str, ...], with_helpers: bool) -> KeptAnswer | None:
        """Claim the events (if not yet), keep the result for the buttons, read the helpers: one write.

        None for a duplicate delivery (every claim taken before): the answer must not be sent again.
        """
        if self.store is None:
            return KeptAnswer(text_kept=False)
        kept: KeptAnswer | None = self.store.keep_answer(PLATFORM, claims, key, owner, result, text=text,
                                                         message_ids=message_ids, with_helpers=with_helpers)
        return kept

    def recall(self, key: str, owner: str | None) -> RecentRow | None:
        """The result a button refers to, if still fresh and judged in this chat."""
        if self.store is None or not key or not owner:
            return None
        row: RecentRow | None = self.store.get_recent(PLATFORM, key, owner)
        return row

    def record(self, result: CheckResult) -> None:
        """Aggregate statistics: verdict, brand and rule ids only."""
        if self.store is not None:
            self.store.record_check(PLATFORM, result.verdict.value, result.brand_id, list(result.rule_ids))
