"""LINE message builders: the core's Reply laid out as Flex, and plain texts within LINE's limits."""

from __future__ import annotations

from typing import Any

from bot import texts
from bot.compose import Reply
from bot.models import Verdict
from handlers.line import postback
from handlers.line.limits import ALT_TEXT_LIMIT, BUBBLE_BYTES, json_bytes, shorten, split_text

Msg = dict[str, Any]
COLORS = {Verdict.DANGER: "#C62828", Verdict.CAUTION: "#EF6C00", Verdict.NO_SIGNS: "#546E7A"}
ITEM_LIMIT = 300  # characters per reason/contact line inside the bubble


def postback_action(label: str, action: str, **values: str) -> Msg:
    """A postback button that also shows the tapped label in the chat."""
    return {"type": "postback", "label": label, "data": postback.encode(action, **values), "displayText": label}


def quick_reply(*actions: Msg) -> Msg:
    """Quick-reply buttons under a message (at most 13)."""
    return {"items": [{"type": "action", "action": a} for a in actions[:13]]}


def text_messages(text: str, quick: Msg | None = None, quote_token: str | None = None) -> list[Msg]:
    """One text split into messages of ≤ 5000 UTF-16 units; quick reply on the last, quote on the first."""
    messages: list[Msg] = [{"type": "text", "text": chunk} for chunk in split_text(text)]
    if quote_token:
        messages[0]["quoteToken"] = quote_token
    if quick:
        messages[-1]["quickReply"] = quick
    return messages


def _text(text: str, **style: Any) -> Msg:
    return {"type": "text", "text": text, "wrap": True, **style}


def _section(heading: str, lines: list[Msg]) -> Msg:
    return {"type": "box", "layout": "vertical", "spacing": "xs", "margin": "lg",
            "contents": [_text(heading, weight="bold", size="sm"), *lines]}


def _item(line: str) -> Msg:
    return _text("・" + shorten(line, ITEM_LIMIT), size="sm", color="#333333")


def _link(title: str, url: str) -> Msg:
    if not url.startswith(("https://", "http://", "tel:")):  # LINE's URI action refuses other schemes (mailto:)
        return _text(f"・{shorten(title, 100)}\n  {url.removeprefix('mailto:')}", size="sm", color="#333333")
    line = _text(f"・{shorten(title, 100)}", size="sm", color="#1565C0", decoration="underline")
    line["action"] = {"type": "uri", "label": "open", "uri": url}
    return line


def _body(reply: Reply, drop: int) -> Msg:
    sections = []
    if reply.reasons:
        sections.append(_section("こう判断した理由", [_item(r) for r in reply.reasons]))
    if reply.actions:
        sections.append(_section("いますぐすること", [_item(a) for a in reply.actions]))
    if reply.contacts:
        heading = "本物の連絡先・相談先" if reply.verdict is not Verdict.NO_SIGNS else "困ったときの相談先"
        sections.append(_section(heading, [_item(c) for c in reply.contacts]))
    if reply.links:
        sections.append(_section("報告先", [_link(link.title, link.url) for link in reply.links]))
    kept = sections[: len(sections) - drop] if drop else sections
    return {"type": "box", "layout": "vertical", "contents": [_text(reply.summary, size="md"), *kept]}


def _button(action: Msg, style: str = "link") -> Msg:
    return {"type": "button", "action": action, "style": style, "height": "sm"}


def _footer(reply: Reply, key: str, rule_ids: tuple[str, ...], in_group: bool) -> Msg:
    buttons = []
    if reply.links:
        buttons.append(_button(postback_action(texts.BUTTON_REPORT_PAGES, postback.REPORT, k=key)))
    buttons.append(_button(postback_action(texts.BUTTON_AFTER_CONTACT, postback.AFTER)))
    if not in_group:
        if reply.verdict is not Verdict.NO_SIGNS:
            buttons.append(_button(postback_action(texts.BUTTON_TELL_FAMILY, postback.TELL, k=key)))
        fields = {"k": key, "v": reply.verdict.value, "r": ",".join(rule_ids)}
        buttons.append({"type": "box", "layout": "horizontal", "contents": [
            _button(postback_action(texts.BUTTON_HELPFUL, postback.FEEDBACK, ans="helpful", **fields)),
            _button(postback_action(texts.BUTTON_WRONG, postback.FEEDBACK, ans="wrong", **fields)),
        ]})
    return {"type": "box", "layout": "vertical", "spacing": "none", "contents": buttons}


def verdict_flex(reply: Reply, key: str, rule_ids: tuple[str, ...] = (), in_group: bool = False) -> Msg:
    """The verdict bubble: coloured header, reasons, actions, contacts, report links and buttons."""
    header = {"type": "box", "layout": "vertical", "backgroundColor": COLORS[reply.verdict], "contents": [
        _text(reply.label, color="#FFFFFF", weight="bold", size="sm"),
        _text(reply.title, color="#FFFFFF", weight="bold", size="lg"),
    ]}
    footer = _footer(reply, key, rule_ids, in_group)
    for drop in range(5):  # keep within the bubble limit by dropping trailing sections (never the summary)
        bubble = {"type": "bubble", "header": header, "body": _body(reply, drop), "footer": footer}
        if json_bytes(bubble) <= BUBBLE_BYTES:
            break
    return {"type": "flex", "altText": shorten(reply.text, ALT_TEXT_LIMIT), "contents": bubble}


def links_text(reply: Reply) -> str:
    """The report pages as plain text (「報告先を見る」)."""
    if not reply.links:
        return texts.REPORT_PAGES_NONE
    return "【報告先】\n" + "\n".join(f"・{link.title}\n  {link.url}" for link in reply.links)


def confirm(text: str, yes: Msg, no: Msg) -> Msg:
    """A two-button confirm template (helper consent)."""
    return {"type": "template", "altText": shorten(text, 400),
            "template": {"type": "confirm", "text": shorten(text, 240), "actions": [yes, no]}}


def notice_flex(text: str, button_label: str, uri: str) -> Msg:
    """A plain notice with one link button (the helper's notice)."""
    bubble = {"type": "bubble",
              "body": {"type": "box", "layout": "vertical", "contents": [_text(shorten(text, 2000), size="sm")]},
              "footer": {"type": "box", "layout": "vertical",
                         "contents": [_button({"type": "uri", "label": button_label, "uri": uri}, "primary")]}}
    return {"type": "flex", "altText": shorten(text, ALT_TEXT_LIMIT), "contents": bubble}
