"""Background jobs (retention here): run after their first delay, then every period, and survive a failing run."""

from __future__ import annotations

import threading

from bot.housekeeping import retention, start


class _Store:
    """Counts purge runs; the first one fails as a database that is away would."""

    def __init__(self) -> None:
        self.runs = 0
        self.third = threading.Event()

    def purge_expired(self) -> dict[str, int]:
        self.runs += 1
        if self.runs == 3:
            self.third.set()
        if self.runs == 1:
            raise RuntimeError("database away")
        return {"deliveries": 2}


def test_the_purge_runs_again_every_period_even_after_a_failure() -> None:
    store = _Store()
    loop = start(retention(store, first_delay=0.01, period=0.01))
    assert store.third.wait(10)
    loop.stop.set()
    loop.thread.join(10)
    assert not loop.thread.is_alive()


def test_nothing_runs_before_the_first_delay() -> None:
    store = _Store()
    loop = start(retention(store, first_delay=30))
    loop.stop.set()
    loop.thread.join(10)
    assert store.runs == 0
