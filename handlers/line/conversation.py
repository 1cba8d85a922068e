"""Answering one unit of work: the reply token once while it is fresh, push for the rest or when it is stale."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

from handlers.line.client import MAX_PER_CALL, LineClient, ReplyOutcome
from handlers.line.limits import batches

log = logging.getLogger(__name__)

# A reply token lives about a minute; past this we push instead of risking "Invalid reply token".
REPLY_WINDOW = 50.0


@dataclass
class Conversation:
    """The chat an event came from and how to answer it."""

    client: LineClient
    to: str | None  # user, group or room id (push target)
    reply_token: str | None
    received: float = field(default_factory=time.monotonic)
    window: float = REPLY_WINDOW
    allow_push: bool = True
    kind: str = "user"  # "user", "group" or "room"
    _token_used: bool = False

    @property
    def in_group(self) -> bool:
        """A group or multi-person chat rather than 1:1."""
        return self.kind != "user"

    def token_fresh(self) -> bool:
        """The reply token is unused and young enough to trust."""
        return bool(self.reply_token) and not self._token_used and time.monotonic() - self.received < self.window

    def send(self, messages: list[dict[str, Any]]) -> bool:
        """Reply with up to 5 messages; push any more, or everything when the token cannot be used."""
        if not messages:
            return True
        chunks = batches(messages, MAX_PER_CALL)
        if self.token_fresh():
            self._token_used = True
            outcome = self.client.reply(self.reply_token or "", chunks[0])
            if outcome is ReplyOutcome.SENT:
                return all(self._push(chunk) for chunk in chunks[1:])
            if outcome is ReplyOutcome.GIVE_UP:
                return False
            log.info("reply not delivered; falling back to push")
        return all(self._push(chunk) for chunk in chunks)

    def _push(self, chunk: list[dict[str, Any]]) -> bool:
        if not self.allow_push or not self.to:
            log.info("answer dropped: reply token unusable and push not allowed here (%s)", self.kind)
            return False
        return self.client.push(self.to, chunk)
