"""EVENT_QUEUE=database, the answering side (`python -m bot worker`): take queued deliveries, answer, delete them.

Two shapes. `Worker`: one process takes deliveries and answers them (`--processes 1`, the tests). `Dispatcher`
with `answer_lane`: a parent process takes deliveries and sends them down pipes to forked answering processes,
which send back the ids they finished.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from functools import partial
from multiprocessing.connection import Connection, wait
from typing import cast

from bot.storage.inbox import InboxStore, Queued
from handlers.line import events
from handlers.line.runtime import PLATFORM, LineRuntime
from handlers.line.webhook import events_of, plan

log = logging.getLogger(__name__)

IN_FLIGHT = 2  # deliveries an answering process holds per answering thread: its threads never idle between rounds
# Seconds between rounds: each round holds the inbox's write turn once (delete the answered, lease more), and
# every webhook queues through that turn. Measured at 500/s: webhook p99 72–85 ms with rounds 0.1 s apart,
# 39–43 ms with 0.25 s, and as many answered.
ROUND_GAP = 0.25
# Seconds between looks at the inbox when the last round found nothing: a read, which takes no write turn, so a
# new delivery is taken within this (and the round gap) instead of waiting for a full round.
POLL = 0.05
# Seconds between attempts to wipe deleted bodies from SQLite's log even while deliveries keep coming
# (InboxStore.forget_deleted; when the inbox runs empty it is done at once).
FORGET_EVERY = 30.0
LATE_ITEMS = 0.2  # seconds a stopping answering process still waits for deliveries of a round already sent


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

    @property
    def held(self) -> int:
        """Deliveries given and not finished yet."""
        with self._lock:
            return self._held

    @property
    def has_finished(self) -> bool:
        """Whether any answered ids wait to be deleted."""
        with self._lock:
            return bool(self._done)

    def finished(self) -> list[int]:
        """The ids answered since the last call (to delete from the inbox)."""
        with self._lock:
            done, self._done = self._done, []
        return done

    def keep(self, ids: list[int]) -> None:
        """Take back ids from `finished` that could not be deleted: they are handed out again next time."""
        with self._lock:
            self._done[:0] = ids

    def start(self, item: Queued) -> None:
        """Hand the delivery's events to the runtime's threads; a delivery that cannot even be planned is dropped."""
        with self._lock:
            self._held += 1
        try:
            self._start(item)
        except Exception:  # never seen: plan() already skips what it cannot read. Logged by id, never by content.
            log.exception("line delivery %d could not be planned: dropped", item.id)
            self._finished(item.id)

    def _start(self, item: Queued) -> None:
        """Plan the delivery's units as the webhook would have."""
        try:
            raw_events = events_of(item.body)
        except ValueError:  # the webhook queues only bodies it could read
            raw_events = []
        # Received in another process: its monotonic clock means nothing here, the wall clock does.
        received = time.monotonic() - max(0.0, time.time() - item.received_at.timestamp())
        units = plan(raw_events, received)
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


class _Rounds:
    """What Worker and Dispatcher share: when a round is due, and wiping deleted bodies off the disk."""

    def __init__(self, store: InboxStore) -> None:
        self._store = store
        self._forgotten_at = time.monotonic()

    def rounds(self, stop: threading.Event, due: Callable[[], bool], step: Callable[[], object],
               wait: Callable[[float], object]) -> None:
        """Call `step` whenever `due()` says so, at most once per ROUND_GAP; `wait(seconds)` in between."""
        last_round = -ROUND_GAP
        while not stop.is_set():
            early = last_round + ROUND_GAP - time.monotonic()
            if early > 0:
                wait(early)
                continue
            try:
                if due():
                    last_round = time.monotonic()
                    step()
                else:
                    wait(POLL)
            except Exception:  # the database is away for a moment: try again, never die of it
                log.exception("line inbox round failed")
                wait(ROUND_GAP)

    def delete(self, done: list[int], room: int, keep: Callable[[list[int]], None]) -> list[Queued]:
        """Delete the answered, take up to `room` more; the answered are kept for the next round if this one fails."""
        try:
            return self._store.take_deliveries(PLATFORM, room, finished=done)
        except Exception:
            keep(done)
            raise

    def forget(self, idle: bool) -> None:
        """After a round: wipe deleted bodies from SQLite's log if idle or due, else copy the log outside the turn."""
        if idle or time.monotonic() - self._forgotten_at > FORGET_EVERY:
            self._forgotten_at = time.monotonic()
            self._store.forget_deleted()
        else:
            self._store.checkpoint()


class Worker(_Rounds):
    """Rounds and answers in one process: `python -m bot worker --processes 1`, and the tests."""

    def __init__(self, runtime: LineRuntime) -> None:
        super().__init__(runtime.store.inbox)
        self.runtime = runtime
        self.answerer = Answerer(runtime)

    def step(self, take: bool = True) -> int:
        """One round: delete what was answered and take what fits; returns how many deliveries were taken."""
        done = self.answerer.finished()
        taken = self.delete(done, self.answerer.room if take else 0, self.answerer.keep)
        for item in taken:
            self.answerer.start(item)
        if done or taken:
            self.forget(idle=not taken and self.answerer.held == 0)
        return len(taken)

    def run(self, stop: threading.Event) -> None:
        """Until `stop` is set; then the deliveries in hand are answered and deleted before returning."""
        log.info("line worker taking deliveries from the inbox")

        def due() -> bool:
            return self.answerer.has_finished or (self.answerer.room > 0 and self._store.has_free_delivery(PLATFORM))

        self.rounds(stop, due, self.step, stop.wait)
        self.runtime.drain(timeout=20.0)
        self.step(take=False)
        log.info("line worker stopped")


class Dispatcher(_Rounds):
    """Rounds for answering processes (`python -m bot worker`): it takes deliveries and sends them down pipes.

    Why not let each answering process take its own: a round holds the inbox's write turn, and every webhook
    queues through that turn. Taken by a busy, lowered-priority process, the turn was held 15 ms at the median
    and up to 190 ms (the process waited for its GIL and for a core between statements), and the webhook's
    p99 followed. This process does nothing else, so a round takes about a millisecond.
    """

    def __init__(self, store: InboxStore, lanes: list[Connection], capacity: int) -> None:
        super().__init__(store)
        self._lanes = lanes
        self._held = [0] * len(lanes)
        self._capacity = capacity
        self._done: list[int] = []
        self._stop = threading.Event()

    def run(self, stop: threading.Event, stop_lanes: Callable[[], None], grace: float = 30.0) -> None:
        """Until `stop` is set; then `stop_lanes()`, and the ids they still finish are deleted (for up to `grace` s)."""
        log.info("line dispatcher taking deliveries for %d answering processes", len(self._lanes))
        self._stop = stop
        self.rounds(stop, self._due, self._step, self._collect)
        stop_lanes()
        deadline = time.monotonic() + grace
        while any(not lane.closed for lane in self._lanes) and time.monotonic() < deadline:
            self._collect(1.0)
        if self._done:
            self._store.take_deliveries(PLATFORM, 0, finished=self._done)
        self._store.forget_deleted()

    def _open(self) -> list[int]:
        return [n for n, lane in enumerate(self._lanes) if not lane.closed]

    def _room(self) -> int:
        return sum(self._capacity - self._held[n] for n in self._open())

    def _due(self) -> bool:
        return bool(self._done) or (self._room() > 0 and self._store.has_free_delivery(PLATFORM))

    def _keep(self, ids: list[int]) -> None:
        self._done[:0] = ids

    def _step(self) -> None:
        done, self._done = self._done, []
        taken = self.delete(done, self._room(), self._keep)
        for item in taken:  # each to the lane with the most room
            open_lanes = self._open()
            if not open_lanes or self._stop.is_set():
                break  # left leased: taken again after the lease (at shutdown, by the next worker)
            lane = min(open_lanes, key=lambda n: self._held[n])
            try:
                self._lanes[lane].send((item.id, item.body, item.received_at))
            except OSError:  # the process is gone: this and what it held are taken again after the lease
                self._lanes[lane].close()
                continue
            self._held[lane] += 1
        if done or taken:
            self.forget(idle=not taken and sum(self._held) == 0)

    def _collect(self, timeout: float) -> None:
        """Wait up to `timeout` for ids the answering processes finished."""
        for ready in wait([self._lanes[n] for n in self._open()], timeout):
            conn = cast(Connection, ready)
            lane = self._lanes.index(conn)
            try:
                ids = cast(list[int], conn.recv())
            except (EOFError, OSError):  # the process is gone: what it held is taken again after the lease
                conn.close()
                self._held[lane] = 0
                continue
            self._held[lane] -= len(ids)
            self._done.extend(ids)


def answer_lane(lane: Connection, answerer: Answerer, stop: threading.Event, every: float = POLL) -> None:
    """In an answering process: answer what comes down the pipe, send back the ids finished, until `stop`.

    When stopping, what was sent already is still answered, and so is a round the dispatcher was sending: the
    process waits LATE_ITEMS for more before it finishes. A dispatcher that is gone stops it too.
    """
    try:
        while True:
            stopping = stop.is_set()
            if lane.poll(LATE_ITEMS if stopping else every):
                while True:  # everything that has arrived, then report what is done
                    item_id, body, received_at = lane.recv()
                    answerer.start(Queued(item_id, body, received_at))
                    if not lane.poll(0):
                        break
            elif stopping:
                break
            done = answerer.finished()
            if done:
                lane.send(done)
        answerer.runtime.drain(timeout=20.0)
        done = answerer.finished()
        if done:
            lane.send(done)
    except (EOFError, OSError):  # the dispatcher is gone: its deliveries are taken again after the lease
        log.warning("line answering process lost its dispatcher")
        answerer.runtime.drain(timeout=20.0)
    finally:
        lane.close()
