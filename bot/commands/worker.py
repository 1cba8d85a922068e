"""`python -m bot worker`: answer the LINE events the web process queued in the database (EVENT_QUEUE=database)."""

from __future__ import annotations

import argparse
import gc
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
from types import FrameType

from bot.config import load_settings
from bot.logs import setup_logging
from bot.malloc import limit_arenas
from bot.services import Services, build_services

log = logging.getLogger(__name__)

# Answering threads per process: the work mostly waits on LINE's API (64 × 2 processes answer 500 events/s
# even when each call takes 200 ms). In their own process, more threads no longer slow the webhook down.
THREADS = 64
# Where web and worker share a machine, the webhook gets the cores first: LINE waits for its 200, while an
# answer can start a little later (measured: webhook p99 160 → 93 ms at 500/s on two cores; docs/run.md).
NICENESS = 10


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `worker` subcommand."""
    parser = sub.add_parser("worker", help="answer LINE events queued in the database (EVENT_QUEUE=database)")
    parser.add_argument("--processes", type=int, default=int(os.environ.get("WORKER_PROCESSES", "2")),
                        help="answering processes (one GIL each: two use two cores); env WORKER_PROCESSES")
    parser.add_argument("--threads", type=int, default=THREADS, help="answering threads per process")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Check that there is something to do, load once, then answer in `--processes` processes until SIGTERM."""
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
    os.nice(NICENESS)
    services = build_services(settings)
    if args.processes <= 1:
        return _answer(services, args.threads)
    # Loaded once and forked: the knowledge base and compiled patterns are shared until written to.
    gc.collect()
    gc.freeze()
    context = multiprocessing.get_context("fork")
    children = [context.Process(target=_child, args=(services, args.threads), name=f"worker-{n}")
                for n in range(args.processes)]
    stopping = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()
        for child in children:
            if child.is_alive():
                child.terminate()  # SIGTERM: each finishes the deliveries in hand

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    for child in children:
        child.start()
    multiprocessing.connection.wait([child.sentinel for child in children])
    if not stopping.is_set():  # one died on its own: stop all, so the supervisor restarts the whole worker
        log.error("a worker process exited (code %s): stopping the others", [c.exitcode for c in children])
        _stop(signal.SIGTERM, None)
    for child in children:
        child.join()
    return 0 if stopping.is_set() and all(c.exitcode == 0 for c in children) else 1


def _child(services: Services, threads: int) -> None:
    """One forked answering process."""
    sys.exit(_answer(services, threads))


def _answer(services: Services, threads: int) -> int:
    """Take and answer queued deliveries until SIGTERM or SIGINT, then finish those in hand."""
    # Handlers are imported here, as the app factory does: the core never imports them at module level.
    from handlers.line import build_runtime
    from handlers.line.inbox import Worker

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    signal.signal(signal.SIGINT, lambda signum, frame: stop.set())
    runtime = build_runtime(services, workers=threads, max_pending=100_000)
    try:
        Worker(runtime).run(stop)
    finally:
        runtime.close()
        if services.store is not None:
            services.store.close()
    return 0
