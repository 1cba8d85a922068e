"""Retention without a cron job: each web worker enforces the retention periods about once a day."""

from __future__ import annotations

import logging
import random
import threading
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger(__name__)

DAY = 24 * 60 * 60.0


class Purging(Protocol):
    """What the loop needs of the store."""

    def purge_expired(self) -> dict[str, int]: ...


@dataclass(frozen=True)
class PurgeLoop:
    """The running loop: set `stop` to end it."""

    thread: threading.Thread
    stop: threading.Event


def start_daily_purge(store: Purging, first_delay: float | None = None, period: float = DAY) -> PurgeLoop:
    """Run store.purge_expired in a daemon thread: a few minutes after start, then every `period` seconds.

    A forgotten cron job would keep data past the periods promised in docs/storage.md; here the web process
    does it. Workers and instances need not agree on who runs it: deleting expired rows twice deletes nothing
    the second time. The first run waits 1–10 minutes (random), so restarts do not all purge at once.
    """
    stop = threading.Event()

    def loop() -> None:
        delay = random.uniform(60, 600) if first_delay is None else first_delay
        while not stop.wait(delay):
            try:
                purged = store.purge_expired()
                log.info("retention: %d rows past their period deleted or blanked", sum(purged.values()))
            except Exception:  # the database may be away for a while: try again at the next period
                log.warning("retention run failed", exc_info=True)
            delay = period

    thread = threading.Thread(target=loop, name="retention", daemon=True)
    thread.start()
    return PurgeLoop(thread, stop)
