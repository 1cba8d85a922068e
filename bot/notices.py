"""Helper notices a platform did not take: the resend policy LINE and Slack share (each brings its own send)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from bot.storage import PendingNotice

log = logging.getLogger(__name__)

RESEND_EVERY = 60.0  # seconds between resend runs (a background job of every web worker, see bot.wsgi)
GIVE_WAY = 3  # failed resends in a row that end a run: the platform looks down, the next run tries again


class Outbox(Protocol):
    """What resending needs of the store."""

    def pending_helper_notices(self, platform: str, limit: int = 100) -> list[PendingNotice]: ...

    def pending_notice_delivered(self, notice: PendingNotice) -> None: ...


def resend_pending(store: Outbox | None, platform: str, send: Callable[[PendingNotice], bool]) -> int:
    """Try each undelivered notice once (`send` says whether it is delivered now); returns how many are.

    One try each: the run itself is the retry, and a notice the platform refuses does not hold up the rest.
    """
    if store is None:
        return 0
    delivered = failures = 0
    for notice in store.pending_helper_notices(platform):
        if send(notice):
            store.pending_notice_delivered(notice)
            delivered, failures = delivered + 1, 0
            continue
        failures += 1
        if failures >= GIVE_WAY:
            break
    if delivered:
        log.info("%s helper notices delivered late: %d", platform, delivered)
    return delivered
