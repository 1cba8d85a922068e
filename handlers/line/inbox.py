"""EVENT_QUEUE=database: the webhook queues verified bodies, and answering processes take them from there.

Why a second process: in one process the webhook's request threads and the answering threads share one GIL.
When answering keeps the cores busy, a request thread waits behind them for every step of a request, and
LINE's webhook waits too. With the answering elsewhere the web process only verifies and queues, and the
queue in the database also keeps accepted events through a restart or a crash of the answering process.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from functools import partial

from bot.storage.inbox import InboxStore, Queued
from handlers.line import events
from handlers.line.runtime import PLATFORM, LineRuntime
from handlers.line.webhook import load_body, plan

log = logging.getLogger(__name__)

# Deliveries waiting before the webhook answers 503 (LINE then redelivers, when redelivery is on): about ten
# seconds of the load target, long enough to ride out a slow spell and short enough that reply tokens last.
BACKLOG_LIMIT = 5000
BACKLOG_FRESH = 1.0  # seconds one count of the backlog is trusted: counting for every request would cost more
IN_FLIGHT = 2  # deliveries a worker holds at once per answering thread: its threads never idle between rounds
IDLE_WAIT = 0.1  # seconds between looks at an empty inbox (an answer waits at most this long to start)
# Seconds between rounds while busy: each round holds the inbox's write turn once (finish the answered, take
# more), and the webhook queues into the same turn, so a round for every answered delivery would keep it waiting.
ROUND_GAP = 0.1


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
        with self._lock:
            self._backlog = count
        return count


class Worker:
    """The answering process's side: take deliveries, answer their events on the runtime's threads, finish them."""

    def __init__(self, runtime: LineRuntime) -> None:
        self.runtime = runtime
        self._store: InboxStore = runtime.store.inbox
        self._in_flight = IN_FLIGHT * runtime.workers
        self._lock = threading.Lock()
        self._held = 0
        self._done: list[int] = []
        self._wake = threading.Event()

    def step(self, take: bool = True) -> int:
        """One round: finish what was answered and take what fits; returns how many deliveries were taken."""
        with self._lock:
            done, self._done = self._done, []
            room = self._in_flight - self._held if take else 0
        try:
            taken = self._store.take_deliveries(PLATFORM, room, finished=done)
        except Exception:
            with self._lock:
                self._done[:0] = done  # finished next round
            raise
        for item in taken:
            self._start(item)
        return len(taken)

    def run(self, stop: threading.Event, idle_wait: float = IDLE_WAIT, round_gap: float = ROUND_GAP) -> None:
        """Until `stop` is set; then the deliveries in hand are answered and finished before returning."""
        log.info("line worker taking deliveries from the inbox")
        while not stop.is_set():
            try:
                taken = self.step()
            except Exception:  # the database is away for a moment: try again, never die of it
                log.exception("line worker could not take deliveries")
                taken = 0
            if stop.wait(round_gap) or taken:
                continue
            self._wake.wait(idle_wait)  # nothing was waiting: look again when one is answered, or after a while
            self._wake.clear()
        self.runtime.drain(timeout=20.0)
        self.step(take=False)
        log.info("line worker stopped")

    def _start(self, item: Queued) -> None:
        """Plan the delivery's units as the webhook would have, and hand them to the runtime's threads."""
        with self._lock:
            self._held += 1
        try:
            raw_events = load_body(item.body).get("events") or []
        except (ValueError, AttributeError, RecursionError):  # the webhook queues only bodies it could read
            raw_events = []
        # Received in another process: its monotonic clock means nothing here, the wall clock does.
        received = time.monotonic() - max(0.0, time.time() - item.received_at.timestamp())
        units = plan(raw_events if isinstance(raw_events, list) else [], received)
        if not units:
            self._finished(item.id)
            return
        left = [len(units)]

        def unit(work: Callable[[], None]) -> None:
            try:
                work()
            finally:
                with self._lock:
                    left[0] -= 1
                    last = left[0] == 0
                if last:
                    self._finished(item.id)

        works = [partial(unit, partial(events.handle, runtime=self.runtime, batch=u.events, received=u.received,
                                       forwarded=u.forwarded)) for u in units]
        if not self.runtime.submit_all(works):  # cannot happen while IN_FLIGHT is below the runtime's bound
            with self._lock:
                self._held -= 1  # left leased: taken again after the lease

    def _finished(self, delivery_id: int) -> None:
        with self._lock:
            self._held -= 1
            self._done.append(delivery_id)
        self._wake.set()
