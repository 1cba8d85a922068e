"""Recent check results, in process memory only, so buttons pressed minutes later can use them.

Nothing here reaches the database; entries expire after a short time, on `unsend`, or when the cache is full.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from bot.models import CheckResult


@dataclass(frozen=True)
class Recent:
    """One judged message: the result and, for 1:1 checks only, the text (for feedback and helper sharing)."""

    result: CheckResult
    owner: str  # the chat it was judged in; buttons from any other chat cannot reach it
    text: str = ""
    message_ids: tuple[str, ...] = ()


class RecentChecks:
    """A small thread-safe TTL cache keyed by LINE message id."""

    def __init__(self, ttl: float = 1800.0, size: int = 2000) -> None:
        self.ttl = ttl
        self.size = size
        self._items: OrderedDict[str, tuple[float, Recent]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, key: str, entry: Recent) -> None:
        """Remember an entry, evicting the oldest when full."""
        with self._lock:
            self._items[key] = (time.monotonic() + self.ttl, entry)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def get(self, key: str, owner: str | None) -> Recent | None:
        """The entry if still fresh and judged in this chat."""
        with self._lock:
            item = self._items.get(key)
            if item is None or item[0] < time.monotonic():
                self._items.pop(key, None)
                return None
            return item[1] if owner and item[1].owner == owner else None

    def forget_message(self, message_id: str) -> list[str]:
        """Drop every entry that includes this message (the user unsent it); returns their keys."""
        with self._lock:
            keys = [k for k, (_, e) in self._items.items() if k == message_id or message_id in e.message_ids]
            for key in keys:
                del self._items[key]
        return keys
