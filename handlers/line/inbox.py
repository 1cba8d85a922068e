"""EVENT_QUEUE=database, the web process's side: queue each verified body in the inbox, or refuse when it is full.

Why: in one process the webhook's request threads and the answering threads share one GIL. When answering
keeps the cores busy, a request thread waits behind them for every step of a request, and LINE's webhook
waits too. With the answering in processes of its own (handlers/line/answering.py, `python -m bot worker`)
the web process only verifies and queues, and the queue in the database also keeps accepted events through
a restart or a crash of the answering processes.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from bot import metrics
from bot.storage.inbox import InboxStore
from handlers.line.runtime import PLATFORM

log = logging.getLogger(__name__)

# Deliveries waiting before the webhook answers 503. A 503 loses the event unless redelivery is on in the LINE
# console (it is off by default), so the inbox takes all it can answer while its reply token lives: at the
# 350–450 answers/s of two busy cores, 20,000 waiting is 45–60 s, about the token's life (later answers are
# pushed). It bounds the database too, when no worker is running.
BACKLOG_LIMIT = 20_000
BACKLOG_FRESH = 1.0  # seconds one count of the backlog is trusted: counting for every request would cost more


class Inbox:
    """The web process's side: queue a verified body unless the backlog is full."""

    def __init__(self, store: InboxStore, limit: int = BACKLOG_LIMIT, clock: Callable[[], float] = time.monotonic) -> None:
        self._store = store
        self.limit = limit
        self._clock = clock
        self._lock = threading.Lock()
        self._counted_at = -BACKLOG_FRESH
        self._backlog = 0

    def accept(self, body: bytes) -> bool:
        """Queue the body; False (and nothing queued) when the backlog is at its limit."""
        if self._backlog_now() >= self.limit:
            log.warning("line inbox full (%d waiting): refusing a delivery", self._backlog)
            return False
        self._store.queue_delivery(PLATFORM, body)
        with self._lock:
            self._backlog += 1  # until the next count, so a burst cannot overshoot by a second's worth
        return True

    def _backlog_now(self) -> int:
        with self._lock:
            if self._clock() - self._counted_at < BACKLOG_FRESH:
                return self._backlog
            self._counted_at = self._clock()  # the other threads keep the old count meanwhile
        count = self._store.queued_deliveries(PLATFORM)
        metrics.INBOX_WAITING.labels(platform=PLATFORM).set(count)
        with self._lock:
            self._backlog = count
        return count
