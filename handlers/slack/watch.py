"""Channel watch: check every human message in channels the bot is in; alert in a thread only when it matters."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot import texts
from bot.compose import group_alert
from bot.models import Verdict
from bot.services import Services
from handlers.slack import helper
from handlers.slack import texts as slack_texts
from handlers.slack.blocks import defang, escape, section
from handlers.slack.common import PLATFORM, is_from_bot, judge, mentions, plain_text, record_check, safe

log = logging.getLogger(__name__)

# Subtypes that are a person posting; edits, joins, topic changes and bot posts are not checked.
HUMAN_SUBTYPES = (None, "thread_broadcast", "file_share")
COMMAND_PREFIX = "詐欺チェック"
# A channel setting said to the bot: the store change and the confirmation.
SETTINGS: dict[str, tuple[dict[str, Any], str]] = {
    "注意も": ({"alert_level": "caution"}, texts.GROUP_LEVEL_CAUTION),
    "危険のみ": ({"alert_level": "danger"}, texts.GROUP_LEVEL_DANGER),
    "静かに": ({"muted": True}, slack_texts.CHANNEL_MUTED),
    "再開": ({"muted": False}, texts.GROUP_UNMUTED),
}


def handle_setting(services: Services, channel: str, text: str, say: Callable[[str], None]) -> bool:
    """A mention that is a channel setting word (optionally after 詐欺チェック); False otherwise."""
    word = text.removeprefix(COMMAND_PREFIX).strip()
    if word not in SETTINGS or services.store is None:
        return False
    change, confirmation = SETTINGS[word]
    services.store.set_group_settings(PLATFORM, channel, **change)
    log.info("slack channel settings changed: %s", change)
    say(confirmation)
    return True


def should_alert(verdict: Verdict, alert_level: str) -> bool:
    """Danger always; caution only where the channel asked for it."""
    return verdict is Verdict.DANGER or (verdict is Verdict.CAUTION and alert_level == "caution")


def on_channel_message(services: Services, client: WebClient, event: dict[str, Any], bot_user_id: str | None) -> None:
    """One channel message: silent unless it looks like a scam, then one alert in its thread."""
    if is_from_bot(event) or event.get("subtype") not in HUMAN_SUBTYPES:
        return
    markup = event.get("text") or ""
    if mentions(markup, bot_user_id):
        return  # the app_mention listener answers this one
    text = plain_text(markup)
    if not text:
        return
    channel, ts = event["channel"], event["ts"]
    store = services.store
    settings = store.group_settings(PLATFORM, channel) if store is not None else None
    if settings is not None and settings.muted:
        return
    judged = judge(services, text, record=False)
    if not should_alert(judged.result.verdict, settings.alert_level if settings else "danger"):
        return
    # Once per message, even if Slack delivers it under another event id.
    if store is not None and not store.claim_delivery(PLATFORM, f"alert:{channel}:{ts}"):
        return
    record_check(services, judged.result)
    alert = defang(group_alert(judged.result))
    blocks = [section(escape(alert)),
              {"type": "context", "elements": [{"type": "mrkdwn", "text": slack_texts.SEE_DM_FOR_DETAILS}]}]
    safe("chat.postMessage", lambda: client.chat_postMessage(
        channel=channel, thread_ts=event.get("thread_ts") or ts, text=alert, blocks=blocks,
        unfurl_links=False, unfurl_media=False))
    log.info("slack channel alert verdict=%s", judged.result.verdict.value)


def on_member_joined(services: Services, client: WebClient, event: dict[str, Any], bot_user_id: str | None) -> None:
    """The bot was invited: say once what it does and how to quiet it."""
    if event.get("user") and event.get("user") == bot_user_id:
        channel = event["channel"]
        safe("chat.postMessage", lambda: client.chat_postMessage(channel=channel, text=slack_texts.CHANNEL_INTRO))


def register(app: App, services: Services) -> None:
    """Wire the channel events."""

    @app.event("member_joined_channel")
    def _joined(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        on_member_joined(services, client, event, context.bot_user_id)

    @app.event("channel_left")
    @app.event("group_left")
    def _left(event: dict[str, Any], client: WebClient) -> None:
        """Removed from a channel: forget its settings and end helper links to it (notices could not arrive)."""
        channel = event.get("channel")
        if services.store is not None and channel:
            services.store.forget_group(PLATFORM, channel)
            helper.stop(services, client, channel, lambda _: None)
