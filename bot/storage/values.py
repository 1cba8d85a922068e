"""Values the store hands out: frozen dataclasses that cross into the handlers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from bot.models import CheckResult

LinkStatus = Literal["pending", "confirmed", "revoked", "declined"]
RedeemStatus = Literal["ok", "wrong", "expired", "locked", "self"]
AlertLevel = Literal["danger", "caution"]


@dataclass(frozen=True)
class HelperLink:
    """A family helper watching a user on one platform, with the state of the user's consent."""

    id: int
    platform: str
    user_id: str
    helper_id: str
    status: LinkStatus
    share_full_text: bool
    created_at: dt.datetime
    confirmed_at: dt.datetime | None


@dataclass(frozen=True)
class KeptAnswer:
    """What keeping an answered result did: whether the text itself was kept, and the user's confirmed helpers."""

    text_kept: bool
    helpers: tuple[HelperLink, ...] = ()


@dataclass(frozen=True)
class PendingNotice:
    """A helper notice the platform has not accepted yet: who gets it, its retry key and its messages (JSON)."""

    link_id: int
    message_hash: str
    helper_id: str
    retry_key: str
    messages: str


@dataclass(frozen=True)
class RedeemResult:
    """What happened when a helper typed a link code; link_id/user_id are set only when status is "ok"."""

    status: RedeemStatus
    link_id: int | None = None
    user_id: str | None = None


@dataclass(frozen=True)
class GroupSettings:
    """How the bot behaves in a group or channel: alert on danger only or also caution; muted or not."""

    alert_level: AlertLevel = "danger"
    muted: bool = False


@dataclass(frozen=True)
class ReportRow:
    """A number or host users reported as a scam, counted by distinct reporters."""

    key: str
    reporters: int
    first_reported: dt.datetime
    last_reported: dt.datetime


@dataclass(frozen=True)
class Stats:
    """Aggregates for the maintainer dashboard: never any text or user id."""

    days: int
    checks_by_day: dict[str, dict[str, int]] = field(default_factory=dict)  # "2026-11-28" -> verdict -> count
    top_brands: list[tuple[str, int]] = field(default_factory=list)
    top_rules: list[tuple[str, int]] = field(default_factory=list)
    feedback: dict[str, int] = field(default_factory=dict)  # answer -> count

    @property
    def total_checks(self) -> int:
        """All checks in the period."""
        return sum(sum(by_verdict.values()) for by_verdict in self.checks_by_day.values())


@dataclass(frozen=True)
class RecentRow:
    """A check result kept for the buttons under an answer; text only while the user shares it with a helper."""

    key: str
    result: CheckResult  # rebuilt: reasons carry the message's words only when `text` is kept too
    text_hash: str | None
    text: str | None
    created_at: dt.datetime
    expires_at: dt.datetime
