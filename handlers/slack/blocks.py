"""Lay a composed Reply out as Block Kit, always within Slack's limits and with a plain text fallback."""

from __future__ import annotations

import json
import re
from typing import Any

from bot import texts
from bot.compose import ICONS, Reply
from bot.models import CheckResult, Verdict

MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_HEADER = 150
MAX_VALUE = 2000
FEEDBACK_TEXT_CHARS = 1200
MAX_FALLBACK = 3900  # Slack shows at most ~4000 chars of a notification; the blocks carry the rest

ACTION_AFTER_CONTACT = "sagi_after_contact"
ACTION_HELPFUL = "sagi_feedback_helpful"
ACTION_WRONG = "sagi_feedback_wrong"

Block = dict[str, Any]

_SCHEME = re.compile(r"(?i)\bhttp(s?)://")
_DOT_BEFORE_TLD = re.compile(r"(?<=[A-Za-z0-9-])\.(?=[A-Za-z][A-Za-z0-9-]+)")


def escape(text: str) -> str:
    """Escape the three characters mrkdwn treats as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def defang(text: str) -> str:
    """Make links quoted from a scam unclickable (Slack auto-links bare URLs and domains)."""
    if "." not in text:
        return text
    return _DOT_BEFORE_TLD.sub("[.]", _SCHEME.sub(r"hxxp\1://", text))


def clip(text: str, limit: int) -> str:
    """Cut text to a limit, marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def section(text: str) -> Block:
    """A mrkdwn section; text must already be escaped."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, MAX_SECTION)}}


def header(text: str) -> Block:
    """A header block (plain text, at most 150 chars)."""
    return {"type": "header", "text": {"type": "plain_text", "text": clip(text, MAX_HEADER), "emoji": True}}


def button(text: str, action_id: str, value: str = "", style: str | None = None) -> Block:
    """A button element."""
    element: Block = {"type": "button", "text": {"type": "plain_text", "text": text, "emoji": True}, "action_id": action_id}
    if value:  # Slack rejects an empty value
        element["value"] = clip(value, MAX_VALUE)
    if style:
        element["style"] = style
    return element


def _titled(title: str, lines: list[str]) -> str:
    """A bold title over whole lines, dropping the lines that would not fit (a cut line could break a link)."""
    text = f"*{title}*"
    for line in lines:
        if len(text) + 1 + len(line) > MAX_SECTION:
            break
        text += "\n" + line
    return text


def _bullets(title: str, lines: tuple[str, ...], dangerous: bool) -> str:
    return _titled(title, ["• " + clip(escape(defang(line) if dangerous else line), MAX_SECTION // 2) for line in lines])


def feedback_value(result: CheckResult, text: str) -> str:
    """What the feedback buttons carry back to us: verdict, rule ids and the text (stored only as a keyed hash)."""
    rule_ids, budget = list(result.rule_ids), FEEDBACK_TEXT_CHARS
    while True:
        data = {"v": result.verdict.value, "r": rule_ids, "t": text[:budget]}
        value = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        if len(value) <= MAX_VALUE:
            return value
        if budget > 0:
            budget = max(0, budget - (len(value) - MAX_VALUE) - 1)
        else:
            rule_ids.pop()


def reply_blocks(reply: Reply, result: CheckResult, text: str, buttons: bool = True) -> list[Block]:
    """The verdict as blocks: title, summary, reasons, what to do, real contacts, report links, buttons."""
    blocks: list[Block] = [header(f"{ICONS[reply.verdict]} {reply.title}"), section(escape(reply.summary))]
    if reply.reasons:
        blocks.append(section(_bullets("こう判断した理由", reply.reasons, dangerous=True)))
    if reply.actions:
        blocks.append(section(_bullets("いますぐすること", reply.actions, dangerous=False)))
    if reply.contacts:
        heading = "本物の連絡先・相談先" if reply.verdict is not Verdict.NO_SIGNS else "困ったときの相談先"
        blocks.append(section(_bullets(heading, reply.contacts, dangerous=False)))
    if reply.links:
        blocks.append(section(_titled("報告先", [f"• <{link.url}|{escape(link.title)}>" for link in reply.links])))
    if buttons:
        value = feedback_value(result, text)
        elements = [button(texts.BUTTON_HELPFUL, ACTION_HELPFUL, value), button(texts.BUTTON_WRONG, ACTION_WRONG, value)]
        if reply.verdict is not Verdict.NO_SIGNS:
            elements.insert(0, button(texts.BUTTON_AFTER_CONTACT, ACTION_AFTER_CONTACT, "", style="danger"))
        blocks.append({"type": "actions", "block_id": "sagi_reply_actions", "elements": elements})
    return blocks[:MAX_BLOCKS]


def fallback(reply: Reply) -> str:
    """The plain text for notifications and screen readers: verdict, summary and reasons (links defanged)."""
    parts = [f"{ICONS[reply.verdict]} {reply.title}", reply.summary]
    if reply.reasons:
        parts.append("【こう判断した理由】\n" + "\n".join(f"・{defang(r)}" for r in reply.reasons))
    return clip("\n".join(parts), MAX_FALLBACK)


def text_blocks(text: str, markup: bool = False) -> list[Block]:
    """Copy as section blocks of at most 3000 characters each; plain text is escaped, markup kept as is."""
    escaped = text if markup else escape(text)
    return [section(escaped[i:i + MAX_SECTION]) for i in range(0, len(escaped), MAX_SECTION)][:MAX_BLOCKS] or [section(" ")]
