"""1:1 chat: judge forwarded texts (several at once judged together), and the typed commands."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from linebot.v3.webhooks import MessageEvent, TextMessageContent

from bot import texts
from bot.compose import compose
from bot.detect import MAX_CHARS
from bot.models import Verdict
from handlers.line import helper, replies
from handlers.line.commands import USER_COMMANDS, match
from handlers.line.conversation import Conversation
from handlers.line.runtime import PLATFORM, LineRuntime

log = logging.getLogger(__name__)

Command = Callable[[LineRuntime, Conversation, str, re.Match[str]], None]


def _delete_data(runtime: LineRuntime, conv: Conversation, user_id: str, found: re.Match[str]) -> None:
    helper.unlink_everyone(runtime, user_id)  # the helper must learn that the watch ended
    if runtime.store is not None:
        runtime.store.delete_user(PLATFORM, user_id)
    conv.send(replies.text_messages(texts.DATA_DELETED))


COMMANDS: dict[str, Command] = {
    "helper_setup": helper.setup,
    "helper_redeem": helper.redeem,
    "helper_unlink": helper.unlink,
    "delete_data": _delete_data,
}


def on_texts(runtime: LineRuntime, conv: Conversation, user_id: str, batch: list[MessageEvent]) -> None:
    """A command, or one or more forwarded texts judged together (already claimed)."""
    contents = [e.message for e in batch if isinstance(e.message, TextMessageContent)]
    if len(contents) == 1:
        command = match(USER_COMMANDS, contents[0].text)
        if command is not None:
            name, found = command
            log.info("line command=%s", name)
            COMMANDS[name](runtime, conv, user_id, found)
            return
    judge_texts(runtime, conv, user_id, batch)


def judge_texts(runtime: LineRuntime, conv: Conversation, user_id: str, batch: list[MessageEvent],
                claims: tuple[str, ...] = ()) -> None:
    """Forwarded texts judged together; `claims`: webhook event ids to claim with the answer (events.handle)."""
    contents = [e.message for e in batch if isinstance(e.message, TextMessageContent)]
    text = "\n".join(c.text for c in contents)
    judge(runtime, conv, user_id, text, tuple(c.id for c in contents), claims=claims)


def judge(runtime: LineRuntime, conv: Conversation, user_id: str, text: str, message_ids: tuple[str, ...],
          prefix: list[replies.Msg] | None = None, sender: str | None = None, claims: tuple[str, ...] = ()) -> None:
    """Check the text, answer with the verdict bubble, and tell the helpers when it is dangerous."""
    if not text.strip():
        if claims and not any([runtime.claim(c) for c in claims]):  # every id, even after a duplicate
            return
        conv.send(replies.text_messages(texts.EMPTY_HINT))
        return
    result = runtime.check(text, sender)
    key = message_ids[0]
    danger = result.verdict is Verdict.DANGER
    kept = runtime.keep_answer(claims, key, user_id, result, text, message_ids, with_helpers=danger)
    if kept is None:
        log.info("line events already handled: %s", ",".join(claims))
        return
    runtime.record(result)
    log.info("line 1:1 verdict=%s rules=%s messages=%d", result.verdict.value, ",".join(result.rule_ids),
             len(message_ids))
    messages = list(prefix or [])
    if len(text) > MAX_CHARS:
        messages += replies.text_messages(texts.TOO_LONG)
    messages.append(replies.verdict_flex(compose(result), key, result.rule_ids))
    conv.send(messages)
    if danger:
        helper.send_notices(runtime, user_id, key, result, text, links=kept.helpers)
