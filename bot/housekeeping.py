"""Background jobs of the web process: retention about once a day, and whatever the channels register.

No cron job to forget: each gunicorn worker runs them in daemon threads (bot.wsgi starts them). Workers and
instances need not agree on who runs a job, so every job must be harmless to run twice at once.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger(__name__)

DAY = 24 * 60 * 60.0
JOBS = "sagi_jobs"  # app.extensions key: the Periodic jobs the channels register


class Purging(Protocol):
    """What the retention job needs of the store."""

    def purge_expired(self) -> dict[str, int]: ...


@dataclass(frozen=True)
class Periodic:
    """A job to run every `period` seconds, the first time after `first_delay`."""

    name: str
    work: Callable[[], object]
    period: float
    first_delay: float


@dataclass(frozen=True)
class Running:
    """A started job: set `stop` to end it."""

    thread: threading.Thread
    stop: threading.Event


def start(job: Periodic) -> Running:
    """Run the job in a daemon thread until stopped; a failed run is logged and the next one comes as planned."""
    stop = threading.Event()

    def loop() -> None:
        delay = job.first_delay
        while not stop.wait(delay):
            try:
                job.work()
            except Exception:  # the database or the platform may be away for a while: try again next period
                log.warning("%s run failed", job.name, exc_info=True)
            delay = job.period

    thread = threading.Thread(target=loop, name=job.name, daemon=True)
    thread.start()
    return Running(thread, stop)


def retention(store: Purging, first_delay: float | None = None, period: float = DAY) -> Periodic:
    """store.purge_expired a few minutes after start, then every `period` seconds.

    A forgotten cron job would keep data past the periods promised in docs/storage.md; here the web process
    does it, and deleting expired rows twice deletes nothing the second time. The first run waits 1–10
    minutes (random), so restarts do not all purge at once.
    """
    def purge() -> None:
        purged = store.purge_expired()
        log.info("retention: %d rows past their period deleted or blanked", sum(purged.values()))

    return Periodic("retention", purge, period, random.uniform(60, 600) if first_delay is None else first_delay)
