"""Helper notices with consent: a user names a helper (a person or a channel), the helper accepts, either side stops."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot import notices, texts
from bot.models import Verdict
from bot.services import Services
from bot.storage import PendingNotice
from handlers.slack import texts as slack_texts
from handlers.slack.blocks import Block, button, defang, escape, section, text_blocks
from handlers.slack.common import PLATFORM, Judged, respond_safely, safe

log = logging.getLogger(__name__)

Say = Callable[[str], None]

ACTION_ACCEPT = "sagi_helper_accept"
ACTION_DECLINE = "sagi_helper_decline"
ACTION_STOP = "sagi_helper_stop"
SET_WORD = "見守り設定"
STOP_WORD = "見守り解除"
DELETE_WORD = "データ削除"
_TARGET = re.compile(r"<([@#])([A-Z0-9]+)(?:\|[^<>]*)?>")
NOTICE_REASONS = 3
NOTICE_EVENT = "sagi_helper_notice"  # message metadata type: the notice id, for finding a notice already posted
HISTORY_LOOKBACK = 100  # recent messages of the helper's conversation searched for an earlier try
NOTICE_TEXT_CHARS = 1500


def display(slack_id: str) -> str:
    """A user or channel id as Slack renders it (@name or #channel)."""
    return f"<#{slack_id}>" if slack_id[:1] in ("C", "G") else f"<@{slack_id}>"


def handle_command(services: Services, client: WebClient, user_id: str, markup: str, say: Say) -> bool:
    """The helper words typed in a DM or the slash command; False when the text is something to check."""
    words = markup.strip()
    if words.startswith(SET_WORD):
        target = _TARGET.search(words)
        if target is None:
            say(slack_texts.HELPER_USAGE)
        else:
            request(services, client, user_id, target.group(2), say)
        return True
    if words == STOP_WORD:
        stop(services, client, user_id, say)
        return True
    if words == DELETE_WORD and services.store is not None:
        stop(services, client, user_id, lambda _: None)
        services.store.delete_user(PLATFORM, user_id)
        say(texts.DATA_DELETED)
        return True
    return False


def request(services: Services, client: WebClient, user_id: str, target_id: str, say: Say) -> None:
    """Ask the named person (by DM) or channel (by a post) to accept; the user's naming is their consent."""
    if services.store is None:
        return
    if target_id == user_id:
        say(slack_texts.HELPER_PICK_SELF)
        return
    if target_id.startswith(("U", "W")):
        info = safe("users.info", lambda: client.users_info(user=target_id))
        if info is not None and (info.get("user") or {}).get("is_bot"):
            say(slack_texts.HELPER_PICK_BOT)
            return
    code = services.store.create_link_code(PLATFORM, user_id)
    value = json.dumps({"c": code, "u": user_id}, separators=(",", ":"))
    target = slack_texts.HELPER_REQUEST_TARGET_YOU if target_id.startswith(("U", "W")) else \
        slack_texts.HELPER_REQUEST_TARGET_CHANNEL
    body = slack_texts.HELPER_REQUEST.format(user=display(user_id), target=target)
    blocks: list[Block] = [section(body), {"type": "actions", "block_id": "sagi_helper_request", "elements": [
        button(slack_texts.HELPER_ACCEPT, ACTION_ACCEPT, value, style="primary"),
        button(slack_texts.HELPER_DECLINE, ACTION_DECLINE, value),
    ]}]
    posted = safe("chat.postMessage", lambda: client.chat_postMessage(channel=target_id, text=body, blocks=blocks))
    log.info("slack helper request sent=%s", posted is not None)
    template = slack_texts.HELPER_REQUEST_SENT if posted is not None else slack_texts.HELPER_REQUEST_FAILED
    say(template.format(helper=display(target_id)))


def stop(services: Services, client: WebClient, who: str, say: Say, link_id: int | None = None) -> None:
    """End every link of this person or channel (or only `link_id`, when it is theirs), and tell the other side."""
    if services.store is None:
        return
    links = services.store.unlink(PLATFORM, who, link_id)
    say(texts.HELPER_UNLINKED if links else texts.HELPER_NONE)
    notice = slack_texts.HELPER_STOPPED_BY.format(who=display(who))
    for other in dict.fromkeys(link.helper_id if link.user_id == who else link.user_id for link in links):
        _post(client, other, notice)
    log.info("slack helper links revoked=%d", len(links))


def notify(services: Services, client: WebClient, user_id: str, judged: Judged, text: str, message_key: str) -> int:
    """Tell the user's helpers about a danger verdict: once per message, within the daily cap; returns notices sent.

    A notice Slack did not take is kept for resend_pending, which first looks whether it arrived after all.
    """
    store = services.store
    if store is None or judged.result.verdict is not Verdict.DANGER:
        return 0
    sent = 0
    for link in store.helpers_of(PLATFORM, user_id):
        notice_id = store.helper_notice_turn(link.id, message_key, new_only=True)
        if notice_id is None:
            continue
        body = notice_text(user_id, judged, text if link.share_full_text else None)
        blocks = [*text_blocks(body, markup=True), {"type": "actions", "block_id": "sagi_helper_notice",
                                        "elements": [button(slack_texts.HELPER_STOP_BUTTON, ACTION_STOP, str(link.id))]}]
        if _post_notice(client, link.helper_id, notice_id, body, blocks):
            store.helper_notice_delivered(link.id, message_key)
            sent += 1
        else:
            store.helper_notice_failed(link.id, message_key, json.dumps({"text": body, "blocks": blocks},
                                                                        ensure_ascii=False))
    if sent:
        log.info("slack helper notices sent=%d", sent)
    return sent


def resend_pending(services: Services, client: WebClient) -> int:
    """Post again each notice Slack did not take, unless it arrived after all; returns how many are now delivered.

    Slack has no idempotency key. Every notice carries its id in the message metadata, so before posting
    again the job reads the helper's conversation with the bot: a try that got through although its answer
    was lost is found there and not sent twice. Run every minute by the web process (bot.wsgi).
    """
    def send(notice: PendingNotice) -> bool:
        arrived = _notice_arrived(client, notice.helper_id, notice.retry_key)
        if arrived is not False:  # there already, or cannot tell (posting could deliver it twice)
            return bool(arrived)
        kept = json.loads(notice.messages)
        return _post_notice(client, notice.helper_id, notice.retry_key, kept["text"], kept["blocks"])

    return notices.resend_pending(services.store, PLATFORM, send)


def _post_notice(client: WebClient, helper_id: str, notice_id: str, text: str, blocks: list[Block]) -> bool:
    """Post a notice with its id in the message metadata (what resend_pending looks for)."""
    return _post(client, helper_id, text, blocks, {"event_type": NOTICE_EVENT, "event_payload": {"notice": notice_id}})


def _notice_arrived(client: WebClient, helper_id: str, notice_id: str) -> bool | None:
    """Whether a message with this notice id is in the helper's conversation with the bot; None when unknown."""
    channel: str | None = helper_id
    if helper_id.startswith(("U", "W")):  # a person: the notice went to the bot's DM with them
        opened = safe("conversations.open", lambda: client.conversations_open(users=helper_id))
        channel = None if opened is None else str((opened.get("channel") or {}).get("id") or "") or None
    if channel is None:
        return None
    history = safe("conversations.history", lambda: client.conversations_history(
        channel=channel, limit=HISTORY_LOOKBACK, include_all_metadata=True))
    if history is None:
        return None
    return any((m.get("metadata") or {}).get("event_type") == NOTICE_EVENT
               and (m["metadata"].get("event_payload") or {}).get("notice") == notice_id
               for m in history.get("messages") or [])


def _post(client: WebClient, channel: str, text: str, blocks: list[Block] | None = None,
          metadata: dict[str, Any] | None = None) -> bool:
    """Post to a user's Messages tab (by user id) or a channel; True when Slack accepted it."""
    return safe("chat.postMessage", lambda: client.chat_postMessage(
        channel=channel, text=text, blocks=blocks, metadata=metadata, unfurl_links=False,
        unfurl_media=False)) is not None


def notice_text(user_id: str, judged: Judged, full_text: str | None) -> str:
    """The notice as mrkdwn: who, the verdict, the first reasons; the message itself only when the user shares it."""
    result, reply = judged.result, judged.reply
    brand_line = escape(f"名乗っている相手: {result.brand}\n") if result.brand else ""
    reasons = "\n".join(f"・{escape(defang(r))}" for r in reply.reasons[:NOTICE_REASONS])
    body = texts.HELPER_NOTICE.format(user=display(user_id), label=reply.label, brand_line=brand_line, reasons=reasons)
    if full_text:
        body += texts.HELPER_NOTICE_FULL_TEXT.format(text=escape(defang(full_text[:NOTICE_TEXT_CHARS])))
    return body


def _answer(services: Services, client: WebClient, body: dict[str, Any], respond: Respond, accept: bool) -> None:
    """A helper pressed accept or decline under a request."""
    store = services.store
    if store is None:
        return
    try:
        data = json.loads(body["actions"][0]["value"])
        clicker, channel, asker, code = body["user"]["id"], body["channel"]["id"], str(data["u"]), str(data["c"])
    except (ValueError, TypeError, KeyError):  # not the value we put on the button
        log.warning("slack helper answer ignored: unreadable button")
        return
    in_channel = not channel.startswith("D")
    helper_id = channel if in_channel else clicker
    if clicker == asker:
        respond_safely(respond, text=slack_texts.HELPER_NOT_YOURS, response_type="ephemeral", replace_original=False)
        return
    redeemed = store.redeem_link_code(PLATFORM, helper_id, code)
    if redeemed.status != "ok" or redeemed.link_id is None or redeemed.user_id is None:
        problem = {"locked": slack_texts.HELPER_LOCKED, "self": slack_texts.HELPER_PICK_SELF}
        respond_safely(respond, text=problem.get(redeemed.status, slack_texts.HELPER_EXPIRED), response_type="ephemeral",
                replace_original=False)
        return
    user_id = redeemed.user_id
    # The user consented by naming the helper; the helper consents here: confirm (or decline) the pending link.
    link = store.confirm_link(PLATFORM, user_id, redeemed.link_id, accept)
    confirmed = accept and link is not None and link.status == "confirmed"
    log.info("slack helper request answered confirmed=%s link=%s", confirmed, redeemed.link_id)
    here = slack_texts.HELPER_ACCEPTED_HERE if confirmed else slack_texts.HELPER_DECLINED_HERE
    there = slack_texts.HELPER_ACCEPTED_BY if confirmed else slack_texts.HELPER_DECLINED_BY
    here_text = here.format(user=display(user_id))
    blocks: list[Block] = [section(here_text)]
    if confirmed and link is not None:
        blocks.append({"type": "actions", "block_id": "sagi_helper_accepted",
                       "elements": [button(slack_texts.HELPER_STOP_BUTTON, ACTION_STOP, str(link.id))]})
    respond_safely(respond, text=here_text, blocks=blocks, replace_original=True)
    _post(client, user_id, there.format(helper=display(helper_id)))


def register(app: App, services: Services) -> None:
    """Wire the helper buttons."""

    @app.action(ACTION_ACCEPT)
    def on_accept(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        _answer(services, client, body, respond, accept=True)

    @app.action(ACTION_DECLINE)
    def on_decline(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        _answer(services, client, body, respond, accept=False)

    @app.action(ACTION_STOP)
    def on_stop(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        channel = body.get("channel", {}).get("id", "")
        # In a helper channel the channel itself is the helper: stop notices to it, for every user.
        who = channel if channel[:1] in ("C", "G") else body["user"]["id"]

        def say(text: str) -> None:
            respond_safely(respond, text=text, response_type="ephemeral", replace_original=False)

        # The button names its link: a helper watching two people stops only the one the notice was about.
        # Buttons without one (posted before links were named) end all of the clicker's links, as they did.
        value = str((body.get("actions") or [{}])[0].get("value") or "")
        stop(services, client, who, say, int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None)
