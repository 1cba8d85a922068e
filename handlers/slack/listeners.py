"""Personal checks: DM, mention, message shortcut and slash command, plus the buttons under a verdict."""

from __future__ import annotations

import json
import logging
from typing import Any, Protocol

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot import texts
from bot.compose import AFTER_CONTACT
from bot.services import Services
from handlers.slack import helper, images
from handlers.slack.blocks import (
    ACTION_AFTER_CONTACT,
    ACTION_HELPFUL,
    ACTION_WRONG,
    MAX_BLOCKS,
    Block,
    clip,
    defang,
    escape,
    fallback,
    reply_blocks,
)
from handlers.slack.common import PLATFORM, Judged, judge, plain_text, respond_safely, safe, without_mentions
from handlers.slack.watch import handle_setting

log = logging.getLogger(__name__)


class Say(Protocol):
    """Answers in the place the request came from (DM, thread, ephemeral)."""

    def __call__(self, text: str, blocks: list[Block] | None = None) -> None: ...


SHORTCUT_CALLBACK = "sagi_check"
# In a thread, a mention with only a few words ("@bot これ大丈夫?") asks about the thread's first message.
THREAD_QUESTION_CHARS = 30
IMAGE_TEXT_SHOWN = 1500
FEEDBACK_ANSWERS = {ACTION_HELPFUL: "helpful", ACTION_WRONG: "wrong"}


def verdict_message(judged: Judged, text: str, from_image: bool = False) -> tuple[str, list[Block]]:
    """The fallback text and blocks for one verdict."""
    blocks = reply_blocks(judged.reply, judged.result, text)
    notes = [texts.TOO_LONG] if judged.truncated else []
    if from_image:  # show what was read, so a misreading is visible
        notes.append(f"{texts.OCR_READ_PREFIX}\n{defang(clip(text, IMAGE_TEXT_SHOWN))}")
    for note in reversed(notes):
        blocks.insert(1, {"type": "context", "elements": [{"type": "mrkdwn", "text": escape(note)}]})
    return fallback(judged.reply), blocks[:MAX_BLOCKS]


def answer(services: Services, client: WebClient, user: str, text: str, files: list[dict[str, Any]] | None,
           say: Say, message_key: str) -> None:
    """Check the text (or the shared screenshot), answer through `say`, then tell the user's helpers on danger."""
    sender, from_image = None, False
    if not text and files:
        read = images.read_shared_image(services, files, say)
        if read is None:
            return
        text, sender, from_image = read.text, read.sender, True
    if not text:
        say(texts.EMPTY_HINT)
        return
    judged = judge(services, text, sender)
    say(*verdict_message(judged, text, from_image))
    helper.notify(services, client, user, judged, text, message_key)


def on_dm(services: Services, client: WebClient, event: dict[str, Any]) -> None:
    """A message in the app's Messages tab: helper words, a screenshot, or text to check."""
    user, channel, ts = event.get("user", ""), event["channel"], event["ts"]
    thread_ts = event.get("thread_ts")

    def say(text: str, blocks: list[Block] | None = None) -> None:
        safe("chat.postMessage", lambda: client.chat_postMessage(
            channel=channel, thread_ts=thread_ts, text=text, blocks=blocks, unfurl_links=False, unfurl_media=False))

    markup = event.get("text") or ""
    if helper.handle_command(services, client, user, markup, say):
        return
    answer(services, client, user, plain_text(markup), event.get("files"), say, f"{channel}:{ts}")


def _parent_text(client: WebClient, channel: str, thread_ts: str) -> str:
    """The first message of a thread (conversations.replies lists it first)."""
    found = safe("conversations.replies", lambda: client.conversations_replies(
        channel=channel, ts=thread_ts, limit=1, inclusive=True))
    messages = (found.get("messages") or []) if found is not None else []
    return plain_text(messages[0].get("text") or "") if messages else ""


def on_mention(services: Services, client: WebClient, event: dict[str, Any]) -> None:
    """A mention in a channel: a channel setting, the mention's own text, or the thread's first message."""
    user, channel, ts = event.get("user", ""), event["channel"], event["ts"]
    thread_ts = event.get("thread_ts")
    answer_ts = thread_ts or ts

    def say(text: str, blocks: list[Block] | None = None) -> None:
        safe("chat.postMessage", lambda: client.chat_postMessage(
            channel=channel, thread_ts=answer_ts, text=text, blocks=blocks, unfurl_links=False, unfurl_media=False))

    own = plain_text(without_mentions(event.get("text") or ""))
    if handle_setting(services, channel, own, say):
        return
    text, key = own, f"{channel}:{ts}"
    if thread_ts and thread_ts != ts and len(own) <= THREAD_QUESTION_CHARS:
        text, key = _parent_text(client, channel, thread_ts) or own, f"{channel}:{thread_ts}"
    answer(services, client, user, text, event.get("files"), say, key)


def on_shortcut(services: Services, client: WebClient, body: dict[str, Any], respond: Respond) -> None:
    """The message shortcut: the answer goes only to the person who asked."""
    user, channel = body["user"]["id"], body.get("channel", {}).get("id", "")
    message = body.get("message") or {}

    def say(text: str, blocks: list[Block] | None = None) -> None:
        posted = safe("chat.postEphemeral", lambda: client.chat_postEphemeral(
            channel=channel, user=user, text=text, blocks=blocks, unfurl_links=False, unfurl_media=False))
        if posted is None:  # not a member there (someone else's DM, a channel without the bot): use response_url
            respond_safely(respond, text=text, blocks=blocks, response_type="ephemeral", replace_original=False)

    answer(services, client, user, plain_text(message.get("text") or ""), message.get("files"), say,
           f"{channel}:{message.get('ts', '')}")


def on_command(services: Services, client: WebClient, command: dict[str, Any], respond: Respond) -> None:
    """The slash command: helper words, or text to check; answered ephemerally through response_url."""
    user, markup = command.get("user_id", ""), command.get("text") or ""

    def say(text: str, blocks: list[Block] | None = None) -> None:
        respond_safely(respond, text=text, blocks=blocks, response_type="ephemeral")

    if helper.handle_command(services, client, user, markup, say):
        return
    answer(services, client, user, plain_text(markup), None, say, f"command:{command.get('trigger_id', '')}")


def on_after_contact(client: WebClient, body: dict[str, Any], respond: Respond) -> None:
    """「もう電話した・払ってしまった」: what to do now; kept in the DM, shown only to the clicker elsewhere."""
    channel = body.get("channel", {}).get("id", "")
    if channel.startswith("D") and not body.get("container", {}).get("is_ephemeral"):
        safe("chat.postMessage", lambda: client.chat_postMessage(channel=channel, text=AFTER_CONTACT))
    else:
        respond_safely(respond, text=AFTER_CONTACT, response_type="ephemeral", replace_original=False)


def _button_data(value: Any) -> dict[str, Any]:
    """The JSON object we put in a button's value; anything else (garbled, not an object) reads as empty."""
    try:
        data = json.loads(value or "{}")
    except (TypeError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def on_feedback(services: Services, body: dict[str, Any], respond: Respond) -> None:
    """役に立った / 判定が違う: stored once per person and answer, with a keyed hash of the text (not the text)."""
    action = body["actions"][0]
    user = body["user"]["id"]
    answer = FEEDBACK_ANSWERS[action["action_id"]]
    container = body.get("container", {})
    message_id = f"{container.get('channel_id', '')}:{container.get('message_ts', action.get('action_ts', ''))}"
    store = services.store
    if store is not None and store.claim_delivery(PLATFORM, f"feedback:{user}:{message_id}:{answer}"):
        data = _button_data(action.get("value"))
        rules: list[Any] = data["r"] if isinstance(data.get("r"), list) else []
        store.add_feedback(PLATFORM, user, str(data.get("v", "")), [str(r) for r in rules], answer,
                           str(data.get("t", "")), share_text=False, message_id=message_id)
        log.info("slack feedback answer=%s verdict=%s", answer, data.get("v"))
    respond_safely(respond, text=texts.FEEDBACK_THANKS, response_type="ephemeral", replace_original=False)


def register(app: App, services: Services) -> None:
    """Wire the personal checks; every listener acks first so no Web API call holds the ack."""

    @app.event("app_mention")
    def _mention(event: dict[str, Any], client: WebClient) -> None:
        on_mention(services, client, event)

    @app.shortcut(SHORTCUT_CALLBACK)
    def _shortcut(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        on_shortcut(services, client, body, respond)

    @app.command(services.settings.slack_slash_command)
    def _command(ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        on_command(services, client, command, respond)

    @app.action(ACTION_AFTER_CONTACT)
    def _after_contact(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        on_after_contact(client, body, respond)

    @app.action(ACTION_HELPFUL)
    @app.action(ACTION_WRONG)
    def _feedback(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        on_feedback(services, body, respond)
