"""`python -m bot worker`: answer the LINE events the web process queued in the database (EVENT_QUEUE=database)."""

from __future__ import annotations

import argparse
import gc
import logging
import multiprocessing
import multiprocessing.connection
import multiprocessing.process
import os
import signal
import sys
import threading
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

from bot.config import load_settings
from bot.logs import setup_logging
from bot.malloc import limit_arenas
from bot.services import Services, build_services

if TYPE_CHECKING:
    from handlers.line.runtime import LineRuntime

log = logging.getLogger(__name__)

# Answering threads per process: the work mostly waits on LINE's API (64 × 2 processes keep 640 calls a second
# going when each takes 200 ms; the cores, not the threads, are then the limit). In their own processes, more
# threads no longer slow the webhook down.
THREADS = 64
# Where web and answering processes share a machine, the webhook gets the cores first: LINE waits for its 200,
# while an answer can start a little later (measured at 500/s on two cores without it: webhook p50 177 ms,
# p99 1.3 s; with it, p99 93 ms at the time).
NICENESS = 10


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `worker` subcommand."""
    parser = sub.add_parser("worker", help="answer LINE events queued in the database (EVENT_QUEUE=database)")
    parser.add_argument("--processes", type=int, default=int(os.environ.get("WORKER_PROCESSES", "2")),
                        help="answering processes (one GIL each: two use two cores); env WORKER_PROCESSES")
    parser.add_argument("--threads", type=int, default=THREADS, help="answering threads per process")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Check that there is something to do, load once, then answer until SIGTERM or SIGINT."""
    settings = load_settings()
    if settings.event_queue != "database":
        print("EVENT_QUEUE is not database: the web process answers LINE events itself, a worker has nothing "
              "to do (set EVENT_QUEUE=database for both)", file=sys.stderr)
        return 2
    if not settings.line_enabled:
        print("LINE is disabled: set LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN", file=sys.stderr)
        return 2
    setup_logging(settings.log_format, settings.log_level)
    limit_arenas()
    services = build_services(settings)
    stop = _stop_on_signals()
    if args.processes <= 1:
        os.nice(NICENESS)
        return _answer_alone(services, args.threads, stop)
    return _dispatch(services, args.processes, args.threads, stop)


def _answer_alone(services: Services, threads: int, stop: threading.Event) -> int:
    """One process takes deliveries and answers them."""
    # Handlers are imported here, as the app factory does: the core never imports them at module level.
    from handlers.line.answering import Worker

    runtime = _runtime(services, threads)
    try:
        Worker(runtime).run(stop)
    finally:
        runtime.close()
        _close(services)
    return 0


def _dispatch(services: Services, processes: int, threads: int, stop: threading.Event) -> int:
    """This process takes deliveries and hands them to `processes` forked answering processes, through pipes."""
    from handlers.line.answering import IN_FLIGHT, Dispatcher

    # Loaded once and forked: the knowledge base and compiled patterns are shared until written to.
    gc.collect()
    gc.freeze()
    context = multiprocessing.get_context("fork")
    lanes: list[Connection] = []
    children = []
    for n in range(processes):
        ours, theirs = context.Pipe()
        lanes.append(ours)
        child = context.Process(target=_answer_lane, args=(services, threads, theirs, lanes), name=f"answer-{n}")
        child.start()
        theirs.close()
        children.append(child)

    def stop_children() -> None:
        for child in children:
            if child.is_alive():
                child.terminate()  # SIGTERM: each answers what it was sent, sends back the ids, then exits

    assert services.store is not None, "build_services always opens the store"
    threading.Thread(target=_watch, args=(children, stop), daemon=True).start()
    try:
        Dispatcher(services.store.inbox, lanes, IN_FLIGHT * threads).run(stop, stop_children)
    finally:
        stop_children()
        for child in children:
            child.join(30)
            if child.is_alive():  # past every grace period: what it held is taken again after the lease
                child.kill()
                child.join()
        _close(services)
    failed = [c.exitcode for c in children if c.exitcode != 0]
    if failed:
        log.error("answering processes exited with %s", failed)
    return 1 if failed else 0


def _watch(children: list[multiprocessing.process.BaseProcess], stop: threading.Event) -> None:
    """One answering process died on its own: stop all, so the supervisor restarts the whole worker."""
    multiprocessing.connection.wait([child.sentinel for child in children])
    if not stop.is_set():
        log.error("an answering process exited: stopping the worker")
        stop.set()


def _answer_lane(services: Services, threads: int, lane: Connection, dispatchers_ends: list[Connection]) -> None:
    """A forked answering process: answer what the dispatcher sends, lower in priority than the webhook."""
    from handlers.line.answering import Answerer, answer_lane

    for end in dispatchers_ends:  # inherited over fork; only the dispatcher uses them
        end.close()
    os.nice(NICENESS)
    stop = _stop_on_signals()  # this process's own: the handlers forked from the dispatcher set its event
    runtime = _runtime(services, threads)
    try:
        answer_lane(lane, Answerer(runtime), stop)
    finally:
        runtime.close(cancel_queued=True)  # after answer_lane's drain: what never started is taken again later
        _close(services)


def _stop_on_signals() -> threading.Event:
    """An event SIGTERM and SIGINT set: the process finishes what it holds, then ends."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    signal.signal(signal.SIGINT, lambda signum, frame: stop.set())
    return stop


def _runtime(services: Services, threads: int) -> LineRuntime:
    """The LINE runtime of an answering process: its threads; the inbox bounds what waits, not the runtime."""
    from handlers.line import build_runtime

    return build_runtime(services, workers=threads, max_pending=100_000)


def _close(services: Services) -> None:
    if services.store is not None:
        services.store.close()
