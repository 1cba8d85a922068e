"""Button presses (postbacks): a table from the action in the data to what it does."""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot import texts
from bot.compose import AFTER_CONTACT, compose
from bot.models import CheckResult, Verdict
from handlers.line import group, helper, postback, replies
from handlers.line.conversation import Conversation
from handlers.line.runtime import PLATFORM, LineRuntime

log = logging.getLogger(__name__)

Action = Callable[[LineRuntime, Conversation, str, dict[str, str]], None]
ANSWERS = {"helpful": texts.BUTTON_HELPFUL, "wrong": texts.BUTTON_WRONG}


def _say(conv: Conversation, text: str) -> None:
    conv.send(replies.text_messages(text))


def _report_pages(runtime: LineRuntime, conv: Conversation, user_id: str, fields: dict[str, str]) -> None:
    entry = runtime.recall(fields.get("k", ""), conv.to)
    _say(conv, replies.links_text(compose(entry.result)) if entry else texts.DETAILS_EXPIRED)


def _after_contact(runtime: LineRuntime, conv: Conversation, user_id: str, fields: dict[str, str]) -> None:
    _say(conv, AFTER_CONTACT)


def _tell_family(runtime: LineRuntime, conv: Conversation, user_id: str, fields: dict[str, str]) -> None:
    status = helper.notify(runtime, user_id, fields.get("k", ""))
    answers = {"sent": texts.TELL_FAMILY_SENT, "none": texts.TELL_FAMILY_NONE, "expired": texts.TELL_FAMILY_EXPIRED,
               "failed": texts.TELL_FAMILY_FAILED}
    _say(conv, answers[status])


def _report_keys(runtime: LineRuntime, result: CheckResult) -> list[str]:
    """Numbers and hosts of a message the user confirmed as a scam, minus the brands' official domains."""
    official = {d.lower() for b in runtime.services.knowledge.brands for d in b.official_domains}
    hosts = [h for h in result.domains if not any(h == d or h.endswith("." + d) for d in official)]
    return list(result.phones) + hosts


def _feedback(runtime: LineRuntime, conv: Conversation, user_id: str, fields: dict[str, str]) -> None:
    answer, verdict, key = fields.get("ans", ""), fields.get("v", ""), fields.get("k", "")
    if answer not in ANSWERS or verdict not in {v.value for v in Verdict}:
        return
    rule_ids = [r for r in fields.get("r", "").split(",") if r]
    entry = runtime.recall(key, conv.to)
    if runtime.store is not None:
        runtime.store.add_feedback(PLATFORM, user_id, verdict, rule_ids, answer, "", message_id=key or None,
                                   text_hash=entry.text_hash if entry else None)
        if answer == "helpful" and entry is not None and entry.result.verdict is not Verdict.NO_SIGNS:
            # The user agrees it is a scam: its numbers and hosts count as one community report.
            keys = _report_keys(runtime, entry.result)
            if keys:
                runtime.store.add_report(PLATFORM, user_id, keys)
    log.info("line feedback answer=%s verdict=%s", answer, verdict)
    _say(conv, texts.FEEDBACK_THANKS)


ACTIONS: dict[str, Action] = {
    postback.REPORT: _report_pages,
    postback.AFTER: _after_contact,
    postback.TELL: _tell_family,
    postback.FEEDBACK: _feedback,
    postback.DETAILS: group.on_details,
    postback.LINK: helper.on_link_answer,
    postback.SHARE: helper.on_share,
}
ONE_TO_ONE_ONLY = {postback.TELL, postback.FEEDBACK, postback.LINK, postback.SHARE}


def on_postback(runtime: LineRuntime, conv: Conversation, user_id: str | None, data: str) -> None:
    """Run the button's action; buttons about one's own data work only in the 1:1 chat."""
    fields = postback.decode(data)
    name = fields.get("a", "")
    action = ACTIONS.get(name)
    if action is None or (name in ONE_TO_ONE_ONLY and (conv.in_group or not user_id)):
        log.info("line postback ignored action=%s", name[:20])
        return
    log.info("line postback action=%s", name)
    action(runtime, conv, user_id or "", fields)
