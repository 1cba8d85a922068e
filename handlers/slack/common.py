"""What every Slack listener shares: reading Slack's message markup, judging text, calling the Web API safely."""

from __future__ import annotations

import http.client
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from slack_bolt import Respond
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.compose import Reply, compose
from bot.detect import MAX_CHARS
from bot.metrics import OUTBOUND_ERRORS, timed_check
from bot.models import CheckResult
from bot.services import Services

log = logging.getLogger(__name__)

PLATFORM = "slack"
T = TypeVar("T")

# <https://x.example|x.example>, <tel:0312345678|03-1234-5678>, <@U123>, <#C123|general>, <!here>
_MARKUP = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^<>]*)?>")


def _plain(match: re.Match[str]) -> str:
    target, label = match.group(1), match.group(2)
    if target.startswith(("@", "!")):
        return ""
    if target.startswith("#"):
        return f"#{label}" if label else ""
    return label if label else target


def plain_text(markup: str) -> str:
    """Slack's message markup back to what the person typed: links as written, no mentions, entities decoded."""
    text = _MARKUP.sub(_plain, markup)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()


def without_mentions(markup: str) -> str:
    """The markup with every user mention removed."""
    return _MENTION.sub("", markup).strip()


def mentions(markup: str, user_id: str | None) -> bool:
    """Whether the markup mentions this user (the bot)."""
    return bool(user_id) and f"<@{user_id}" in markup


def is_from_bot(event: dict[str, Any]) -> bool:
    """Bots (this one included) never get answered, or alerts could loop between bots."""
    return bool(event.get("bot_id")) or event.get("subtype") == "bot_message" or "bot_profile" in event


@dataclass(frozen=True)
class Judged:
    """One judged text with its composed reply."""

    result: CheckResult
    reply: Reply
    truncated: bool


def judge(services: Services, text: str, sender: str | None = None, record: bool = True) -> Judged:
    """Run the detector, count the verdict and keep the anonymous statistics (never the text)."""
    result = timed_check(services.detector, text, sender, PLATFORM)
    if record:
        record_check(services, result)
    log.log(logging.INFO if record else logging.DEBUG, "slack check verdict=%s rules=%s", result.verdict.value,
            ",".join(result.rule_ids[:10]))
    return Judged(result=result, reply=compose(result), truncated=len(text) > MAX_CHARS)


def record_check(services: Services, result: CheckResult) -> None:
    """Anonymous daily statistics: verdict, brand and rule ids."""
    if services.store is None:
        return
    try:
        services.store.record_check(PLATFORM, result.verdict.value, result.brand_id, list(result.rule_ids))
    except Exception:  # statistics must never cost the user their answer
        log.exception("slack: could not record check statistics")


def safe(name: str, call: Callable[[], T]) -> T | None:
    """Run one Web API call; a failure is logged (error code only) and counted, never raised into bolt."""
    try:
        return call()
    except SlackApiError as exc:
        OUTBOUND_ERRORS.labels(platform=PLATFORM).inc()
        log.warning("slack %s failed: %s", name, exc.response.get("error"))
    except (SlackClientError, OSError, ValueError, http.client.HTTPException) as exc:  # ValueError: a bad URL
        OUTBOUND_ERRORS.labels(platform=PLATFORM).inc()
        log.warning("slack %s failed: %s", name, type(exc).__name__)
    return None


def respond_safely(respond: Respond, **message: Any) -> None:
    """Answer through response_url; a failure is logged and counted like any Web API call."""
    if not getattr(respond, "response_url", None):  # bolt's respond() raises ValueError without one
        log.warning("slack response_url missing: answer dropped")
        return
    safe("response_url", lambda: respond(**message))
