"""Group chats: silent on ordinary talk, one quoted warning per dangerous message, checks on mention, settings."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from linebot.v3.webhooks import MessageEvent, TextMessageContent

from bot import texts
from bot.compose import compose, group_alert
from bot.models import CheckResult, Verdict
from handlers.line import postback, replies
from handlers.line.commands import GROUP_COMMANDS, match
from handlers.line.conversation import Conversation
from handlers.line.runtime import PLATFORM, LineRuntime

log = logging.getLogger(__name__)

SPEAKS = {"danger": {Verdict.DANGER}, "caution": {Verdict.DANGER, Verdict.CAUTION}}


def _say(conv: Conversation, text: str) -> None:
    conv.send(replies.text_messages(text))


def _leave(runtime: LineRuntime, conv: Conversation) -> None:
    _say(conv, texts.GROUP_LEAVING)
    if conv.to:
        runtime.client.leave(conv.kind, conv.to)
        if runtime.store is not None:
            runtime.store.forget_group(PLATFORM, conv.to)


def _setting(reply: str, **change: object) -> Callable[[LineRuntime, Conversation], None]:
    def apply(runtime: LineRuntime, conv: Conversation) -> None:
        runtime.store.set_group_settings(PLATFORM, conv.to, **change)
        _say(conv, reply)
    return apply


SETTINGS: dict[str, Callable[[LineRuntime, Conversation], None]] = {
    "leave": _leave,
    "mute": _setting(texts.GROUP_MUTED, muted=True),
    "unmute": _setting(texts.GROUP_UNMUTED, muted=False),
    "caution": _setting(texts.GROUP_LEVEL_CAUTION, alert_level="caution"),
    "danger": _setting(texts.GROUP_LEVEL_DANGER, alert_level="danger"),
}


def _without_mentions(content: TextMessageContent) -> tuple[str, bool]:
    """The text with every mention cut out, and whether the bot itself was mentioned."""
    mentionees = content.mention.mentionees if content.mention else []
    units = content.text.encode("utf-16-le")  # LINE counts mention positions in UTF-16 code units
    for m in sorted(mentionees, key=lambda m: m.index, reverse=True):
        units = units[: m.index * 2] + units[(m.index + m.length) * 2:]
    text = units.decode("utf-16-le", errors="ignore")
    return text.strip(), any(getattr(m, "is_self", False) for m in mentionees)


def _details(result: CheckResult, key: str) -> replies.Msg:
    return replies.verdict_flex(compose(result), key, result.rule_ids, in_group=True)


def _remember(runtime: LineRuntime, conv: Conversation, message_id: str, result: CheckResult) -> None:
    """Keep the result for 「詳しく見る」 and mentions quoting the message: never the text, numbers or hosts."""
    runtime.remember(message_id, conv.to or "", replace(result, phones=(), domains=()), message_ids=(message_id,))


def _on_demand(runtime: LineRuntime, conv: Conversation, event: MessageEvent, text: str) -> None:
    """The bot was mentioned: judge the text (or the quoted message) and always answer."""
    content = event.message
    assert isinstance(content, TextMessageContent)
    if text:
        result = runtime.check(text)
        runtime.record(result)
        _remember(runtime, conv, content.id, result)
        log.info("line group on-demand verdict=%s", result.verdict.value)
        conv.send([_details(result, content.id)])
        return
    quoted = runtime.recall(content.quoted_message_id or "", conv.to)
    if quoted is not None:
        conv.send([_details(quoted.result, content.quoted_message_id or "")])
    else:
        _say(conv, texts.QUOTED_UNKNOWN if content.quoted_message_id else texts.MENTION_HINT)


def on_text(runtime: LineRuntime, conv: Conversation, event: MessageEvent) -> None:
    """Every group text: settings commands, on-demand checks, or a silent check that speaks only on danger."""
    content = event.message
    assert isinstance(content, TextMessageContent)
    text, mentioned = _without_mentions(content)
    command = match(GROUP_COMMANDS, text)
    if command is not None:
        log.info("line group command=%s", command[0])
        SETTINGS[command[0]](runtime, conv)
        return
    if mentioned:
        _on_demand(runtime, conv, event, text)
        return
    result = runtime.check(content.text)
    _remember(runtime, conv, content.id, result)  # so a later mention quoting this message can be answered
    settings = runtime.store.group_settings(PLATFORM, conv.to)
    if settings.muted or result.verdict not in SPEAKS.get(settings.alert_level, SPEAKS["danger"]):
        return
    runtime.record(result)
    log.info("line group alert verdict=%s rules=%s", result.verdict.value, ",".join(result.rule_ids))
    details = replies.quick_reply(replies.postback_action(texts.BUTTON_DETAILS, postback.DETAILS, k=content.id))
    conv.allow_push = False  # a late alert pushed to a group costs quota per member; stay quiet instead
    conv.send(replies.text_messages(group_alert(result), quick=details, quote_token=content.quote_token))


def on_details(runtime: LineRuntime, conv: Conversation, user_id: str, fields: dict[str, str]) -> None:
    """「詳しく見る」 under a group alert."""
    key = fields.get("k", "")
    entry = runtime.recall(key, conv.to)
    if entry is None:
        _say(conv, texts.DETAILS_EXPIRED)
    else:
        conv.send([_details(entry.result, key)])

