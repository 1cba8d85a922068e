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
from multiprocessing.connection import Connection, wait
from typing import cast

from bot import metrics
from bot.storage.inbox import InboxStore, Queued
from handlers.line import events
from handlers.line.runtime import PLATFORM, LineRuntime
from handlers.line.webhook import load_body, plan

log = logging.getLogger(__name__)

# Deliveries waiting before the webhook answers 503. A 503 loses the event unless redelivery is on in the LINE
# console (it is off by default), so the inbox takes all it can answer while its reply token lives: at the
# 350–450 answers/s of two busy cores, 20,000 waiting is 45–60 s, about the token's life (later answers are
# pushed). It bounds the database too, when no worker is running.
BACKLOG_LIMIT = 20_000
BACKLOG_FRESH = 1.0  # seconds one count of the backlog is trusted: counting for every request would cost more
IN_FLIGHT = 2  # deliveries a worker holds at once per answering thread: its threads never idle between rounds
# Seconds between rounds: each round holds the inbox's write turn once (delete the answered, lease more), and
# every webhook queues through that turn. Measured at 500/s: webhook p99 72–85 ms with rounds 0.1 s apart,
# 39–43 ms with 0.25 s, and as many answered.
ROUND_GAP = 0.25
# Seconds between looks at the inbox when the last round found nothing: a read, which takes no write turn, so a
# new delivery is taken within this (and the round gap) instead of waiting for a full round.
POLL = 0.05


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


class Answerer:
    """Answers taken deliveries on the runtime's threads and keeps the ids of those it has finished."""

    def __init__(self, runtime: LineRuntime) -> None:
        self.runtime = runtime
        self.capacity = IN_FLIGHT * runtime.workers
        self._lock = threading.Lock()
        self._held = 0
        self._done: list[int] = []

    @property
    def room(self) -> int:
        """How many more deliveries it should be given now."""
        with self._lock:
            return self.capacity - self._held

    def finished(self) -> list[int]:
        """The ids answered since the last call (to delete from the inbox)."""
        with self._lock:
            done, self._done = self._done, []
        return done

    def keep(self, ids: list[int]) -> None:
        """Take back ids from `finished` that could not be deleted: they are handed out again next time."""
        with self._lock:
            self._done[:0] = ids

    @property
    def has_finished(self) -> bool:
        """Whether any answered ids wait to be deleted."""
        with self._lock:
            return bool(self._done)

    def start(self, item: Queued) -> None:
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
        if not self.runtime.submit_all(works):  # cannot happen while its capacity is below the runtime's bound
            with self._lock:
                self._held -= 1  # left leased: taken again after the lease

    def _finished(self, delivery_id: int) -> None:
        with self._lock:
            self._held -= 1
            self._done.append(delivery_id)


def rounds(stop: threading.Event, due: Callable[[], bool], step: Callable[[], object], wait: Callable[[float], object],
           round_gap: float = ROUND_GAP, poll: float = POLL) -> None:
    """Call `step` whenever `due()` says so, at most once per `round_gap`; `wait(seconds)` in between."""
    last_round = -round_gap
    while not stop.is_set():
        early = last_round + round_gap - time.monotonic()
        if early > 0:
            wait(early)
            continue
        try:
            if due():
                last_round = time.monotonic()
                step()
            else:
                wait(poll)
        except Exception:  # the database is away for a moment: try again, never die of it
            log.exception("line inbox round failed")
            wait(round_gap)


class Worker:
    """Rounds and answers in one process: `python -m bot worker --processes 1`, and the tests."""

    def __init__(self, runtime: LineRuntime) -> None:
        self.runtime = runtime
        self.answerer = Answerer(runtime)
        self._store: InboxStore = runtime.store.inbox

    def step(self, take: bool = True) -> int:
        """One round: delete what was answered and take what fits; returns how many deliveries were taken."""
        done = self.answerer.finished()
        try:
            taken = self._store.take_deliveries(PLATFORM, self.answerer.room if take else 0, finished=done)
        except Exception:
            self.answerer.keep(done)  # deleted next round
            raise
        for item in taken:
            self.answerer.start(item)
        return len(taken)

    def run(self, stop: threading.Event) -> None:
        """Until `stop` is set; then the deliveries in hand are answered and deleted before returning."""
        log.info("line worker taking deliveries from the inbox")

        def due() -> bool:
            return self.answerer.has_finished or (self.answerer.room > 0 and self._store.has_free_delivery(PLATFORM))

        rounds(stop, due, self.step, stop.wait)
        self.runtime.drain(timeout=20.0)
        self.step(take=False)
        log.info("line worker stopped")


class Dispatcher:
    """Rounds for answering processes (`python -m bot worker`): it takes deliveries and sends them down pipes.

    Why not let each answering process take its own: a round holds the inbox's write turn, and every webhook
    queues through that turn. Taken by a busy, lowered-priority process, the turn was held 15 ms at the median
    and up to 190 ms (the process waited for its GIL and for a core between statements), and the webhook's
    p99 followed. This process does nothing else, so a round takes about a millisecond.
    """

    def __init__(self, store: InboxStore, lanes: list[Connection], capacity: int) -> None:
        self._store = store
        self._lanes = lanes
        self._held = dict.fromkeys(range(len(lanes)), 0)
        self._capacity = capacity
        self._done: list[int] = []

    def run(self, stop: threading.Event, stop_lanes: Callable[[], None], grace: float = 30.0) -> None:
        """Until `stop` is set; then `stop_lanes()`, and the ids they still finish are deleted (for up to `grace` s)."""
        log.info("line dispatcher taking deliveries for %d answering processes", len(self._lanes))
        rounds(stop, self._due, self._step, self._collect)
        stop_lanes()
        deadline = time.monotonic() + grace
        while any(not lane.closed for lane in self._lanes) and time.monotonic() < deadline:
            self._collect(1.0)
        if self._done:
            self._store.take_deliveries(PLATFORM, 0, finished=self._done)

    def _room(self) -> int:
        return sum(self._capacity - held for lane, held in self._held.items() if not self._lanes[lane].closed)

    def _due(self) -> bool:
        return bool(self._done) or (self._room() > 0 and self._store.has_free_delivery(PLATFORM))

    def _step(self) -> None:
        done, self._done = self._done, []
        try:
            taken = self._store.take_deliveries(PLATFORM, self._room(), finished=done)
        except Exception:
            self._done[:0] = done
            raise
        for item in taken:  # each to the lane with the most room
            open_lanes = [n for n in self._held if not self._lanes[n].closed]
            if not open_lanes:
                break  # left leased: taken again after the lease
            lane = min(open_lanes, key=lambda n: self._held[n])
            try:
                self._lanes[lane].send((item.id, item.body, item.received_at))
            except OSError:  # the process is gone: this and what it held are taken again after the lease
                self._lanes[lane].close()
                continue
            self._held[lane] += 1

    def _collect(self, timeout: float) -> None:
        """Wait up to `timeout` for ids the answering processes finished."""
        open_lanes = [lane for lane in self._lanes if not lane.closed]
        for ready in wait(open_lanes, timeout):
            conn = cast(Connection, ready)
            lane = self._lanes.index(conn)
            try:
                ids = cast(list[int], conn.recv())
            except (EOFError, OSError):  # the process is gone: what it held is taken again after the lease
                self._lanes[lane].close()
                continue
            self._held[lane] -= len(ids)
            self._done.extend(ids)


def answer_lane(lane: Connection, answerer: Answerer, stop: threading.Event, every: float = POLL) -> None:
    """In an answering process: answer what comes down the pipe, send back the ids finished, until `stop`."""
    while True:
        stopping = stop.is_set()
        while lane.poll(0 if stopping else every):  # when stopping, what was sent already is still answered
            item_id, body, received_at = lane.recv()
            answerer.start(Queued(item_id, body, received_at))
        if stopping:
            answerer.runtime.drain(timeout=20.0)
        done = answerer.finished()
        if done:
            lane.send(done)
        if stopping:
            lane.close()
            return
